"""The plan view and the editor show the plan tree read as plain data (actionplans.selectors.
plan_tree): the same parts, in the editor's order, in a fixed number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from actionplans.models import IndicatorValue
from tests.factories import (
    ActionPlanFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    PlannedActivityFactory,
    SubGoalFactory,
    national_goal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = ActionPlanFactory(title="Handlingsplan mot våld")
    second = GoalFactory(plan=plan, number=2, order=2, title="Tidiga insatser")
    first = GoalFactory(plan=plan, number=1, order=1, title="Ökad kunskap")
    first.national_goals.set([national_goal(1)])
    sub = SubGoalFactory(goal=first, code="1:1", text="Kunskapen ska öka", order=1)
    SubGoalFactory(goal=second, code="2:1", text="Tidig upptäckt", order=1)
    activity = PlannedActivityFactory(sub_goal=sub, text="Utbilda <socialtjänsten>")
    activity.responsible.set([OrganisationFactory(county=plan.county, name="Aneby kommun")])
    indicator = IndicatorFactory(plan=plan, name="Antal utbildade")
    indicator.sub_goals.set([sub])
    for year, value in ((2023, "4"), (2024, "7.5")):
        IndicatorValue.objects.create(indicator=indicator, year=year, value=Decimal(value))
    return plan


def _page(client, name, plan):
    response = client.get(reverse(f"actionplans:{name}", args=[plan.county.code, plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["plan-detail", "plan-editor"])
def test_the_tree_shows_every_part_in_order(client, make_user, plan, name):
    client.force_login(make_user("coordinator"))
    page = _page(client, name, plan)
    assert page.index("Ökad kunskap") < page.index("Tidiga insatser")
    assert str(national_goal(1)) in page
    assert "Utbilda &lt;socialtjänsten&gt;" in page
    assert "Ansvariga: Aneby kommun" in page
    assert "Indikatorer: Antal utbildade" in page  # under delmål 1:1
    assert "1: 1:1" in page  # the indicator's delmål


def test_the_plan_view_shows_the_newest_years_values(client, make_user, plan):
    client.force_login(make_user("coordinator"))
    page = _page(client, "plan-detail", plan)
    assert "2024: 7,50" in page
    assert "2023:" not in page


def test_the_tree_costs_the_same_queries_for_a_bigger_plan(
    client, make_user, plan, django_assert_max_num_queries
):
    client.force_login(make_user("coordinator"))
    _page(client, "plan-editor", plan)
    with django_assert_max_num_queries(100) as small:
        _page(client, "plan-editor", plan)
    for number in range(3, 6):
        goal = GoalFactory(plan=plan, number=number, order=number)
        sub = SubGoalFactory(goal=goal, code=f"{number}:1")
        PlannedActivityFactory(sub_goal=sub).responsible.set([OrganisationFactory()])
        IndicatorFactory(plan=plan).sub_goals.set([sub])
    with django_assert_max_num_queries(len(small.captured_queries)):
        _page(client, "plan-editor", plan)
