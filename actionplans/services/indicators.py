"""A plan's indicators and their yearly values."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.exceptions import PlanError
from actionplans.models import (
    ActionPlan,
    Indicator,
    IndicatorValue,
)
from actionplans.services._shared import (
    _audit,
    _lock_plan,
)
from actionplans.services.parts import _create_part, _delete_part, _move_part, _update_part
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import model_changes
from kvinnofrid.directory.models import Organisation


@transaction.atomic
def indicator_create(*, plan_id: int, data: dict[str, Any], actor: Actor) -> Indicator:
    """Add an indicator (name, kind, source, unit, baseline, target, delmål) to a draft plan."""
    return _create_part(
        model=Indicator, plan_id=plan_id, parent={"plan_id": plan_id}, data=data, actor=actor
    )


@transaction.atomic
def indicator_update(
    *, indicator_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
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
def indicator_delete(*, indicator_id: int, expected_version: int | None, actor: Actor) -> None:
    """Delete an indicator and its recorded values."""
    _delete_part(model=Indicator, pk=indicator_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def indicator_move(*, indicator_id: int, direction: str, actor: Actor) -> Indicator:
    """Move an indicator one step ``up`` or ``down`` in the plan's list."""
    return _move_part(model=Indicator, pk=indicator_id, direction=direction, actor=actor)


@transaction.atomic
def indicator_value_set(
    *,
    indicator_id: int,
    year: int,
    value: Decimal,
    note: str = "",
    organisation: Organisation | None = None,
    actor: Actor,
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
        changes=model_changes(before, {"value": value, "note": note}, model=IndicatorValue),
    )
    return current


@transaction.atomic
def indicator_value_delete(*, value_id: int, actor: Actor) -> None:
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
