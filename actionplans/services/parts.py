"""A plan's parts: create, edit, delete and reorder goals, delmål and activities (and the
generic part steps indicators share)."""

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from actionplans.exceptions import PlanError
from actionplans.models import (
    Goal,
    PlannedActivity,
    SubGoal,
)
from actionplans.services._shared import (
    PART_ACTION,
    PART_FIELDS,
    PART_M2M,
    _apply,
    _audit,
    _check_m2m_scope,
    _lock_plan,
    _require_draft,
    _set_m2m,
    _siblings,
    part_plan_id,
    snapshot,
)
from kvinnofrid.core.audit import model_changes
from kvinnofrid.core.locking import bump_version, lock_for_update
from kvinnofrid.core.ordering import move_within


def _create_part(
    *, model: type[models.Model], plan_id: int, parent: dict[str, Any], data: dict, actor: Any
) -> Any:
    plan = _lock_plan(plan_id=plan_id, actor=actor)
    _require_draft(plan)
    _check_m2m_scope(plan, model, data)
    obj = model(**parent)
    _apply(obj, data, PART_FIELDS[model])
    last = _siblings(obj).aggregate(m=models.Max("order"))["m"]
    obj.order = 0 if last is None else last + 1
    obj.save()
    _set_m2m(obj, data, PART_M2M[model])
    _audit(
        actor=actor,
        plan=plan,
        action=f"{PART_ACTION[model]}_create",
        message=str(obj),
        changes=model_changes({}, snapshot(obj, PART_FIELDS[model], PART_M2M[model]), model=model),
    )
    return obj


def _update_part(
    *, model: type[models.Model], pk: int, expected_version: int | None, data: dict, actor: Any
) -> Any:
    obj = model.objects.get(pk=pk)
    plan = _lock_plan(plan_id=part_plan_id(obj), actor=actor)
    obj = lock_for_update(model.objects.all(), pk=pk, expected_version=expected_version)
    _require_draft(plan)
    _check_m2m_scope(plan, model, data)
    fields, m2m = PART_FIELDS[model], PART_M2M[model]
    before = snapshot(obj, fields, m2m)
    _apply(obj, data, fields)
    bump_version(obj)
    obj.save()
    _set_m2m(obj, data, m2m)
    _audit(
        actor=actor,
        plan=plan,
        action=f"{PART_ACTION[model]}_update",
        message=str(obj),
        changes=model_changes(before, snapshot(obj, fields, m2m), model=model),
    )
    return obj


def _delete_part(
    *, model: type[models.Model], pk: int, expected_version: int | None, actor: Any
) -> None:
    obj = model.objects.get(pk=pk)
    plan = _lock_plan(plan_id=part_plan_id(obj), actor=actor)
    obj = lock_for_update(model.objects.all(), pk=pk, expected_version=expected_version)
    _require_draft(plan)
    before = snapshot(obj, PART_FIELDS[model], PART_M2M[model])
    _audit(
        actor=actor,
        plan=plan,
        action=f"{PART_ACTION[model]}_delete",
        message=str(obj),
        changes=model_changes(before, {}, model=model),
    )
    obj.delete()


def _move_part(*, model: type[models.Model], pk: int, direction: str, actor: Any) -> Any:
    """Swap a part with its neighbour; all sibling orders are renumbered in one transaction."""
    if direction not in ("up", "down"):
        raise PlanError(_("Okänd riktning."))
    obj = model.objects.get(pk=pk)
    plan = _lock_plan(plan_id=part_plan_id(obj), actor=actor)
    _require_draft(plan)
    siblings = list(_siblings(obj).select_for_update())
    index, target = move_within(siblings, pk=pk, direction=direction)
    model.objects.bulk_update(siblings, ["order"])
    _audit(
        actor=actor,
        plan=plan,
        action=f"{PART_ACTION[model]}_move",
        message=str(obj),
        changes={"order": [index + 1, target + 1]},
    )
    return siblings[target]


@transaction.atomic
def goal_create(*, plan_id: int, data: dict[str, Any], actor: Any) -> Goal:
    """Add a goal (number, title, description, national goals) at the end of a draft plan."""
    return _create_part(
        model=Goal, plan_id=plan_id, parent={"plan_id": plan_id}, data=data, actor=actor
    )


@transaction.atomic
def goal_update(
    *, goal_id: int, expected_version: int | None, data: dict[str, Any], actor: Any
) -> Goal:
    """Edit a goal of a draft plan. Raises StaleObjectError / PlanError / PermissionDenied."""
    return _update_part(
        model=Goal, pk=goal_id, expected_version=expected_version, data=data, actor=actor
    )


@transaction.atomic
def goal_delete(*, goal_id: int, expected_version: int | None, actor: Any) -> None:
    """Delete a goal with its delmål and activities (a draft plan only)."""
    _delete_part(model=Goal, pk=goal_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def goal_move(*, goal_id: int, direction: str, actor: Any) -> Goal:
    """Move a goal one step ``up`` or ``down`` among the plan's goals."""
    return _move_part(model=Goal, pk=goal_id, direction=direction, actor=actor)


@transaction.atomic
def subgoal_create(*, goal_id: int, data: dict[str, Any], actor: Any) -> SubGoal:
    """Add a delmål (code, text) at the end of a goal of a draft plan."""
    goal = Goal.objects.get(pk=goal_id)
    return _create_part(
        model=SubGoal, plan_id=goal.plan_id, parent={"goal": goal}, data=data, actor=actor
    )


@transaction.atomic
def subgoal_update(
    *, subgoal_id: int, expected_version: int | None, data: dict[str, Any], actor: Any
) -> SubGoal:
    """Edit a delmål. Raises StaleObjectError / PlanError / PermissionDenied."""
    return _update_part(
        model=SubGoal, pk=subgoal_id, expected_version=expected_version, data=data, actor=actor
    )


@transaction.atomic
def subgoal_delete(*, subgoal_id: int, expected_version: int | None, actor: Any) -> None:
    """Delete a delmål with its activities."""
    _delete_part(model=SubGoal, pk=subgoal_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def subgoal_move(*, subgoal_id: int, direction: str, actor: Any) -> SubGoal:
    """Move a delmål one step ``up`` or ``down`` within its goal."""
    return _move_part(model=SubGoal, pk=subgoal_id, direction=direction, actor=actor)


@transaction.atomic
def activity_create(*, subgoal_id: int, data: dict[str, Any], actor: Any) -> PlannedActivity:
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
    *, activity_id: int, expected_version: int | None, data: dict[str, Any], actor: Any
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
def activity_delete(*, activity_id: int, expected_version: int | None, actor: Any) -> None:
    """Delete a planned activity."""
    _delete_part(
        model=PlannedActivity, pk=activity_id, expected_version=expected_version, actor=actor
    )


@transaction.atomic
def activity_move(*, activity_id: int, direction: str, actor: Any) -> PlannedActivity:
    """Move an activity one step ``up`` or ``down`` within its delmål."""
    return _move_part(model=PlannedActivity, pk=activity_id, direction=direction, actor=actor)
