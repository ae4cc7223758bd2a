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


def _loaded(rows):
    return [
        (
            type(r),
            r.pk,
            r.get_deferred_fields(),
            {f: getattr(r, f) for f in r.__dict__ if f[0] != "_"},
        )
        for r in rows
    ]


def test_agreements_and_plans_match_the_orm():
    import datetime

    from actionplans.start_readers import county_agreements, county_plans
    from agreements.models import Agreement
    from tests.factories import AgreementFactory, county

    home = county("06")
    d = datetime.date
    for valid_from in (d(2020, 1, 1), d(2024, 1, 1), d(2024, 1, 1)):
        AgreementFactory(county=home, valid_from=valid_from, signed_on=valid_from)
    AgreementFactory(county=county("01"))
    first = ActionPlanFactory(county=home, period_start=2021, status=ActionPlan.Status.ADOPTED)
    ActionPlanFactory(county=home, period_start=2023, version=2, supersedes=first)
    ActionPlanFactory(county=home, period_start=2021, version=3, status=ActionPlan.Status.ARCHIVED)
    ActionPlanFactory(county=county("01"))
    agreements = (
        Agreement.objects.filter(county=home)
        .order_by("-valid_from", "-id")
        .only("county_id", "title", "signed_on", "valid_from", "valid_until")
    )
    plans = ActionPlan.objects.filter(county=home).only(
        "county_id", "supersedes_id", "title", "status", "version", "period_start", "period_end"
    )
    assert _loaded(county_agreements(county_id=home.pk)) == _loaded(agreements)
    assert len(agreements) == 3
    assert _loaded(county_plans(county_id=home.pk)) == _loaded(plans)
    assert len(plans) == 3
    assert county_plans(county_id=county("03").pk) == []
