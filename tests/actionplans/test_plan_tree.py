"""The plan view and the editor show the plan tree read as plain data (actionplans.selectors.
plan_tree): the same parts, in the editor's order, in a fixed number of queries."""

from decimal import Decimal

import lxml.html
import pytest
from django.core.cache import cache
from django.urls import reverse

from actionplans.models import IndicatorTarget, IndicatorValue
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


def test_the_plan_view_shows_each_indicator_as_a_chart_and_a_table(client, make_user, plan):
    indicator = plan.indicators.get()
    indicator.baseline = Decimal("2")
    indicator.save()
    IndicatorTarget.objects.create(indicator=indicator, year=2025, value=Decimal("10"))
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("12.5"))
    client.force_login(make_user("coordinator"))
    page = _page(client, "plan-detail", plan)
    html = lxml.html.fromstring(page)
    section = html.get_element_by_id(f"indikator-{indicator.pk}")
    svg = section.xpath(".//svg[@role='img']")[0]
    desc = svg.xpath(".//desc")[0].text_content()
    # the chart's description carries every number: baseline, values, targets
    assert "Utgångsvärde: 2." in desc
    assert "Värden: 2023: 4; 2024: 7,5." in desc
    assert "Målvärden: 2025: 10; 2026: 12,5." in desc
    table = section.xpath(".//table")[0]
    assert "Antal utbildade" in table.xpath("./caption")[0].text_content()
    rows = [
        [cell.text_content().strip() for cell in row.xpath("./th|./td")]
        for row in table.xpath("./tbody/tr")
    ]
    assert rows[0][:2] == ["Utgångsvärde", "2"]
    assert rows[1][:4] == ["2023", "4", "–", "–"]
    assert rows[2][:4] == ["2024", "7,5", "–", "Ökning jämfört med 2023"]
    assert rows[3][:3] == ["2025", "–", "10"]
    assert rows[4][:3] == ["2026", "–", "12,5"]
    assert all(th.get("scope") == "row" for th in table.xpath("./tbody/tr/th"))
    assert all(th.get("scope") == "col" for th in table.xpath("./thead/tr/th"))


def test_a_small_count_of_persons_reads_fewer_than_five_and_is_not_drawn(client, make_user, plan):
    indicator = IndicatorFactory(plan=plan, name="Antal våldsutsatta", unit="personer")
    for year, value in ((2023, "3"), (2024, "12")):
        IndicatorValue.objects.create(indicator=indicator, year=year, value=Decimal(value))
    client.force_login(make_user("coordinator"))
    html = lxml.html.fromstring(_page(client, "plan-detail", plan))
    section = html.get_element_by_id(f"indikator-{indicator.pk}")
    desc = section.xpath(".//svg//desc")[0].text_content()
    assert "2023: färre än 5 personer" in desc
    rows = [r.xpath("./th|./td") for r in section.xpath(".//table/tbody/tr")]
    assert rows[0][1].text_content() == "färre än 5"
    # no trend from a hidden value (it would tell the number)
    assert rows[1][3].text_content() == "–"
    assert len(section.xpath(".//svg//circle")) == 2  # the legend's and 2024's; not 2023's


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


def test_the_plan_view_with_charts_stays_within_twelve_queries(
    client, make_user, plan, django_assert_max_num_queries
):
    indicator = plan.indicators.get()
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("9"))
    client.force_login(make_user("coordinator"))
    _page(client, "plan-detail", plan)  # sessions, content types
    cache.clear()  # the uncached path, the one that reads the tree
    with django_assert_max_num_queries(12):
        page = _page(client, "plan-detail", plan)
    assert "Målvärden: 2026: 9." in page


def test_the_tree_lists_each_national_goal_and_delmal_once_in_order(plan):
    """Goals, their national goals and their delmål come from one query (a row per national
    goal and delmål): each still once, in the editor's order."""
    from actionplans.selectors import plan_goals, plan_tree

    first = plan.goals.get(number=1)
    first.national_goals.set([national_goal(3), national_goal(1)])
    SubGoalFactory(goal=first, code="1:0", text="Före", order=0)
    SubGoalFactory(goal=first, code="1:2", text="Efter", order=2)
    tree = plan_tree(plan=plan)
    goals = tree["goals"]
    assert [g["number"] for g in goals] == [1, 2]
    assert [n["label"] for n in goals[0]["national_goals"]] == [
        n["label"] for n in plan_goals(plan=plan)[0]["national_goals"]
    ]
    assert [n["label"][:2] for n in goals[0]["national_goals"]] == ["1.", "3."]
    assert [s["code"] for s in goals[0]["sub_goals"]] == ["1:0", "1:1", "1:2"]
    assert [s["code"] for s in goals[1]["sub_goals"]] == ["2:1"]
    assert goals[0]["sub_goals"][1]["indicators"] == ["Antal utbildade"]
    assert [s["code"] for s in tree["indicators"][0]["sub_goals"]] == ["1:1"]


def test_the_plan_header_links_are_the_url_confs(client, make_user, plan):
    """The header reverses the plan's own URL once and writes its other pages below it: each
    link is what reversing its own name gives (a draft and an adopted plan's links)."""
    client.force_login(make_user("coordinator"))
    args = [plan.county.code, plan.pk]
    draft = {reverse(f"actionplans:{n}", args=args) for n in ("plan-editor", "plan-adopt")}
    draft.add(reverse("actionplans:plan-delete", args=args))
    common = {
        reverse(f"actionplans:{n}", args=args)
        for n in ("plan-detail", "plan-history", "plan-compare")
    } | {reverse("actionplans:plan-export", args=[*args, fmt]) for fmt in ("json", "xlsx")}
    links = set(lxml.html.fromstring(_page(client, "plan-detail", plan)).xpath("//a/@href"))
    assert draft | common <= links
    plan.status = plan.Status.ADOPTED
    plan.save()
    cache.clear()
    links = set(lxml.html.fromstring(_page(client, "plan-detail", plan)).xpath("//a/@href"))
    assert common | {reverse("actionplans:plan-revise", args=args)} <= links
