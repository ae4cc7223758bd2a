import pytest
from django.core.exceptions import PermissionDenied

from actionplans import services
from actionplans.exceptions import PlanError
from actionplans.models import ActionPlan, Goal, IndicatorValue, SubGoal
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.models import AuditEntry
from tests.factories import (
    ActionPlanFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    PlannedActivityFactory,
    SubGoalFactory,
    county,
    national_goal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def plan():
    return ActionPlanFactory()


def test_plan_create_records_audit(coordinator):
    plan = services.plan_create(
        county=county("06"),
        data={"title": "Ny plan", "kind": "strategi", "period_start": 2024, "period_end": 2030},
        actor=coordinator,
    )
    assert plan.status == ActionPlan.Status.DRAFT
    assert plan.version == 1
    entry = AuditEntry.objects.get(action="actionplans.plan_create")
    assert entry.actor == coordinator
    assert entry.changes["title"] == [None, "Ny plan"]


def test_plan_create_refused_for_reporter_and_other_county(make_user):
    for user in (make_user("reporter"), make_user("coordinator", county_code="07")):
        with pytest.raises(PermissionDenied):
            services.plan_create(
                county=county("06"),
                data={"title": "X", "period_start": 2024, "period_end": 2025},
                actor=user,
            )
    assert not ActionPlan.objects.exists()


def test_plan_create_refuses_backwards_period(coordinator):
    with pytest.raises(PlanError):
        services.plan_create(
            county=county("06"),
            data={"title": "X", "period_start": 2025, "period_end": 2024},
            actor=coordinator,
        )


def test_goal_create_update_and_audit(plan, coordinator):
    goal = services.goal_create(
        plan_id=plan.pk,
        data={"number": 1, "title": "Trygghet", "national_goals": [national_goal(1)]},
        actor=coordinator,
    )
    assert list(goal.national_goals.values_list("number", flat=True)) == [1]
    goal = services.goal_update(
        goal_id=goal.pk,
        expected_version=0,
        data={"title": "Trygghet för alla", "national_goals": [national_goal(1), national_goal(3)]},
        actor=coordinator,
    )
    assert goal.lock_version == 1
    entry = AuditEntry.objects.get(action="actionplans.goal_update")
    assert entry.target_id == plan.pk
    assert entry.changes["title"] == ["Trygghet", "Trygghet för alla"]
    assert entry.changes["national_goals"][1] == sorted([national_goal(1).pk, national_goal(3).pk])


def test_stale_update_is_refused_and_nothing_written(plan, coordinator):
    sub = SubGoalFactory(goal=GoalFactory(plan=plan), text="Original")
    services.subgoal_update(
        subgoal_id=sub.pk, expected_version=0, data={"text": "Första"}, actor=coordinator
    )
    with pytest.raises(StaleObjectError) as info:
        services.subgoal_update(
            subgoal_id=sub.pk, expected_version=0, data={"text": "Andra"}, actor=coordinator
        )
    assert info.value.current.text == "Första"
    sub.refresh_from_db()
    assert sub.text == "Första"


def test_editing_adopted_plan_is_refused(coordinator):
    plan = ActionPlanFactory(status=ActionPlan.Status.ADOPTED)
    goal = GoalFactory(plan=plan, title="Fast")
    with pytest.raises(PlanError, match="Revidera"):
        services.goal_update(
            goal_id=goal.pk, expected_version=0, data={"title": "Ny"}, actor=coordinator
        )
    with pytest.raises(PlanError):
        services.goal_create(plan_id=plan.pk, data={"number": 9, "title": "x"}, actor=coordinator)
    with pytest.raises(PlanError):
        services.goal_delete(goal_id=goal.pk, expected_version=0, actor=coordinator)
    goal.refresh_from_db()
    assert goal.title == "Fast"


def test_non_coordinator_cannot_change_parts(plan, make_user):
    goal = GoalFactory(plan=plan)
    for user in (make_user("management"), make_user("reporter"), make_user("observer")):
        with pytest.raises(PermissionDenied):
            services.goal_update(
                goal_id=goal.pk, expected_version=0, data={"title": "x"}, actor=user
            )


def test_move_swaps_neighbours_atomically(plan, coordinator):
    goal = GoalFactory(plan=plan)
    a, b, c = (SubGoalFactory(goal=goal, order=i) for i in range(3))
    services.subgoal_move(subgoal_id=c.pk, direction="up", actor=coordinator)
    assert list(goal.sub_goals.order_by("order").values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    services.subgoal_move(subgoal_id=a.pk, direction="up", actor=coordinator)  # already first
    assert list(goal.sub_goals.order_by("order").values_list("pk", flat=True)) == [a.pk, c.pk, b.pk]
    with pytest.raises(PlanError):
        services.subgoal_move(subgoal_id=a.pk, direction="sideways", actor=coordinator)


def test_delete_cascades_and_is_audited(plan, coordinator):
    goal = GoalFactory(plan=plan)
    PlannedActivityFactory(sub_goal=SubGoalFactory(goal=goal))
    services.goal_delete(goal_id=goal.pk, expected_version=0, actor=coordinator)
    assert not SubGoal.objects.exists()
    assert AuditEntry.objects.filter(action="actionplans.goal_delete").exists()


def test_activity_responsible_must_be_in_county(plan, coordinator):
    sub = SubGoalFactory(goal=GoalFactory(plan=plan))
    other = OrganisationFactory(county=county("07"))
    with pytest.raises(PlanError):
        services.activity_create(
            subgoal_id=sub.pk, data={"text": "x", "responsible": [other]}, actor=coordinator
        )


def test_indicator_value_set_replaces_value(plan, coordinator):
    indicator = IndicatorFactory(plan=plan)
    services.indicator_value_set(indicator_id=indicator.pk, year=2023, value=5, actor=coordinator)
    services.indicator_value_set(indicator_id=indicator.pk, year=2023, value=7, actor=coordinator)
    assert IndicatorValue.objects.get(indicator=indicator, year=2023).value == 7


def test_adopt_archives_previous_and_revise_deep_copies(coordinator):
    # given an adopted plan with a full tree
    org = OrganisationFactory()
    plan = ActionPlanFactory()
    goal = GoalFactory(plan=plan, number=1)
    goal.national_goals.set([national_goal(2)])
    sub = SubGoalFactory(goal=goal, code="1:1")
    act = PlannedActivityFactory(sub_goal=sub)
    act.responsible.set([org])
    indicator = IndicatorFactory(plan=plan)
    indicator.sub_goals.set([sub])
    services.plan_adopt(plan_id=plan.pk, expected_version=0, actor=coordinator)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ADOPTED

    # when it is revised
    new = services.plan_revise(plan_id=plan.pk, actor=coordinator)

    # then the copy is a full, independent draft
    assert (new.version, new.status, new.supersedes_id) == (2, "draft", plan.pk)
    new_goal = new.goals.get()
    assert list(new_goal.national_goals.all()) == [national_goal(2)]
    new_sub = new_goal.sub_goals.get()
    assert new_sub.pk != sub.pk
    assert new_sub.code == "1:1"
    assert list(new_sub.activities.get().responsible.all()) == [org]
    assert list(new.indicators.get().sub_goals.all()) == [new_sub]
    with pytest.raises(PlanError):
        services.plan_revise(plan_id=plan.pk, actor=coordinator)  # draft already exists

    # and adopting the revision archives the old one
    services.plan_adopt(plan_id=new.pk, expected_version=new.lock_version, actor=coordinator)
    plan.refresh_from_db()
    new.refresh_from_db()
    assert plan.status == ActionPlan.Status.ARCHIVED
    assert new.status == ActionPlan.Status.ADOPTED


def test_adopt_refusals(coordinator):
    empty = ActionPlanFactory()
    with pytest.raises(PlanError):
        services.plan_adopt(plan_id=empty.pk, expected_version=0, actor=coordinator)
    GoalFactory(plan=empty)
    with pytest.raises(StaleObjectError):
        services.plan_adopt(plan_id=empty.pk, expected_version=3, actor=coordinator)
    adopted = ActionPlanFactory(status=ActionPlan.Status.ADOPTED)
    with pytest.raises(PlanError):
        services.plan_adopt(plan_id=adopted.pk, expected_version=0, actor=coordinator)
    with pytest.raises(PlanError):
        services.plan_revise(plan_id=empty.pk, actor=coordinator)
    assert Goal.objects.count() == 1
