"""Writes to a county's directory of actors: add, edit (incl. deactivate) and bulk import.

Organisations are never deleted here: one that closes or merges gets ``active_until`` so its
history (submissions, memberships, the audit log) stays and response-rate denominators stay
right. Every service locks, checks the actor, validates, writes and audits in one transaction.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from kvinnofrid.core.audit import audit_log, model_changes
from kvinnofrid.directory.actor_import import ActorFile, check_table
from kvinnofrid.directory.exceptions import DirectoryError
from kvinnofrid.directory.logo import validate_logo
from kvinnofrid.directory.models import County, Organisation
from kvinnofrid.directory.permissions import can_manage_actors
from kvinnofrid.directory.validation import FIELDS, check_organisation_fields

EDITABLE = (*FIELDS, "active_from", "active_until")


def _check_dates(active_from: datetime.date | None, active_until: datetime.date | None) -> None:
    if active_from and active_until and active_until < active_from:
        raise ValidationError(
            {"active_until": _("Aktiv till kan inte vara före aktiv från.")}, code="dates"
        )


def _snapshot(organisation: Organisation) -> dict[str, Any]:
    return {f: getattr(organisation, f) for f in EDITABLE}


@transaction.atomic
def organisation_create(
    *, actor: Any, county_id: int, data: dict[str, Any], skip_permission_checks: bool = False
) -> Organisation:
    """Add an organisation to the county.

    ``data`` holds the fields of ``EDITABLE``. Raises ``PermissionDenied`` unless the actor
    coordinates the county, ``ValidationError`` (a dict by field) for bad or duplicate values.
    Audited as ``directory.organisation.created``.
    """
    county = County.objects.select_for_update().get(pk=county_id)
    if not skip_permission_checks and not can_manage_actors(actor, county.pk):
        raise PermissionDenied
    cleaned, errors = check_organisation_fields(county=county, data=data)
    if errors:
        raise ValidationError(errors)
    _check_dates(data.get("active_from"), data.get("active_until"))
    organisation = Organisation.objects.create(
        county=county,
        active_from=data.get("active_from"),
        active_until=data.get("active_until"),
        **cleaned,
    )
    audit_log(
        actor=actor,
        action="directory.organisation.created",
        target=organisation,
        county_id=county.pk,
        changes=model_changes({}, _snapshot(organisation)),
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation_id: int, data: dict[str, Any]) -> Organisation:
    """Change an organisation's fields; setting ``active_until`` deactivates it.

    Raises ``PermissionDenied`` unless the actor coordinates its county, ``ValidationError``
    for bad values, ``DirectoryError`` for a national organisation (no county). Audited as
    ``directory.organisation.updated`` (and ``.deactivated`` when ``active_until`` is set).
    """
    organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
    if organisation.county_id is None:
        raise DirectoryError(_("Nationella organisationer ändras inte här."))
    if not can_manage_actors(actor, organisation.county_id):
        raise PermissionDenied
    county = County.objects.get(pk=organisation.county_id)
    cleaned, errors = check_organisation_fields(
        county=county, data=data, exclude_pk=organisation.pk
    )
    if errors:
        raise ValidationError(errors)
    _check_dates(data.get("active_from"), data.get("active_until"))
    before = _snapshot(organisation)
    for key, value in cleaned.items():
        setattr(organisation, key, value)
    organisation.active_from = data.get("active_from")
    organisation.active_until = data.get("active_until")
    changes = model_changes(before, _snapshot(organisation))
    if not changes:
        return organisation
    organisation.save(update_fields=[*EDITABLE, "updated_at"])
    deactivated = before["active_until"] is None and organisation.active_until is not None
    audit_log(
        actor=actor,
        action=(
            "directory.organisation.deactivated"
            if deactivated
            else "directory.organisation.updated"
        ),
        target=organisation,
        county_id=county.pk,
        changes=changes,
    )
    return organisation


class ImportRefused(DirectoryError):
    """The file has bad rows; ``problems`` names each (nothing was written)."""

    def __init__(self, checked: ActorFile) -> None:
        super().__init__(_("Filen har fel; ingenting importerades."))
        self.problems = checked.problems


@transaction.atomic
def organisations_import(
    *,
    actor: Any,
    county_id: int,
    table: list[list[str]],
    dry_run: bool = False,
    skip_permission_checks: bool = False,
) -> list[Organisation]:
    """Create one organisation per row of ``table`` (header first), all or none.

    The county row is locked so two imports cannot both add the same name. Every row is checked
    again inside the lock; any problem raises ``ImportRefused`` and nothing is written. With
    ``dry_run`` the checks run and nothing is written (the returned objects are unsaved).
    Raises ``PermissionDenied`` unless the actor coordinates the county (management commands
    pass ``skip_permission_checks``). Audited per organisation and once for the import.
    """
    county = County.objects.select_for_update().get(pk=county_id)
    if not skip_permission_checks and not can_manage_actors(actor, county.pk):
        raise PermissionDenied
    checked = check_table(table=table, county=county)
    if not checked.ok:
        raise ImportRefused(checked)
    organisations = [Organisation(county=county, **row) for row in checked.rows]
    if dry_run:
        return organisations
    for organisation in organisations:
        organisation.save()
        audit_log(
            actor=actor,
            action="directory.organisation.created",
            target=organisation,
            county_id=county.pk,
            changes=model_changes({}, _snapshot(organisation)),
            message="import",
        )
    audit_log(
        actor=actor,
        action="directory.organisations.imported",
        target=county,
        county_id=county.pk,
        message=_("%(count)d aktörer importerades.") % {"count": len(organisations)},
    )
    return organisations


@transaction.atomic
def county_logo_set(
    *, actor: Any, county_id: int, content: bytes, skip_permission_checks: bool = False
) -> County:
    """Store ``content`` as the county's logo (the lägesrapport's cover), replacing the old one.

    The file is checked by ``kvinnofrid.directory.logo.validate_logo`` (SVG or PNG); a bad file
    raises ``ValidationError`` and nothing is stored. Raises ``PermissionDenied`` unless the
    actor coordinates the county. Audited as ``directory.county.logo_set``.
    """
    county = County.objects.select_for_update().get(pk=county_id)
    if not skip_permission_checks and not can_manage_actors(actor, county.pk):
        raise PermissionDenied
    logo = validate_logo(content)
    old_name = county.logo.name if county.logo else ""
    county.logo.save(f"logotyp.{logo.extension}", ContentFile(logo.content), save=False)
    county.save(update_fields=["logo"])
    if old_name and old_name != county.logo.name:
        name = old_name
        transaction.on_commit(lambda: county.logo.storage.delete(name))
    audit_log(
        actor=actor,
        action="directory.county.logo_set",
        target=county,
        county_id=county.pk,
        changes={"logo": [old_name or None, county.logo.name]},
    )
    return county


@transaction.atomic
def county_logo_remove(
    *, actor: Any, county_id: int, skip_permission_checks: bool = False
) -> County:
    """Take the county's logo off the cover. Raises ``PermissionDenied`` unless the actor
    coordinates the county. Audited as ``directory.county.logo_removed``."""
    county = County.objects.select_for_update().get(pk=county_id)
    if not skip_permission_checks and not can_manage_actors(actor, county.pk):
        raise PermissionDenied
    old_name = county.logo.name if county.logo else ""
    if not old_name:
        return county
    county.logo = ""
    county.save(update_fields=["logo"])
    storage = County._meta.get_field("logo").storage
    transaction.on_commit(lambda: storage.delete(old_name))
    audit_log(
        actor=actor,
        action="directory.county.logo_removed",
        target=county,
        county_id=county.pk,
        changes={"logo": [old_name, None]},
    )
    return county
