"""Diarienummer: the county's series, given when a yttrande is received or a report finalised.

A länsstyrelse is a public authority: an incoming yttrande is a public document and gets a
diarienummer, and so does the final lägesrapport. With an automatic series the number is taken
from the county's counter for the year, under a row lock, inside the transaction that receives
the document, so two documents never get the same number and a rolled-back submit gives none.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from followup import permissions
from followup.exceptions import FollowUpError
from followup.models import StatusReport, Submission
from followup.registry import Registry, RegistryCounter
from kvinnofrid.core.audit import audit_log
from kvinnofrid.core.forms import clean_text, validate_single_line
from kvinnofrid.directory.models import County


@transaction.atomic
def registry_next_number(*, county_id: int, on: datetime.date) -> str:
    """The next number of the county's automatic series for ``on``'s year, or "" when the
    county registers manually (or has not chosen). Called inside the receiving transaction, so
    a rolled-back receipt gives its number back; on its own it is a transaction of its own."""
    registry = Registry.objects.filter(county_id=county_id).first()
    if registry is None or registry.mode != Registry.Mode.AUTOMATIC:
        return ""
    counter, _created = RegistryCounter.objects.select_for_update().get_or_create(
        county_id=county_id, year=on.year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{registry.prefix}{counter.last_number}-{on.year}"


def submission_register(submission: Submission) -> None:
    """Give a just-received yttrande its number (automatic series only; never renumbers)."""
    if submission.diarienummer:
        return
    received = timezone.localtime(submission.submitted_at or timezone.now()).date()
    submission.diarienummer = registry_next_number(
        county_id=submission.round.plan.county_id, on=received
    )


def report_register(report: StatusReport) -> None:
    """Give a just-finalised lägesrapport its number (automatic series only)."""
    if report.diarienummer:
        return
    finalised = timezone.localtime(report.finalised_at or timezone.now()).date()
    report.diarienummer = registry_next_number(county_id=report.round.plan.county_id, on=finalised)


def _clean_number(value: str) -> str:
    value = value.strip()
    try:
        clean_text(value)
        validate_single_line(value)
    except ValidationError as exc:
        raise FollowUpError(exc.messages[0]) from exc
    if len(value) > 50:
        raise FollowUpError(_("Diarienumret får vara högst 50 tecken."))
    return value


@transaction.atomic
def registry_update(*, county: County, mode: str, prefix: str, actor: Any) -> Registry:
    """Choose how the county registers documents (coordinators of the county)."""
    if not permissions.can_edit_county(actor, county.pk):
        raise PermissionDenied
    if mode not in Registry.Mode.values:
        raise FollowUpError(_("Välj hur länet diarieför."))
    prefix = _clean_number(prefix)
    registry, _created = Registry.objects.select_for_update().get_or_create(
        county=county, defaults={"mode": mode, "prefix": prefix}
    )
    before = {"mode": registry.mode, "prefix": registry.prefix}
    registry.mode, registry.prefix = mode, prefix
    registry.save(update_fields=["mode", "prefix", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.registry.updated",
        target=registry,
        county_id=county.pk,
        changes={k: [before[k], v] for k, v in (("mode", mode), ("prefix", prefix))},
    )
    return registry


@transaction.atomic
def submission_set_diarienummer(*, submission_id: int, diarienummer: str, actor: Any) -> Submission:
    """Type in the number a received yttrande got in the county's own diarium (coordinators)."""
    submission = (
        Submission.objects.select_for_update().select_related("round__plan").get(pk=submission_id)
    )
    if not permissions.can_review_submission(actor, submission):
        raise PermissionDenied
    if submission.submitted_at is None:
        raise FollowUpError(_("Ett yttrande får diarienummer först när det har kommit in."))
    old, submission.diarienummer = submission.diarienummer, _clean_number(diarienummer)
    submission.save(update_fields=["diarienummer", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.submission.registered",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes={"diarienummer": [old, submission.diarienummer]},
    )
    return submission
