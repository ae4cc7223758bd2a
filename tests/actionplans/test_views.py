import pytest
from django.core.cache import cache
from django.urls import reverse

from actionplans.models import ActionPlan, Goal, SubGoal
from kvinnofrid.core.models import AuditEntry
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
def coordinator_client(client, make_user):
    client.force_login(make_user("coordinator"))
    return client


def _url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=[plan.county.code, plan.pk, *args])


def _build_plan(goals: int) -> ActionPlan:
    plan = ActionPlanFactory()
    org = OrganisationFactory()
    for n in range(1, goals + 1):
        goal = GoalFactory(plan=plan, number=n)
        goal.national_goals.set([national_goal(1 + n % 4)])
        for _ in range(2):
            sub = SubGoalFactory(goal=goal)
            activity = PlannedActivityFactory(sub_goal=sub)
            activity.responsible.set([org])
            indicator = IndicatorFactory(plan=plan)
            indicator.sub_goals.set([sub])
            indicator.values.create(year=2023, value=n)
    return plan


@pytest.mark.parametrize("name", ["plan-detail", "plan-editor"])
def test_plan_pages_query_count_does_not_grow(
    coordinator_client, django_assert_max_num_queries, name
):
    small, large = _build_plan(5), _build_plan(50)
    coordinator_client.get(_url(name, small))  # warm caches (content types, sessions)
    # the uncached path (a fragment cache miss) is the one whose size could grow
    cache.clear()
    with django_assert_max_num_queries(20) as small_ctx:
        response = coordinator_client.get(_url(name, small))
    assert response.status_code == 200
    cache.clear()
    with django_assert_max_num_queries(len(small_ctx.captured_queries)) as large_ctx:
        response = coordinator_client.get(_url(name, large))
    assert response.status_code == 200
    assert len(large_ctx.captured_queries) == len(small_ctx.captured_queries)
    assert "Mål 50" in response.content.decode()


def test_plan_detail_shows_tree_and_national_goals(client, make_user):
    plan = _build_plan(1)
    plan.status = plan.Status.ADOPTED  # a draft is 404 for management (issue 12 item 11)
    plan.save(update_fields=["status"])
    client.force_login(make_user("management"))
    content = client.get(_url("plan-detail", plan)).content.decode()
    assert "Nationella målsättningar" in content
    assert str(national_goal(2)) in content
    assert "Redigera" not in content  # read-only for management


