import pytest

from actionplans import selectors, services
from actionplans.exceptions import PlanError
from actionplans.models import ActionPlan
from tests.factories import (
    ActionPlanFactory,
    GoalFactory,
    IndicatorFactory,
    PlannedActivityFactory,
    SubGoalFactory,
    national_goal,
)

pytestmark = pytest.mark.django_db


def _tree(plan):
    return selectors.plan_with_tree(plans=ActionPlan.objects.all(), pk=plan.pk)


def test_compare_lists_added_removed_and_changed_parts(make_user):
    # given an adopted version 1 and its revision
    coordinator = make_user("coordinator")
    plan = ActionPlanFactory()
    goal = GoalFactory(plan=plan, number=1, title="Förebygga")
    goal.national_goals.set([national_goal(1)])
    sub_a = SubGoalFactory(goal=goal, code="1:1", text="Första", order=0)
    SubGoalFactory(goal=goal, code="1:2", text="Andra", order=1)
    PlannedActivityFactory(sub_goal=sub_a, text="Utbildning")
    IndicatorFactory(plan=plan, name="Antal samråd")
    GoalFactory(plan=plan, number=2, title="Tas bort")
    services.plan_adopt(plan_id=plan.pk, expected_version=0, actor=coordinator)
    new = services.plan_revise(plan_id=plan.pk, actor=coordinator)

    # when the revision is changed
    new_goal = new.goals.get(number=1)
    services.goal_update(
        goal_id=new_goal.pk,
        expected_version=0,
        data={"national_goals": [national_goal(1), national_goal(2)]},
        actor=coordinator,
    )
    first = new_goal.sub_goals.get(code="1:1")
    services.subgoal_update(
        subgoal_id=first.pk, expected_version=0, data={"text": "Första, ändrad"}, actor=coordinator
    )
    services.activity_create(subgoal_id=first.pk, data={"text": "Ny kampanj"}, actor=coordinator)
    removed_goal = new.goals.get(number=2)
    services.goal_delete(goal_id=removed_goal.pk, expected_version=0, actor=coordinator)
    services.indicator_create(
        plan_id=new.pk,
        data={"name": "Antal anmälningar", "kind": "quantitative"},
        actor=coordinator,
    )

    # then the comparison names each difference
    comparison = selectors.plan_compare(old=_tree(plan), new=_tree(new))
    changed = {c.label: c for c in comparison.changed}
    added = {c.label for c in comparison.added}
    removed = {c.label for c in comparison.removed}
    assert changed["Mål 1, delmål 1:1"].fields == [("text", "Första", "Första, ändrad")]
    assert changed["Mål 1"].fields == [("national_goals", "1", "1, 2")]
    assert "Mål 1, delmål 1:1, aktivitet 2" in added
    assert "Indikator Antal anmälningar" in added
    assert "Mål 2" in removed
    assert "Mål 1, delmål 1:2" not in changed


def test_reorder_shows_as_change_by_position():
    plan = ActionPlanFactory()
    goal = GoalFactory(plan=plan, number=1)
    SubGoalFactory(goal=goal, code="1:1", text="A", order=0)
    SubGoalFactory(goal=goal, code="1:2", text="B", order=1)
    other = ActionPlanFactory(version=2)
    other_goal = GoalFactory(plan=other, number=1, title=goal.title)
    SubGoalFactory(goal=other_goal, code="1:2", text="B", order=0)
    SubGoalFactory(goal=other_goal, code="1:1", text="A", order=1)
    comparison = selectors.plan_compare(old=_tree(plan), new=_tree(other))
    assert len(comparison.changed) == 2
    assert not comparison.added
    assert not comparison.removed


def test_adopted_and_archived_versions_are_read_only(make_user):
    coordinator = make_user("coordinator")
    plan = ActionPlanFactory()
    GoalFactory(plan=plan)
    services.plan_adopt(plan_id=plan.pk, expected_version=0, actor=coordinator)
    new = services.plan_revise(plan_id=plan.pk, actor=coordinator)
    services.plan_adopt(plan_id=new.pk, expected_version=0, actor=coordinator)
    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ARCHIVED

    for target in (plan, new):
        with pytest.raises(PlanError):
            services.goal_create(
                plan_id=target.pk, data={"number": 5, "title": "x"}, actor=coordinator
            )
    with pytest.raises(PlanError):
        services.plan_revise(plan_id=plan.pk, actor=coordinator)  # archived
