"""Issue 12 item 14: revising a plan never hides the draft from its coordinators."""

import pytest
from django.urls import reverse

from actionplans import services
from tests.factories import ActionPlanFactory, GoalFactory, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def revised(make_user):
    coordinator = make_user("coordinator")
    plan = ActionPlanFactory(county=county("06"))
    GoalFactory(plan=plan, number=1)
    services.plan_adopt(plan_id=plan.pk, expected_version=0, actor=coordinator)
    draft = services.plan_revise(plan_id=plan.pk, actor=coordinator)
    return coordinator, plan, draft


def test_version_1_and_the_start_page_link_to_the_draft(client, revised):
    coordinator, plan, draft = revised
    client.force_login(coordinator)
    draft_url = reverse("actionplans:plan-detail", args=["06", draft.pk])
    page = client.get(reverse("actionplans:plan-detail", args=["06", plan.pk])).content.decode()
    assert draft_url in page
    assert "ett utkast till version 2 finns" in page
    assert reverse("actionplans:plan-revise", args=["06", plan.pk]) not in page
    start = client.get(reverse("actionplans:county-start", args=["06"])).content.decode()
    assert draft_url in start


def test_revising_again_leads_to_the_draft(client, revised):
    coordinator, plan, draft = revised
    client.force_login(coordinator)
    url = reverse("actionplans:plan-revise", args=["06", plan.pk])
    for response in (client.get(url), client.post(url, {"lock_version": plan.lock_version})):
        assert response.status_code == 302
        assert response["Location"] == reverse("actionplans:plan-detail", args=["06", draft.pk])


def test_others_do_not_see_the_draft_link(client, revised, make_user):
    _coordinator, plan, draft = revised
    client.force_login(make_user("management"))
    page = client.get(reverse("actionplans:plan-detail", args=["06", plan.pk])).content.decode()
    assert reverse("actionplans:plan-detail", args=["06", draft.pk]) not in page
