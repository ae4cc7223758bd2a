"""The county start page's written-out reader of a plan's goals (actionplans.selectors.
plan_goals) reads what the ORM's query reads, in the same order."""

from typing import Any

import pytest

from actionplans.models import ActionPlan, Goal, NationalGoal
from actionplans.selectors import plan_goals
from tests.factories import ActionPlanFactory, GoalFactory

pytestmark = pytest.mark.django_db


def _orm(plan: ActionPlan) -> list[dict[str, Any]]:
    """The reading the written-out query replaces: one row per goal and national goal."""
    by_goal: dict[int, dict[str, Any]] = {}
    for row in (
        Goal.objects.filter(plan=plan)
        .order_by(
            "order", "number", "id", "national_goals__strategy", "national_goals__number"
        )
        .values(
            "id", "number", "title", "description", "national_goals__number",
            "national_goals__short_title", "national_goals__title",
        )
    ):  # fmt: skip
        goal = by_goal.setdefault(
            row["id"],
            {k: row[k] for k in ("id", "number", "title", "description")} | {"national_goals": []},
        )
        if row["national_goals__number"] is not None:
            label = f"{row['national_goals__number']}. {row['national_goals__short_title']}"
            goal["national_goals"].append({"label": label, "title": row["national_goals__title"]})
    return list(by_goal.values())


def test_plan_goals_match_the_orm():
    plan = ActionPlanFactory()
    assert plan_goals(plan=plan) == _orm(plan) == []
    ActionPlanFactory(county=plan.county)  # another plan's goals stay out
    GoalFactory(plan=ActionPlan.objects.exclude(pk=plan.pk).get(county=plan.county), number=9)
    later = GoalFactory(plan=plan, number=3, order=1, title="Sist", description="<b>x</b>")
    first = GoalFactory(plan=plan, number=2, order=1, title="Först")
    GoalFactory(plan=plan, number=1, order=2, title="Utan")  # no national goal
    reference = list(NationalGoal.objects.select_related("strategy"))
    strategies = sorted({g.strategy for g in reference}, key=lambda s: s.valid_from)
    assert len(strategies) >= 2, "needs goals of two frames to check their order"
    older = [g for g in reference if g.strategy == strategies[0]]
    newer = [g for g in reference if g.strategy == strategies[-1]]
    first.national_goals.set([older[2], newer[1], older[0], newer[0]])
    later.national_goals.set([older[1]])
    got = plan_goals(plan=plan)
    assert got == _orm(plan)
    assert [g["title"] for g in got] == ["Först", "Sist", "Utan"]
    assert len(got[0]["national_goals"]) == 4
