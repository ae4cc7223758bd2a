"""Every write to an agreement and its parties, commitments (målområden) and meetings.

The agreement is the aggregate: its ``lock_version`` guards the agreement's own fields and every
change to its parties, commitments and meetings (each edit form carries it). Each service locks
the agreement row, re-checks the actor's permission, writes and records an audit entry.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from agreements import permissions
from agreements.exceptions import AgreementError
from agreements.models import Agreement, Commitment, Meeting, Party
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import audit_log, model_changes
from kvinnofrid.core.children import ChildKind, ChildWriter, field_value
from kvinnofrid.core.locking import bump_version, lock_for_update
from kvinnofrid.directory.models import County

AGREEMENT_FIELDS = (
    "title",
    "governing_body",
    "meetings_per_year",
    "purpose",
    "vision",
    "scope_text",
    "signed_on",
    "signed_place",
    "valid_from",
    "valid_until",
    "diarienummer",
)
ITEM_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Party: ("organisation", "signatory_name", "signatory_title"),
    Commitment: ("heading", "text", "national_goal", "indicator_hint"),
    Meeting: ("date", "title", "notes", "decisions"),
}
ITEM_ACTION: dict[type[models.Model], str] = {
    Party: "party",
    Commitment: "commitment",
    Meeting: "meeting",
}


def _snapshot(obj: models.Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: field_value(obj, name) for name in fields}


def _check_dates(agreement: Agreement) -> None:
    if (
        agreement.valid_from
        and agreement.valid_until
        and agreement.valid_until < agreement.valid_from
    ):
        raise AgreementError(_("Slutdatumet kan inte ligga före startdatumet."))


def _lock(*, agreement_id: int, expected_version: int | None, actor: Actor) -> Agreement:
    agreement = lock_for_update(
        Agreement.objects.all(), pk=agreement_id, expected_version=expected_version
    )
    if not permissions.can_edit_agreement(actor, agreement):
        raise PermissionDenied
    return agreement


def _touch(agreement: Agreement) -> None:
    bump_version(agreement)
    agreement.save(update_fields=["lock_version", "updated_at"])


def _audit(
    *, actor: Actor, agreement: Agreement, action: str, message: str, changes: dict[str, Any]
) -> None:
    audit_log(
        actor=actor,
        action=f"agreements.{action}",
        target=agreement,
        changes=changes,
        message=message[:500],
        county_id=agreement.county_id,
    )


@transaction.atomic
def agreement_create(*, county: County, data: dict[str, Any], actor: Actor) -> Agreement:
    """Create an agreement for ``county``. Raises PermissionDenied / AgreementError."""
    if not permissions.can_edit_county(actor, county.pk):
        raise PermissionDenied
    agreement = Agreement(county=county)
    for name in AGREEMENT_FIELDS:
        if name in data:
            setattr(agreement, name, data[name])
    _check_dates(agreement)
    agreement.save()
    _audit(
        actor=actor,
        agreement=agreement,
        action="agreement_create",
        message=str(agreement),
        changes=model_changes({}, _snapshot(agreement, AGREEMENT_FIELDS), model=Agreement),
    )
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Agreement:
    """Change the agreement's own fields. Raises StaleObjectError / AgreementError."""
    agreement = _lock(agreement_id=agreement_id, expected_version=expected_version, actor=actor)
    before = _snapshot(agreement, AGREEMENT_FIELDS)
    for name in AGREEMENT_FIELDS:
        if name in data:
            setattr(agreement, name, data[name])
    _check_dates(agreement)
    bump_version(agreement)
    agreement.save()
    _audit(
        actor=actor,
        agreement=agreement,
        action="agreement_update",
        message=str(agreement),
        changes=model_changes(before, _snapshot(agreement, AGREEMENT_FIELDS), model=Agreement),
    )
    return agreement


@transaction.atomic
def agreement_copy(*, agreement_id: int, actor: Actor) -> Agreement:
    """Start a new agreement from ``agreement``: its texts, parties and commitments are copied,
    dates and signatures are left empty, and ``previous`` points back. Meetings are not copied."""
    old = _lock(agreement_id=agreement_id, expected_version=None, actor=actor)
    new = Agreement(county_id=old.county_id, previous=old)
    for name in ("title", "governing_body", "meetings_per_year", "purpose", "vision", "scope_text"):
        setattr(new, name, getattr(old, name))
    new.save()
    Party.objects.bulk_create(
        Party(
            agreement=new,
            organisation_id=p.organisation_id,
            signatory_name=p.signatory_name,
            signatory_title=p.signatory_title,
            order=p.order,
        )
        for p in old.parties.all()
    )
    Commitment.objects.bulk_create(
        Commitment(
            agreement=new,
            heading=c.heading,
            text=c.text,
            national_goal_id=c.national_goal_id,
            indicator_hint=c.indicator_hint,
            order=c.order,
        )
        for c in old.commitments.all()
    )
    _audit(
        actor=actor,
        agreement=new,
        action="agreement_copy",
        message=str(new),
        changes={"previous": [None, old.pk]},
    )
    return new


def _check_item(agreement: Agreement, model: type[models.Model], data: dict[str, Any]) -> None:
    if model is Party and "organisation" in data:
        if data["organisation"].county_id != agreement.county_id:
            raise AgreementError(_("Parten måste vara en organisation i länet."))
        clash = Party.objects.filter(agreement=agreement, organisation=data["organisation"])
        if data.get("_pk"):
            clash = clash.exclude(pk=data["_pk"])
        if clash.exists():
            raise AgreementError(_("Organisationen är redan part i överenskommelsen."))


