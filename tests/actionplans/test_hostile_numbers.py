"""Issue 12 item 3: numbers nobody's column can hold get a Swedish message, never a 500."""

import pytest
from django.urls import reverse

from actionplans.models import Goal, PlannedActivity
from tests.factories import ActionPlanFactory, GoalFactory, SubGoalFactory, national_goal

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000  # int() refuses it outright (Python's limit on digits)
TWENTY_DIGITS = "12345678901234567890"  # overflows a 64-bit column


@pytest.fixture
def coordinator_client(client, make_user):
    client.force_login(make_user("coordinator"))
    return client


def _url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=[plan.county.code, plan.pk, *args])


@pytest.mark.parametrize("bad", [HUGE, TWENTY_DIGITS, "²", "１"])
def test_a_new_goal_with_a_hostile_national_goal_is_refused(coordinator_client, bad):
    plan = ActionPlanFactory()
    response = coordinator_client.post(
        _url("part-create", plan, "mal"),
        {"number": 1, "title": "Förebygga", "national_goals": [national_goal(1).pk, bad]},
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not Goal.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("bad", [HUGE, TWENTY_DIGITS, "²"])
def test_a_new_activity_with_a_hostile_responsible_is_refused(coordinator_client, bad):
    plan = ActionPlanFactory()
    sub_goal = SubGoalFactory(goal=GoalFactory(plan=plan))
    response = coordinator_client.post(
        _url("part-create", plan, "aktivitet") + f"?under={sub_goal.pk}",
        {"text": "Utbildning", "responsible": [bad]},
    )
    assert response.status_code == 200
    assert not PlannedActivity.objects.exists()


@pytest.mark.parametrize("bad", [TWENTY_DIGITS, HUGE, "²"])
def test_a_hostile_lock_version_is_a_message_not_a_500(coordinator_client, bad):
    plan = ActionPlanFactory()
    goal = GoalFactory(plan=plan, title="Före")
    response = coordinator_client.post(
        _url("part-edit", plan, "mal", goal.pk),
        {"number": goal.number, "title": "Efter", "lock_version": bad},
    )
    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.title == "Före"


def test_a_control_character_in_a_goal_title_is_refused(coordinator_client):
    plan = ActionPlanFactory()
    response = coordinator_client.post(
        _url("part-create", plan, "mal"), {"number": 1, "title": "ctrl\x1bgoal"}
    )
    assert response.status_code == 200
    assert "styrtecken" in response.content.decode()
    assert not Goal.objects.filter(plan=plan).exists()
