"""Every write to an action plan: create, edit, reorder and delete its parts, revise and adopt.

Each service locks the rows it changes, re-checks the actor's permission, refuses to touch a plan
that is not a draft, writes, and records an audit entry (target: the plan, so the plan's history
lists every change of its parts). Stale ``expected_version`` values raise ``StaleObjectError``.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import permissions, strategies
from actionplans.exceptions import PlanError
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorValue,
    PlannedActivity,
    SubGoal,
)
from agreements.permissions import can_edit_county
from kvinnofrid.core.audit import audit_log, model_changes
from kvinnofrid.core.locking import bump_version, lock_for_update
from kvinnofrid.core.ordering import move_within
from kvinnofrid.directory.models import County

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
    Indicator: ("name", "kind", "source", "unit", "baseline", "target", "target_year"),
}
PART_M2M: dict[type[models.Model], tuple[str, ...]] = {
    Goal: ("national_goals",),
    SubGoal: (),
    PlannedActivity: ("responsible",),
    Indicator: ("sub_goals",),
}
PART_ACTION = {
    Goal: "goal",
    SubGoal: "subgoal",
    PlannedActivity: "activity",
    Indicator: "indicator",
}


# --- helpers ---------------------------------------------------------------------------------


def snapshot(obj: models.Model, fields: tuple[str, ...], m2m: tuple[str, ...] = ()) -> dict:
    """The audited state of ``obj``: plain field values and sorted lists of related ids."""
    data: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        data[name] = getattr(obj, field.attname)
    for name in m2m:
        data[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj.pk else []
    return data


def _lock_plan(*, plan_id: int, actor: Any, expected_version: int | None = None) -> ActionPlan:
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


def _siblings(obj: models.Model) -> models.QuerySet:
    model = type(obj)
    if model is Goal:
        return Goal.objects.filter(plan_id=obj.plan_id)
    if model is SubGoal:
        return SubGoal.objects.filter(goal_id=obj.goal_id)
    if model is PlannedActivity:
        return PlannedActivity.objects.filter(sub_goal_id=obj.sub_goal_id)
    return Indicator.objects.filter(plan_id=obj.plan_id)


def _apply(obj: models.Model, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _set_m2m(obj: models.Model, data: dict[str, Any], m2m: tuple[str, ...]) -> None:
    for name in m2m:
        if name in data:
            getattr(obj, name).set(data[name])


def _check_m2m_scope(plan: ActionPlan, model: type[models.Model], data: dict[str, Any]) -> None:
    """Responsible organisations must be the county's; indicator delmål must be the plan's."""
    if model is PlannedActivity and "responsible" in data:
        for org in data["responsible"]:
            if org.county_id not in (plan.county_id, None):
                raise PlanError(_("Ansvariga organisationer måste höra till länet."))
    if model is Goal and "national_goals" in data:
        strategies.check_goal_national_goals(plan, data["national_goals"])
    if model is Indicator and "sub_goals" in data:
        for sub_goal in data["sub_goals"]:
            if sub_goal.goal.plan_id != plan.pk:
                raise PlanError(_("Indikatorn kan bara kopplas till delmål i samma plan."))


def _audit(*, actor: Any, plan: ActionPlan, action: str, message: str, changes: dict) -> None:
    audit_log(
        actor=actor,
        action=f"actionplans.{action}",
        target=plan,
        changes=changes,
        message=message[:500],
        county_id=plan.county_id,
    )


# --- the plan itself --------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, county: County, data: dict[str, Any], actor: Any) -> ActionPlan:
    """Create a new draft plan (version 1) for ``county``.

    Raises PermissionDenied unless the actor coordinates the county and PlanError for a period
    that ends before it starts.
    """
    if not can_edit_county(actor, county.pk):
        raise PermissionDenied
    plan = ActionPlan(county=county, status=ActionPlan.Status.DRAFT, version=1)
    _apply(plan, data, PLAN_FIELDS)
    if plan.period_end < plan.period_start:
        raise PlanError(_("Planperioden kan inte sluta före den börjar."))
    strategies.check_plan_links(plan)
    plan.save()
    _audit(
        actor=actor,
        plan=plan,
        action="plan_create",
        message=str(plan),
        changes=model_changes({}, snapshot(plan, PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_update(
    *, plan_id: int, expected_version: int | None, data: dict[str, Any], actor: Any
) -> ActionPlan:
    """Change a draft plan's title, period, vision and other texts.

    Raises StaleObjectError if the plan changed since ``expected_version`` and PlanError if it is
    not a draft.
    """
    plan = _lock_plan(plan_id=plan_id, actor=actor, expected_version=expected_version)
    _require_draft(plan)
    before = snapshot(plan, PLAN_FIELDS)
    _apply(plan, data, PLAN_FIELDS)
    if plan.period_end < plan.period_start:
        raise PlanError(_("Planperioden kan inte sluta före den börjar."))
    strategies.check_plan_links(plan)
    bump_version(plan)
    plan.save()
    _audit(
        actor=actor,
        plan=plan,
        action="plan_update",
        message=str(plan),
        changes=model_changes(before, snapshot(plan, PLAN_FIELDS)),
    )
    return plan


@transaction.atomic
def plan_delete(*, plan_id: int, expected_version: int | None, actor: Any) -> None:
    """Delete a draft plan with all its parts. Adopted and archived plans are kept."""
    plan = _lock_plan(plan_id=plan_id, actor=actor, expected_version=expected_version)
    _require_draft(plan)
    # Follow-up rounds protect their plan; a plan that has been followed up is history.
    if plan.rounds.exists():
        raise PlanError(
            _(
                "Planen har årliga uppföljningar och kan därför inte tas bort. Arkivera den i stället."
            )
        )
    _audit(actor=actor, plan=plan, action="plan_delete", message=str(plan), changes={})
    plan.delete()


@transaction.atomic
def plan_adopt(
    *,
    plan_id: int,
    expected_version: int | None,
    actor: Any,
    adopted_on: datetime.date | None = None,
) -> ActionPlan:
    """Adopt a draft plan; the plan it supersedes (if adopted) becomes archived.

    Both rows change in one transaction. Raises PlanError unless the plan is a draft with at
    least one goal.
    """
    plan = _lock_plan(plan_id=plan_id, actor=actor, expected_version=expected_version)
    _require_draft(plan)
    if not plan.goals.exists():
        raise PlanError(_("En plan utan mål kan inte antas. Lägg till minst ett mål."))
    archived = []
    for older in ActionPlan.objects.select_for_update().filter(
        county_id=plan.county_id, status=ActionPlan.Status.ADOPTED
    ):
        if older.pk == plan.supersedes_id:
            older.status = ActionPlan.Status.ARCHIVED
            bump_version(older)
            older.save(update_fields=["status", "lock_version", "updated_at"])
            archived.append(older)
            _audit(
                actor=actor,
                plan=older,
                action="plan_archive",
                message=str(older),
                changes={"status": ["adopted", "archived"]},
            )
    plan.status = ActionPlan.Status.ADOPTED
    plan.adopted_on = adopted_on or timezone.localdate()
    bump_version(plan)
    plan.save(update_fields=["status", "adopted_on", "lock_version", "updated_at"])
    _audit(
        actor=actor,
        plan=plan,
        action="plan_adopt",
        message=str(plan),
        changes={"status": ["draft", "adopted"], "adopted_on": [None, str(plan.adopted_on)]},
    )
    return plan


@transaction.atomic
def plan_revise(*, plan_id: int, actor: Any) -> ActionPlan:
    """Start a new draft version of an adopted plan: a deep copy of all its parts.

    Goals (with their national goals), delmål, activities (with responsible organisations),
    indicators (with their delmål links) and indicator values are copied; the new plan has
    ``version + 1`` and ``supersedes`` the old one. Raises PlanError if the plan is not adopted
    or a draft revision already exists.
    """
    plan = _lock_plan(plan_id=plan_id, actor=actor)
    if plan.status != ActionPlan.Status.ADOPTED:
        raise PlanError(_("Bara en antagen plan kan revideras."))
    existing = plan.superseded_by.filter(status=ActionPlan.Status.DRAFT).first()
    if existing is not None:
        raise PlanError(
            _("Det finns redan ett utkast till version %(version)s av planen.")
            % {"version": existing.version}
        )
    new = ActionPlan.objects.get(pk=plan.pk)
    new.pk = None
    new.id = None
    new._state.adding = True
    new.status = ActionPlan.Status.DRAFT
    new.adopted_on = None
    new.version = plan.version + 1
    new.supersedes = plan
    new.lock_version = 0
    new.save()
    _copy_parts(old=plan, new=new)
    _audit(
        actor=actor,
        plan=new,
        action="plan_revise",
        message=str(new),
        changes={"version": [plan.version, new.version], "supersedes": [None, plan.pk]},
    )
    return new


def _copy_parts(*, old: ActionPlan, new: ActionPlan) -> None:
    sub_goal_map: dict[int, SubGoal] = {}
    goals = old.goals.prefetch_related(
        "national_goals", "sub_goals__activities__responsible"
    ).order_by("order", "number", "id")
    for goal in goals:
        new_goal = Goal.objects.create(
            plan=new,
            number=goal.number,
            title=goal.title,
            description=goal.description,
            order=goal.order,
        )
        new_goal.national_goals.set(goal.national_goals.all())
        for sub_goal in goal.sub_goals.all():
            new_sub = SubGoal.objects.create(
                goal=new_goal, code=sub_goal.code, text=sub_goal.text, order=sub_goal.order
            )
            sub_goal_map[sub_goal.pk] = new_sub
            for activity in sub_goal.activities.all():
                new_act = PlannedActivity.objects.create(
                    sub_goal=new_sub, text=activity.text, order=activity.order
                )
                new_act.responsible.set(activity.responsible.all())
    for indicator in old.indicators.prefetch_related("sub_goals", "values"):
        new_ind = Indicator.objects.create(
            plan=new,
            **{name: getattr(indicator, name) for name in PART_FIELDS[Indicator]},
            order=indicator.order,
        )
        new_ind.sub_goals.set([sub_goal_map[s.pk] for s in indicator.sub_goals.all()])
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=new_ind,
                year=v.year,
                organisation_id=v.organisation_id,
                value=v.value,
                note=v.note,
            )
            for v in indicator.values.all()
        )


# --- parts: goals, delmål, activities, indicators --------------------------------------------


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
        changes=model_changes({}, snapshot(obj, PART_FIELDS[model], PART_M2M[model])),
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
        changes=model_changes(before, snapshot(obj, fields, m2m)),
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
        changes=model_changes(before, {}),
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


@transaction.atomic
def indicator_create(*, plan_id: int, data: dict[str, Any], actor: Any) -> Indicator:
    """Add an indicator (name, kind, source, unit, baseline, target, delmål) to a draft plan."""
    return _create_part(
        model=Indicator, plan_id=plan_id, parent={"plan_id": plan_id}, data=data, actor=actor
    )


@transaction.atomic
def indicator_update(
    *, indicator_id: int, expected_version: int | None, data: dict[str, Any], actor: Any
) -> Indicator:
    """Edit an indicator. Raises StaleObjectError / PlanError / PermissionDenied."""
    return _update_part(
        model=Indicator,
        pk=indicator_id,
        expected_version=expected_version,
        data=data,
        actor=actor,
    )


@transaction.atomic
def indicator_delete(*, indicator_id: int, expected_version: int | None, actor: Any) -> None:
    """Delete an indicator and its recorded values."""
    _delete_part(model=Indicator, pk=indicator_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def indicator_move(*, indicator_id: int, direction: str, actor: Any) -> Indicator:
    """Move an indicator one step ``up`` or ``down`` in the plan's list."""
    return _move_part(model=Indicator, pk=indicator_id, direction=direction, actor=actor)


