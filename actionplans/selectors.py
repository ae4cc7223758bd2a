"""Reads of action plans that need more than one query: the plan tree, history and comparison."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorValue,
    PlannedActivity,
    SubGoal,
)
from agreements.models import County
from kvinnofrid.core.models import AuditEntry


def _tree_lookups() -> list[Any]:
    return [
        Prefetch("goals", queryset=Goal.objects.order_by("order", "number", "id")),
        "goals__national_goals",
        Prefetch("goals__sub_goals", queryset=SubGoal.objects.order_by("order", "id")),
        Prefetch(
            "goals__sub_goals__activities",
            queryset=PlannedActivity.objects.order_by("order", "id"),
        ),
        "goals__sub_goals__activities__responsible",
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("order", "id").prefetch_related(
                Prefetch(
                    "sub_goals",
                    queryset=SubGoal.objects.select_related("goal").order_by(
                        "goal__order", "order", "id"
                    ),
                ),
                Prefetch(
                    "values",
                    queryset=IndicatorValue.objects.select_related("organisation").order_by(
                        "year", "organisation__name"
                    ),
                ),
            ),
        ),
    ]


def prefetch_plan_tree(plan: ActionPlan) -> ActionPlan:
    """Load the tree of a plan already read: goals → national goals, delmål → activities →
    responsible, and indicators → delmål, values (eight queries at most, whatever the plan's
    size). Each delmål gets ``tree_indicators``, its indicators in order, from the same rows."""
    prefetch_related_objects([plan], *_tree_lookups())
    by_sub_goal: dict[int, list[Indicator]] = {}
    for indicator in plan.indicators.all():
        for sub_goal in indicator.sub_goals.all():
            by_sub_goal.setdefault(sub_goal.pk, []).append(indicator)
    for goal in plan.goals.all():
        for sub_goal in goal.sub_goals.all():
            sub_goal.tree_indicators = by_sub_goal.get(sub_goal.pk, [])  # type: ignore[attr-defined]
    return plan


def plan_with_tree(*, plans: QuerySet[ActionPlan], pk: int) -> ActionPlan:
    """One plan with its tree (:func:`prefetch_plan_tree`). Raises DoesNotExist."""
    return prefetch_plan_tree(plans.select_related("county", "agreement", "supersedes").get(pk=pk))


def prefetch_plan_goals(plan: ActionPlan) -> ActionPlan:
    """A plan already read, with its goals and their national goals (the county start page)."""
    prefetch_related_objects(
        [plan],
        Prefetch("goals", queryset=Goal.objects.order_by("order", "number", "id")),
        "goals__national_goals",
    )
    return plan


def county_current_plan(*, county: County) -> ActionPlan | None:
    """The county's adopted plan (newest), else its newest draft, else None."""
    return (
        ActionPlan.objects.filter(county=county)
        .current()
        .order_by("status", "-period_start", "-version", "-id")
        .first()
    )


def plan_history(*, plan: ActionPlan, limit: int = 200) -> list[AuditEntry]:
    """The audit entries of a plan and its parts, newest first."""
    content_type = ContentType.objects.get_for_model(ActionPlan)
    return list(
        AuditEntry.objects.filter(target_type=content_type, target_id=plan.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


# --- comparing two versions -------------------------------------------------------------------


@dataclass
class Change:
    kind: str  # "goal", "subgoal", "activity", "indicator"
    label: str
    status: str  # "added", "removed", "changed"
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


@dataclass
class Comparison:
    old: ActionPlan
    new: ActionPlan
    changes: list[Change]

    def of_status(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    @property
    def added(self) -> list[Change]:
        return self.of_status("added")

    @property
    def removed(self) -> list[Change]:
        return self.of_status("removed")

    @property
    def changed(self) -> list[Change]:
        return self.of_status("changed")


def _flatten(plan: ActionPlan) -> dict[tuple, tuple[str, str, dict[str, Any]]]:
    """Key → (kind, label, comparable values) for every part of a prefetched plan.

    Goals match by number; delmål by goal number and position (code as tiebreaker of meaning);
    activities by goal, delmål position and position; indicators by name.
    """
    items: dict[tuple, tuple[str, str, dict[str, Any]]] = {}
    for goal in plan.goals.all():
        goal_key = ("goal", goal.number)
        items[goal_key] = (
            "goal",
            f"Mål {goal.number}",
            {
                "title": goal.title,
                "description": goal.description,
                "national_goals": ", ".join(str(n.number) for n in goal.national_goals.all()),
            },
        )
        for position, sub_goal in enumerate(goal.sub_goals.all(), start=1):
            sub_key = ("subgoal", goal.number, position)
            code = sub_goal.code or f"#{position}"
            items[sub_key] = (
                "subgoal",
                f"Mål {goal.number}, delmål {code}",
                {"code": sub_goal.code, "text": sub_goal.text},
            )
            for act_pos, activity in enumerate(sub_goal.activities.all(), start=1):
                items[("activity", goal.number, position, act_pos)] = (
                    "activity",
                    f"Mål {goal.number}, delmål {code}, aktivitet {act_pos}",
                    {
                        "text": activity.text,
                        "responsible": ", ".join(o.name for o in activity.responsible.all()),
                    },
                )
    for indicator in plan.indicators.all():
        items[("indicator", indicator.name)] = (
            "indicator",
            f"Indikator {indicator.name}",
            {
                "kind": indicator.get_kind_display(),
                "source": indicator.source,
                "unit": indicator.unit,
                "baseline": indicator.baseline,
                "target": indicator.target,
                "target_year": indicator.target_year,
                "sub_goals": ", ".join(
                    f"{s.goal.number}:{s.code or s.pk}" for s in indicator.sub_goals.all()
                ),
            },
        )
    return items


def plan_compare(*, old: ActionPlan, new: ActionPlan) -> Comparison:
    """What was added, removed and changed from ``old`` to ``new`` (both prefetched trees)."""
    before, after = _flatten(old), _flatten(new)
    changes: list[Change] = []
    for key, (kind, label, values) in after.items():
        if key not in before:
            changes.append(Change(kind, label, "added", [(k, None, v) for k, v in values.items()]))
            continue
        old_values = before[key][2]
        diff = [(k, old_values.get(k), v) for k, v in values.items() if old_values.get(k) != v]
        if diff:
            changes.append(Change(kind, label, "changed", diff))
    for key, (kind, label, values) in before.items():
        if key not in after:
            changes.append(
                Change(kind, label, "removed", [(k, v, None) for k, v in values.items()])
            )
    return Comparison(old=old, new=new, changes=changes)