class AgreementItems(ChildWriter[Agreement, Actor]):
    """An agreement's parties, målområden and meetings, guarded by the agreement's version."""

    error = AgreementError
    kinds = {
        model: ChildKind(
            model, ITEM_ACTION[model], ITEM_FIELDS[model], ordered=model is not Meeting
        )
        for model in ITEM_FIELDS
    }

    def aggregate_id(self, obj: models.Model) -> int:
        if not isinstance(obj, Party | Commitment | Meeting):
            raise TypeError(type(obj))
        return obj.agreement_id

    def lock(self, *, aggregate_id: int, expected_version: int | None, actor: Actor) -> Agreement:
        return _lock(agreement_id=aggregate_id, expected_version=expected_version, actor=actor)

    def siblings(self, obj: models.Model) -> models.QuerySet[Any]:
        return type(obj)._default_manager.filter(agreement_id=self.aggregate_id(obj))

    def check(
        self, aggregate: Agreement, kind: ChildKind, data: dict[str, Any], pk: int | None
    ) -> None:
        _check_item(aggregate, kind.model, {**data, "_pk": pk})

    def touched(self, aggregate: Agreement) -> None:
        _touch(aggregate)

    def audit(
        self,
        *,
        actor: Actor,
        aggregate: Agreement,
        action: str,
        message: str,
        changes: dict[str, Any],
    ) -> None:
        _audit(actor=actor, agreement=aggregate, action=action, message=message, changes=changes)


ITEMS = AgreementItems()


def _item_create[I: models.Model](
    *,
    model: type[I],
    agreement_id: int,
    expected_version: int | None,
    data: dict[str, Any],
    actor: Actor,
) -> I:
    return ITEMS.create(
        model,
        aggregate_id=agreement_id,
        parent={"agreement_id": agreement_id},
        data=data,
        actor=actor,
        expected_version=expected_version,
    )


def _item_update[I: models.Model](
    *,
    model: type[I],
    pk: int,
    expected_version: int | None,
    data: dict[str, Any],
    actor: Actor,
) -> I:
    return ITEMS.update(model, pk=pk, expected_version=expected_version, data=data, actor=actor)


def _item_delete(
    *, model: type[models.Model], pk: int, expected_version: int | None, actor: Actor
) -> None:
    ITEMS.delete(model, pk=pk, expected_version=expected_version, actor=actor)


def _item_move(*, model: type[models.Model], pk: int, direction: str, actor: Actor) -> None:
    ITEMS.move(model, pk=pk, direction=direction, actor=actor)


@transaction.atomic
def party_add(
    *, agreement_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Party:
    """Add a signatory (organisation of the county, name, title) at the end of the list."""
    return _item_create(
        model=Party,
        agreement_id=agreement_id,
        expected_version=expected_version,
        data=data,
        actor=actor,
    )


@transaction.atomic
def party_update(
    *, party_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Party:
    """Change a signatory. ``expected_version`` is the agreement's lock_version."""
    return _item_update(
        model=Party, pk=party_id, expected_version=expected_version, data=data, actor=actor
    )


@transaction.atomic
def party_remove(*, party_id: int, expected_version: int | None, actor: Actor) -> None:
    """Remove a signatory from the agreement."""
    _item_delete(model=Party, pk=party_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def party_move(*, party_id: int, direction: str, actor: Actor) -> None:
    """Move a signatory one step ``up`` or ``down``; orders are renumbered atomically."""
    _item_move(model=Party, pk=party_id, direction=direction, actor=actor)


@transaction.atomic
def commitment_add(
    *, agreement_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Commitment:
    """Add a målområde (heading, text, optional national goal, indicator hint)."""
    return _item_create(
        model=Commitment,
        agreement_id=agreement_id,
        expected_version=expected_version,
        data=data,
        actor=actor,
    )


@transaction.atomic
def commitment_update(
    *, commitment_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Commitment:
    """Change a målområde. ``expected_version`` is the agreement's lock_version."""
    return _item_update(
        model=Commitment,
        pk=commitment_id,
        expected_version=expected_version,
        data=data,
        actor=actor,
    )


@transaction.atomic
def commitment_remove(*, commitment_id: int, expected_version: int | None, actor: Actor) -> None:
    """Remove a målområde."""
    _item_delete(model=Commitment, pk=commitment_id, expected_version=expected_version, actor=actor)


@transaction.atomic
def commitment_move(*, commitment_id: int, direction: str, actor: Actor) -> None:
    """Move a målområde one step ``up`` or ``down``."""
    _item_move(model=Commitment, pk=commitment_id, direction=direction, actor=actor)


@transaction.atomic
def meeting_add(
    *, agreement_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Meeting:
    """Record a meeting of the governing body (date, title, notes, decisions)."""
    return _item_create(
        model=Meeting,
        agreement_id=agreement_id,
        expected_version=expected_version,
        data=data,
        actor=actor,
    )


@transaction.atomic
def meeting_update(
    *, meeting_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> Meeting:
    """Change a meeting record. ``expected_version`` is the agreement's lock_version."""
    return _item_update(
        model=Meeting, pk=meeting_id, expected_version=expected_version, data=data, actor=actor
    )


@transaction.atomic
def meeting_remove(*, meeting_id: int, expected_version: int | None, actor: Actor) -> None:
    """Remove a meeting record."""
    _item_delete(model=Meeting, pk=meeting_id, expected_version=expected_version, actor=actor)
