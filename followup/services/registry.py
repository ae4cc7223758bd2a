"""Diarienummer: the county's series, given when a yttrande is received or a report finalised.

A länsstyrelse is a public authority: an incoming yttrande is a public document and gets a
diarienummer, and so does the final lägesrapport. With an automatic series the number is taken
from the county's counter for the year, under a row lock, inside the transaction that receives
the document, so two documents never get the same number and a rolled-back submit gives none.
"""

import datetime
import re
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
from kvinnofrid.core.locking import StaleObjectError, bump_version
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


# A prefix is written before the running number: letters, digits and the usual separators.
_PREFIX_RE = re.compile(r"[0-9A-Za-zÅÄÖåäöÉé .:/_-]*")


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


def clean_prefix(value: str) -> str:
    """The series' prefix, checked (shared by the settings form and the service)."""
    value = _clean_number(value)
    if len(value) > 20:
        raise FollowUpError(_("Förledet får vara högst 20 tecken."))
    if not _PREFIX_RE.fullmatch(value):
        raise FollowUpError(
            _("Förledet får bara innehålla bokstäver, siffror, mellanslag och tecknen - . / : _")
        )
    return value


def county_registry(county_id: int) -> Registry | None:
    """The county's diarium settings, or None when it has not chosen yet."""
    return Registry.objects.filter(county_id=county_id).first()


def registers_manually(county_id: int) -> bool:
    """Whether the county's coordinators type numbers in (its own diarium)."""
    registry = county_registry(county_id)
    return registry is not None and registry.mode == Registry.Mode.MANUAL


@transaction.atomic
def registry_update(
    *,
    county: County,
    mode: str,
    prefix: str,
    actor: Any,
    lock_version: int | None = None,
) -> Registry:
    """Choose how the county registers documents (coordinators of the county).

    ``lock_version`` is the version the form was rendered with (0 before the first save); a
    stale one raises ``StaleObjectError`` and nothing is written."""
    if not permissions.can_edit_county(actor, county.pk):
        raise PermissionDenied
    if mode not in Registry.Mode.values:
        raise FollowUpError(_("Välj hur länet diarieför."))
    prefix = clean_prefix(prefix)
    if mode == Registry.Mode.MANUAL:
        prefix = ""  # a manual county has no series of the portal's
    registry, created = Registry.objects.select_for_update().get_or_create(
        county=county, defaults={"mode": mode, "prefix": prefix}
    )
    if lock_version is not None and registry.lock_version != lock_version:
        raise StaleObjectError(registry, lock_version)
    before = {
        "mode": "" if created else registry.mode,
        "prefix": "" if created else registry.prefix,
    }
    registry.mode, registry.prefix = mode, prefix
    bump_version(registry)
    registry.save(update_fields=["mode", "prefix", "lock_version", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.registry.updated",
        target=registry,
        county_id=county.pk,
        changes={
            k: [before[k], v]
            for k, v in (("mode", mode), ("prefix", prefix))
            if created or before[k] != v
        },
    )
    return registry


def _check_manual_number(
    *, county_id: int, number: str, submission_id: int = 0, report_id: int = 0
) -> None:
    """A typed-in number: the county registers manually, and the number is new in the county
    (among its yttranden and reports alike)."""
    if not number:
        raise FollowUpError(_("Skriv diarienumret."))
    # the county's settings row, locked: two numbers typed in at once are checked one by one
    registry = Registry.objects.select_for_update().filter(county_id=county_id).first()
    if registry is None or registry.mode != Registry.Mode.MANUAL:
        raise FollowUpError(
            _(
                "Länet får diarienummer ur portalens löpnummerserie. Välj manuell diarieföring "
                "i diarieinställningarna för att skriva in numren själv."
            )
        )
    submissions = Submission.objects.filter(
        round__plan__county_id=county_id, diarienummer=number
    ).exclude(pk=submission_id)
    reports = StatusReport.objects.filter(
        round__plan__county_id=county_id, diarienummer=number
    ).exclude(pk=report_id)
    if submissions.exists() or reports.exists():
        raise FollowUpError(_("Diarienumret används redan för ett annat dokument i länet."))


@transaction.atomic
def submission_set_diarienummer(*, submission_id: int, diarienummer: str, actor: Any) -> Submission:
    """Type in the number a received yttrande got in the county's own diarium (coordinators)."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round__plan")
        .get(pk=submission_id)
    )
    if not permissions.can_review_submission(actor, submission):
        raise PermissionDenied
    if submission.submitted_at is None:
        raise FollowUpError(_("Ett yttrande får diarienummer först när det har kommit in."))
    county_id = submission.round.plan.county_id
    number = _clean_number(diarienummer)
    _check_manual_number(county_id=county_id, number=number, submission_id=submission.pk)
    old, submission.diarienummer = submission.diarienummer, number
    submission.save(update_fields=["diarienummer", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.submission.registered",
        target=submission,
        county_id=county_id,
        changes={"diarienummer": [old, number]},
    )
    return submission


@transaction.atomic
def report_set_diarienummer(*, report_id: int, diarienummer: str, actor: Any) -> StatusReport:
    """Type in the number a final lägesrapport got in the county's own diarium (coordinators).
    A draft is not a received or adopted document and gets none."""
    report = (
        StatusReport.objects.select_for_update(of=("self",))
        .select_related("round__plan")
        .get(pk=report_id)
    )
    if not permissions.can_edit_report(actor, report):
        raise PermissionDenied
    if report.status != StatusReport.Status.FINAL:
        raise FollowUpError(_("En lägesrapport får diarienummer först när den har fastställts."))
    county_id = report.round.plan.county_id
    number = _clean_number(diarienummer)
    _check_manual_number(county_id=county_id, number=number, report_id=report.pk)
    old, report.diarienummer = report.diarienummer, number
    report.save(update_fields=["diarienummer", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.report.registered",
        target=report,
        county_id=county_id,
        changes={"diarienummer": [old, number]},
    )
    return report