def test_create_plan_then_goal_via_plain_post(coordinator_client):
    response = coordinator_client.post(
        reverse("actionplans:plan-create", args=["06"]),
        {
            "title": "Handlingsplan 2025",
            "kind": "handlingsplan",
            "period_start": 2025,
            "period_end": 2028,
            "strategy": national_goal(1).strategy_id,
        },
    )
    plan = ActionPlan.objects.get()
    assert response.status_code == 302
    response = coordinator_client.post(
        _url("part-create", plan, "mal"),
        {
            "number": 1,
            "title": "Förebygga",
            "national_goals": [national_goal(1).pk, national_goal(2).pk],
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.national_goals.count() == 2
    response = coordinator_client.post(
        _url("part-create", plan, "delmal") + f"?under={goal.pk}",
        {"code": "1:1", "text": "Tidig upptäckt"},
    )
    assert response.status_code == 302
    assert SubGoal.objects.get().code == "1:1"


def test_bad_input_shows_swedish_error(coordinator_client):
    response = coordinator_client.post(
        reverse("actionplans:plan-create", args=["06"]),
        {"title": "", "kind": "handlingsplan", "period_start": 2028, "period_end": 2025},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Planperioden kan inte sluta före den börjar." in content
    assert not ActionPlan.objects.exists()


def test_stale_edit_shows_conflict_page_with_my_text(coordinator_client):
    sub = SubGoalFactory(goal=GoalFactory(plan=ActionPlanFactory()), text="Sparad text")
    plan = sub.goal.plan
    url = _url("part-edit", plan, "delmal", sub.pk)
    coordinator_client.post(url, {"code": "1:1", "text": "Annans text", "lock_version": 0})
    response = coordinator_client.post(url, {"code": "1:1", "text": "Min text", "lock_version": 0})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Min text" in content
    assert "Annans text" in content
    assert 'name="lock_version" value="1"' in content
    sub.refresh_from_db()
    assert sub.text == "Annans text"
    # re-apply with the current version
    response = coordinator_client.post(url, {"code": "1:1", "text": "Min text", "lock_version": 1})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.text == "Min text"


def test_adopted_plan_editor_redirects_and_post_is_refused(coordinator_client):
    goal = GoalFactory(plan=ActionPlanFactory(status=ActionPlan.Status.ADOPTED), title="Fast")
    plan = goal.plan
    assert coordinator_client.get(_url("plan-editor", plan)).status_code == 302
    response = coordinator_client.post(
        _url("part-edit", plan, "mal", goal.pk), {"number": 1, "title": "Ändrad", "lock_version": 0}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.title == "Fast"


def test_delete_asks_for_confirmation(coordinator_client):
    sub = SubGoalFactory(goal=GoalFactory(plan=ActionPlanFactory()))
    url = _url("part-delete", sub.goal.plan, "delmal", sub.pk)
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert "Ja, ta bort" in response.content.decode()
    assert SubGoal.objects.exists()
    coordinator_client.post(url, {"lock_version": 0})
    assert not SubGoal.objects.exists()


def test_move_buttons_reorder(coordinator_client):
    goal = GoalFactory(plan=ActionPlanFactory())
    a, b = SubGoalFactory(goal=goal, order=0), SubGoalFactory(goal=goal, order=1)
    url = _url("part-move", goal.plan, "delmal", b.pk)
    assert coordinator_client.get(url).status_code == 405
    coordinator_client.post(url, {"direction": "up"})
    assert list(goal.sub_goals.order_by("order")) == [b, a]


def test_adopt_revise_compare_and_history(coordinator_client):
    # given a draft with one delmål
    sub = SubGoalFactory(
        goal=GoalFactory(plan=ActionPlanFactory(), number=1), code="1:1", text="Gammal"
    )
    plan = sub.goal.plan
    # when adopted, revised and the copy's delmål changed
    assert coordinator_client.post(_url("plan-adopt", plan), {"lock_version": 0}).status_code == 302
    assert (
        coordinator_client.post(_url("plan-revise", plan), {"lock_version": 1}).status_code == 302
    )
    new = ActionPlan.objects.get(version=2)
    new_sub = SubGoal.objects.get(goal__plan=new)
    coordinator_client.post(
        _url("part-edit", new, "delmal", new_sub.pk),
        {"code": "1:1", "text": "Ny", "lock_version": 0},
    )
    # then the compare page shows the change and the history lists it
    content = coordinator_client.get(_url("plan-compare", new)).content.decode()
    assert "<del>Gammal</del>" in content
    assert "<ins>Ny</ins>" in content
    history = coordinator_client.get(_url("plan-history", new)).content.decode()
    assert "ändrade delmålet" in history
    assert "Delmål:</strong> ändrad (2 tecken)" in history  # free text: its length only
    assert AuditEntry.objects.filter(action="actionplans.plan_adopt").exists()


def test_indicator_values_recorded_per_year(coordinator_client):
    indicator = IndicatorFactory(plan=ActionPlanFactory())
    url = _url("indicator-values", indicator.plan, indicator.pk)
    response = coordinator_client.post(url, {"year": 2024, "value": "12", "note": "Länet"})
    assert response.status_code == 302
    assert indicator.values.get().value == 12
    response = coordinator_client.post(url, {"year": "tjugo", "value": "x"})
    assert response.status_code == 200
    assert "Fyll i ett heltal." in response.content.decode()


def test_county_start_shows_plan_goals_and_agreement_status(client, make_user):
    from tests.factories import AgreementFactory

    plan = _build_plan(2)
    plan.status = ActionPlan.Status.ADOPTED
    plan.save()
    AgreementFactory(title="Överenskommelse Jönköping")
    client.force_login(make_user("reporter"))
    content = client.get(reverse("actionplans:county-start", args=["06"])).content.decode()
    assert "Överenskommelse Jönköping" in content
    assert plan.title in content
    assert str(national_goal(2)) in content


@pytest.mark.parametrize(
    ("days", "text"),
    [(400, "Gäller"), (30, "upphör om 30 dagar"), (-5, "Har upphört")],
)
def test_county_start_agreement_status(client, make_user, days, text):
    import datetime

    from django.utils import timezone

    from tests.factories import AgreementFactory

    today = timezone.localdate()
    AgreementFactory(
        signed_on=today - datetime.timedelta(days=800),
        valid_from=today - datetime.timedelta(days=800),
        valid_until=today + datetime.timedelta(days=days),
    )
    client.force_login(make_user("management"))
    content = client.get(reverse("actionplans:county-start", args=["06"])).content.decode()
    assert text in content


def test_county_start_includes_followup_panel_when_available(client, make_user):
    client.force_login(make_user("coordinator"))
    content = client.get(reverse("actionplans:county-start", args=["06"])).content.decode()
    assert "followup-panel" in content


def test_goal_conflict_shows_national_goals_side_by_side(coordinator_client):
    goal = GoalFactory(plan=ActionPlanFactory(), number=1, title="Mål")
    goal.national_goals.set([national_goal(1)])
    url = _url("part-edit", goal.plan, "mal", goal.pk)
    coordinator_client.post(
        url,
        {"number": 1, "title": "Deras", "national_goals": [national_goal(2).pk], "lock_version": 0},
    )
    response = coordinator_client.post(
        url,
        {"number": 1, "title": "Mitt", "national_goals": [national_goal(3).pk], "lock_version": 0},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert str(national_goal(3)) in content
    assert str(national_goal(2)) in content


def test_plan_fields_conflict(coordinator_client):
    plan = ActionPlanFactory(title="Start")
    url = _url("plan-edit", plan)
    form = {
        "title": "Deras",
        "kind": "handlingsplan",
        "period_start": 2021,
        "period_end": 2026,
        "strategy": plan.strategy_id,
    }
    assert coordinator_client.post(url, {**form, "lock_version": 0}).status_code == 302
    response = coordinator_client.post(url, {**form, "title": "Min", "lock_version": 0})
    assert response.status_code == 409
    assert "Min" in response.content.decode()


def test_delete_draft_plan_with_confirmation_and_adopted_refused(coordinator_client):
    draft = ActionPlanFactory()
    url = _url("plan-delete", draft)
    assert "Ja, ta bort" in coordinator_client.get(url).content.decode()
    assert coordinator_client.post(url, {"lock_version": 0}).status_code == 302
    assert not ActionPlan.objects.filter(pk=draft.pk).exists()
    adopted = ActionPlanFactory(status=ActionPlan.Status.ADOPTED)
    response = coordinator_client.post(_url("plan-delete", adopted), {"lock_version": 0})
    assert response.status_code == 200
    assert "Bara ett utkast kan tas bort." in response.content.decode()
    assert ActionPlan.objects.filter(pk=adopted.pk).exists()


def test_indicator_value_delete_asks_first(coordinator_client):
    indicator = IndicatorFactory(plan=ActionPlanFactory())
    value = indicator.values.create(year=2022, value=3)
    url = _url("indicator-value-delete", indicator.plan, indicator.pk, value.pk)
    assert "Ja, ta bort" in coordinator_client.get(url).content.decode()
    assert indicator.values.exists()
    assert coordinator_client.post(url).status_code == 302
    assert not indicator.values.exists()