@transaction.atomic
def indicator_value_set(
    *,
    indicator_id: int,
    year: int,
    value: Decimal,
    note: str = "",
    organisation: Any = None,
    actor: Any,
) -> IndicatorValue:
    """Record (or replace) the value of an indicator for a year (county total if no organisation).

    Values are measurements, so they may be recorded on adopted plans too; archived plans are
    read-only. Raises PlanError for an archived plan or an organisation of another county.
    """
    indicator = Indicator.objects.get(pk=indicator_id)
    plan = _lock_plan(plan_id=indicator.plan_id, actor=actor)
    if plan.status == ActionPlan.Status.ARCHIVED:
        raise PlanError(_("Planen är arkiverad och kan inte ändras."))
    if organisation is not None and organisation.county_id != plan.county_id:
        raise PlanError(_("Organisationen måste höra till länet."))
    current = IndicatorValue.objects.filter(
        indicator=indicator, year=year, organisation=organisation
    ).first()
    before = {"value": current.value, "note": current.note} if current else {}
    if current is None:
        current = IndicatorValue(indicator=indicator, year=year, organisation=organisation)
    current.value = value
    current.note = note
    current.save()
    _audit(
        actor=actor,
        plan=plan,
        action="indicator_value_set",
        message=f"{indicator} {year}",
        changes=model_changes(before, {"value": value, "note": note}),
    )
    return current


@transaction.atomic
def indicator_value_delete(*, value_id: int, actor: Any) -> None:
    """Remove a recorded indicator value (not on archived plans)."""
    value = IndicatorValue.objects.select_related("indicator").get(pk=value_id)
    plan = _lock_plan(plan_id=value.indicator.plan_id, actor=actor)
    if plan.status == ActionPlan.Status.ARCHIVED:
        raise PlanError(_("Planen är arkiverad och kan inte ändras."))
    _audit(
        actor=actor,
        plan=plan,
        action="indicator_value_delete",
        message=f"{value.indicator} {value.year}",
        changes=model_changes({"value": value.value}, {}),
    )
    value.delete()
