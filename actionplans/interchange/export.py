"""Reading a plan out of the database as a ``kvinnofrid-plan/1`` dict; the county's current plan."""

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from actionplans.interchange.format import (
    FORMAT,
    PLAN_TEXT_KEYS,
)
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    NationalGoal,
    PlannedActivity,
    SubGoal,
)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _export_goals(plan: ActionPlan) -> tuple[list[dict[str, Any]], dict[int, dict[str, int]]]:
    """The goal rows (with their delmål and activities) and each delmål's reference
    ``{"goal": number, "position": 1-based}`` by id, for the indicators."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("order", "number", "id")
        .prefetch_related(
            Prefetch("national_goals", queryset=NationalGoal.objects.order_by("number")),
            Prefetch(
                "sub_goals",
                queryset=SubGoal.objects.order_by("order", "id").prefetch_related(
                    Prefetch(
                        "activities",
                        queryset=PlannedActivity.objects.order_by("order", "id").prefetch_related(
                            "responsible"
                        ),
                    )
                ),
            ),
        )
    )
    positions: dict[int, dict[str, int]] = {}
    goal_rows = []
    for goal in goals:
        sub_goal_rows = []
        for position, sub_goal in enumerate(goal.sub_goals.all(), 1):
            positions[sub_goal.pk] = {"goal": goal.number, "position": position}
            sub_goal_rows.append(
                {
                    "code": sub_goal.code,
                    "text": sub_goal.text,
                    "activities": [
                        {
                            "text": activity.text,
                            "responsible": sorted(o.name for o in activity.responsible.all()),
                        }
                        for activity in sub_goal.activities.all()
                    ],
                }
            )
        goal_rows.append(
            {
                "number": goal.number,
                "title": goal.title,
                "description": goal.description,
                "national_goals": [n.number for n in goal.national_goals.all()],
                "sub_goals": sub_goal_rows,
            }
        )
    return goal_rows, positions


def _export_indicators(
    plan: ActionPlan, positions: dict[int, dict[str, int]]
) -> list[dict[str, Any]]:
    """The indicator rows; each refers to its delmål by goal number and position."""
    indicators = (
        Indicator.objects.filter(plan=plan)
        .order_by("order", "id")
        .prefetch_related(
            "sub_goals", Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year"))
        )
    )
    indicator_rows = [
        {
            "name": indicator.name,
            "kind": indicator.kind,
            "source": indicator.source,
            "unit": indicator.unit or None,
            "baseline": _number(indicator.baseline),
            "targets": [
                {"year": target.year, "value": _number(target.value)}
                for target in indicator.targets.all()
            ],
            "sub_goals": sorted(
                (positions[sg.pk] for sg in indicator.sub_goals.all() if sg.pk in positions),
                key=lambda ref: (ref["goal"], ref["position"]),
            ),
        }
        for indicator in indicators
    ]
    return indicator_rows


def plan_export(*, plan: ActionPlan) -> dict[str, Any]:
    """The plan as a ``kvinnofrid-plan/1`` dict (JSON-serialisable). A fixed number of queries."""
    goal_rows, positions = _export_goals(plan)
    indicator_rows = _export_indicators(plan, positions)
    data: dict[str, Any] = {
        "format": FORMAT,
        "county": plan.county.code,
        "kind": plan.kind,
        "title": plan.title,
        "period": {"start": plan.period_start, "end": plan.period_end},
        # the plan's strategy frame, by title (issue 14); older files have no such key
        "strategy": plan.strategy.name if plan.strategy is not None else None,
    }
    data.update({key: getattr(plan, key) for key in PLAN_TEXT_KEYS})
    data.update(
        {
            "diarienummer": plan.diarienummer or None,
            "serial_number": plan.serial_number or None,
            "goals": goal_rows,
            "indicators": indicator_rows,
        }
    )
    return data


def current_plan(*, county_code: str) -> ActionPlan | None:
    """The county's current plan: the newest adopted one, else the newest draft."""
    plans = ActionPlan.objects.filter(county__code=county_code)
    return (
        plans.filter(status=ActionPlan.Status.ADOPTED)
        .order_by("-period_start", "-version", "-id")
        .first()
        or plans.filter(status=ActionPlan.Status.DRAFT).order_by("-id").first()
    )
