"""Helpers shared by the plan services: field lists, the plan lock, the draft check, part
look-ups and the audit entry on the plan."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext as _

from actionplans import permissions, strategies
from actionplans.exceptions import PlanError
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    PlannedActivity,
    SubGoal,
)
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import audit_log
from kvinnofrid.core.children import field_value
from kvinnofrid.core.locking import lock_for_update

PLAN_FIELDS = (
    "title",
    "kind",
    "period_start",
    "period_end",
    "vision",
    "purpose",
    "target_groups",
    "perspectives",
    "areas",
    "diarienummer",
    "serial_number",
    "agreement",
    "strategy",
)

PART_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Goal: ("number", "title", "description"),
    SubGoal: ("code", "text"),
    PlannedActivity: ("text",),
    Indicator: ("name", "kind", "source", "unit", "baseline"),
}
PART_M2M: dict[type[models.Model], tuple[str, ...]] = {
    Goal: ("national_goals",),
    SubGoal: (),
    PlannedActivity: ("responsible",),
    Indicator: ("sub_goals",),
}
PART_ACTION: dict[type[models.Model], str] = {
    Goal: "goal",
    SubGoal: "subgoal",
    PlannedActivity: "activity",
    Indicator: "indicator",
}


def snapshot(
    obj: models.Model, fields: tuple[str, ...], m2m: tuple[str, ...] = ()
) -> dict[str, Any]:
    """The audited state of ``obj``: plain field values and sorted lists of related ids."""
    data: dict[str, Any] = {}
    for name in fields:
        data[name] = field_value(obj, name)
    for name in m2m:
        data[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    return data


def _lock_plan(*, plan_id: int, actor: Actor, expected_version: int | None = None) -> ActionPlan:
    plan = lock_for_update(ActionPlan.objects.all(), pk=plan_id, expected_version=expected_version)
    if not permissions.can_edit_plan(actor, plan):
        raise PermissionDenied
    return plan


def _require_draft(plan: ActionPlan) -> None:
    if not plan.is_editable:
        raise PlanError(
            _(
                "Planen är %(status)s och kan inte ändras. Revidera den för att skapa "
                "en ny version att arbeta i."
            )
            % {"status": plan.get_status_display().lower()}
        )


def part_plan_id(obj: models.Model) -> int:
    """The id of the plan a goal, delmål, activity or indicator belongs to."""
    if isinstance(obj, Goal | Indicator):
        return obj.plan_id
    if isinstance(obj, SubGoal):
        return obj.goal.plan_id
    if isinstance(obj, PlannedActivity):
        return obj.sub_goal.goal.plan_id
    raise TypeError(type(obj))


def _siblings(obj: models.Model) -> models.QuerySet[Goal | SubGoal | PlannedActivity | Indicator]:
    """The parts ``obj`` is ordered among: its plan's goals or indicators, its goal's delmål or
    its delmål's activities."""
    if isinstance(obj, Goal):
        return Goal.objects.filter(plan_id=obj.plan_id)
    if isinstance(obj, SubGoal):
        return SubGoal.objects.filter(goal_id=obj.goal_id)
    if isinstance(obj, PlannedActivity):
        return PlannedActivity.objects.filter(sub_goal_id=obj.sub_goal_id)
    if isinstance(obj, Indicator):
        return Indicator.objects.filter(plan_id=obj.plan_id)
    raise TypeError(type(obj))


def _apply(obj: models.Model, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _check_m2m_scope(plan: ActionPlan, model: type[models.Model], data: dict[str, Any]) -> None:
    """Responsible organisations must be the county's; indicator delmål must be the plan's."""
    if model is PlannedActivity and "responsible" in data:
        for org in data["responsible"]:
            if org.county_id not in (plan.county_id, None):
                raise PlanError(_("Ansvariga organisationer måste höra till länet."))
    if model is Indicator and "sub_goals" in data:
        for sub_goal in data["sub_goals"]:
            if sub_goal.goal.plan_id != plan.pk:
                raise PlanError(_("Indikatorn kan bara kopplas till delmål i samma plan."))
    if model is Goal and "national_goals" in data:
        strategies.check_goal_national_goals(plan, data["national_goals"])


def _audit(
    *, actor: Actor, plan: ActionPlan, action: str, message: str, changes: dict[str, Any]
) -> None:
    audit_log(
        actor=actor,
        action=f"actionplans.{action}",
        target=plan,
        changes=changes,
        message=message[:500],
        county_id=plan.county_id,
    )
