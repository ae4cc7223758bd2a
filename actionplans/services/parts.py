"""A plan's parts: create, edit, delete and reorder goals, delmål and activities (and the
generic part steps indicators share)."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from actionplans.exceptions import PlanError
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    PlannedActivity,
    SubGoal,
)
from actionplans.services._shared import (
    PART_ACTION,
    PART_FIELDS,
    PART_M2M,
    _audit,
    _check_m2m_scope,
    _lock_plan,
    _require_draft,
    _siblings,
    part_plan_id,
)
from actionplans.targets import format_targets
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.children import ChildKind, ChildWriter


class PlanParts(ChildWriter[ActionPlan, Actor]):
    """A draft plan's goals, delmål, activities and indicators (each with its own version)."""

    error = PlanError
    lock_child = True
    kinds = {
        model: ChildKind(model, PART_ACTION[model], PART_FIELDS[model], PART_M2M[model])
        for model in PART_FIELDS
    }

    def aggregate_id(self, obj: models.Model) -> int:
        return part_plan_id(obj)

    def lock(self, *, aggregate_id: int, expected_version: int | None, actor: Actor) -> ActionPlan:
        plan = _lock_plan(plan_id=aggregate_id, actor=actor)
        _require_draft(plan)
        return plan

    def siblings(self, obj: models.Model) -> models.QuerySet[Any]:
        return _siblings(obj)

    def check(
        self, aggregate: ActionPlan, kind: ChildKind, data: dict[str, Any], pk: int | None
    ) -> None:
        _check_m2m_scope(aggregate, kind.model, data)

    def snapshot(self, obj: models.Model, kind: ChildKind) -> dict[str, Any]:
        data = super().snapshot(obj, kind)
        if isinstance(obj, Indicator) and obj.pk:
            # an indicator's targets per year are audited with it, as "2026: 40" lines
            data["targets"] = format_targets(obj.targets.values_list("year", "value"))
        return data

    @staticmethod
    def _set_links(obj: models.Model, kind: ChildKind, data: dict[str, Any]) -> None:
        ChildWriter._set_links(obj, kind, data)
        if isinstance(obj, Indicator) and "targets" in data:
            set_indicator_targets(obj, data["targets"])

    def audit(
        self,
        *,
        actor: Actor,
        aggregate: ActionPlan,
        action: str,
        message: str,
        changes: dict[str, Any],
    ) -> None:
        _audit(actor=actor, plan=aggregate, action=action, message=message, changes=changes)


PARTS = PlanParts()


def set_indicator_targets(indicator: Indicator, targets: Iterable[tuple[int, Decimal]]) -> None:
    """Replace the indicator's targets by ``(year, value)`` pairs (one per year). The caller
    holds the plan's lock and audits the change."""
    pairs = dict(targets)
    indicator.targets.exclude(year__in=pairs).delete()
    current = {t.year: t for t in indicator.targets.all()}
    for year, value in pairs.items():
        target = current.get(year)
        if target is None:
            IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
        elif target.value != value:
            target.value = value
            target.save(update_fields=["value"])


def _create_part[P: models.Model](
    *, model: type[P], plan_id: int, parent: dict[str, Any], data: dict[str, Any], actor: Actor
) -> P:
    return PARTS.create(model, aggregate_id=plan_id, parent=parent, data=data, actor=actor)


def _update_part[P: models.Model](
    *, model: type[P], pk: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> P:
    return PARTS.update(model, pk=pk, expected_version=expected_version, data=data, actor=actor)


def _delete_part(
    *, model: type[models.Model], pk: int, expected_version: int | None, actor: Actor
) -> None:
    PARTS.delete(model, pk=pk, expected_version=expected_version, actor=actor)


def _move_part[P: models.Model](*, model: type[P], pk: int, direction: str, actor: Actor) -> P:
    """Swap a part with its neighbour; all sibling orders are renumbered in one transaction."""
    return PARTS.move(model, pk=pk, direction=direction, actor=actor)


@transaction.atomic
def goal_create(*, plan_id: int, data: dict[str, Any], actor: Actor) -> Goal:
    """Add a goal (number, title, description, national goals) at the end of a draft plan."""
    return _create_part(
        model=Goal, plan_id=plan_id, parent={"plan_id": plan_id}, data=data, actor=actor
    )


@transaction.atomic
def goal_update(
    *, goal_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Goal:
    """Edit a goal of a draft plan. Raises StaleObjectError / PlanError / PermissionDenied."""
    return _update_part(
        model=Goal, pk=goal_id, expected_version=expected_version, data=data, actor=actor
    )


@transaction.atomic
def goal_delete(*, goal_id: int, expected_version: int | None, actor: Actor) -> None:
    """Delete a goal with its delmål and activities (a draft plan only)."""
    _delete_part(model=Goal, pk=goal_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def goal_move(*, goal_id: int, direction: str, actor: Actor) -> Goal:
    """Move a goal one step ``up`` or ``down`` among the plan's goals."""
    return _move_part(model=Goal, pk=goal_id, direction=direction, actor=actor)


@transaction.atomic
def subgoal_create(*, goal_id: int, data: dict[str, Any], actor: Actor) -> SubGoal:
    """Add a delmål (code, text) at the end of a goal of a draft plan."""
    goal = Goal.objects.get(pk=goal_id)
    return _create_part(
        model=SubGoal, plan_id=goal.plan_id, parent={"goal": goal}, data=data, actor=actor
    )


@transaction.atomic
def subgoal_update(
    *, subgoal_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> SubGoal:
    """Edit a delmål. Raises StaleObjectError / PlanError / PermissionDenied."""
    return _update_part(
        model=SubGoal, pk=subgoal_id, expected_version=expected_version, data=data, actor=actor
    )


@transaction.atomic
def subgoal_delete(*, subgoal_id: int, expected_version: int | None, actor: Actor) -> None:
    """Delete a delmål with its activities."""
    _delete_part(model=SubGoal, pk=subgoal_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def subgoal_move(*, subgoal_id: int, direction: str, actor: Actor) -> SubGoal:
    """Move a delmål one step ``up`` or ``down`` within its goal."""
    return _move_part(model=SubGoal, pk=subgoal_id, direction=direction, actor=actor)


@transaction.atomic
def activity_create(*, subgoal_id: int, data: dict[str, Any], actor: Actor) -> PlannedActivity:
    """Add a planned activity (text, responsible organisations) under a delmål."""
    sub_goal = SubGoal.objects.select_related("goal").get(pk=subgoal_id)
    return _create_part(
        model=PlannedActivity,
        plan_id=sub_goal.goal.plan_id,
        parent={"sub_goal": sub_goal},
        data=data,
        actor=actor,
    )


@transaction.atomic
def activity_update(
    *, activity_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> PlannedActivity:
    """Edit a planned activity. Raises StaleObjectError / PlanError / PermissionDenied."""
    return _update_part(
        model=PlannedActivity,
        pk=activity_id,
        expected_version=expected_version,
        data=data,
        actor=actor,
    )


@transaction.atomic
def activity_delete(*, activity_id: int, expected_version: int | None, actor: Actor) -> None:
    """Delete a planned activity."""
    _delete_part(
        model=PlannedActivity, pk=activity_id, expected_version=expected_version, actor=actor
    )


@transaction.atomic
def activity_move(*, activity_id: int, direction: str, actor: Actor) -> PlannedActivity:
    """Move an activity one step ``up`` or ``down`` within its delmål."""
    return _move_part(model=PlannedActivity, pk=activity_id, direction=direction, actor=actor)
