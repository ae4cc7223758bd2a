"""Writes of the report-back (återrapportering): save the texts, finalise.

Each: lock → check permission → check state → write → audit (text lengths only, never the words).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.exceptions import FollowUpError
from followup.national.models import ReportBack
from followup.national.permissions import can_edit_report_back
from followup.national.report_back import round_of
from kvinnofrid.core.audit import audit_log, text_change
from kvinnofrid.core.locking import bump_version, lock_for_update
from kvinnofrid.directory.models import County

MAX_TEXT = 20_000


def _check(allowed: bool, skip: bool) -> None:
    if not (allowed or skip):
        raise PermissionDenied


def _clean_texts(texts: dict[str, str], keys: list[str]) -> dict[str, str]:
    cleaned = {}
    for key in keys:
        text = (texts.get(key) or "").replace("\r\n", "\n").strip()
        if len(text) > MAX_TEXT:
            raise FollowUpError(
                _("Texten för målsättning %(key)s är för lång (högst %(n)d tecken).")
                % {"key": key, "n": MAX_TEXT}
            )
        if text:
            cleaned[key] = text
    return cleaned


@transaction.atomic
def report_back_save(
    *,
    county_id: int,
    year: int,
    texts: dict[str, str],
    keys: list[str],
    actor: Any,
    expected_version: int | None = None,
    skip_permission_checks: bool = False,
) -> ReportBack:
    """Create the county's report-back for ``year`` or save its texts (one per national goal
    key in ``keys``; an empty text means "use the generated one").

    Raises PermissionDenied (not the county's coordinator), StaleObjectError (someone saved
    since the form was opened) and FollowUpError (final, or a text too long).
    """
    _check(can_edit_report_back(actor, county_id), skip_permission_checks)
    cleaned = _clean_texts(texts, keys)
    pk = ReportBack.objects.filter(county_id=county_id, year=year).values_list("pk", flat=True)
    expected = expected_version
    if not pk:
        county = County.objects.get(pk=county_id)
        try:
            with transaction.atomic():
                ReportBack.objects.create(
                    county=county, year=year, round=round_of(county=county, year=year)
                )
            expected = None  # new: nothing to be stale against
        except IntegrityError:
            pass  # created by someone else a moment ago: the version check applies
    report_back = lock_for_update(
        ReportBack.objects.filter(county_id=county_id, year=year),
        pk=ReportBack.objects.get(county_id=county_id, year=year).pk,
        expected_version=expected,
    )
    if report_back.status == ReportBack.Status.FINAL:
        raise FollowUpError(_("Återrapporteringen är fastställd och kan inte längre ändras."))
    before = dict(report_back.texts)
    report_back.texts = cleaned
    bump_version(report_back)
    report_back.save(update_fields=["texts", "lock_version", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.report_back.saved",
        target=report_back,
        county_id=county_id,
        changes={
            f"text_{key}": text_change(before.get(key), cleaned.get(key))
            for key in sorted(set(before) | set(cleaned))
            if before.get(key) != cleaned.get(key)
        },
    )
    return report_back


@transaction.atomic
def report_back_finalise(
    *,
    report_back_id: int,
    actor: Any,
    expected_version: int | None = None,
    skip_permission_checks: bool = False,
) -> ReportBack:
    """ "Fastställ": the report-back becomes final and read-only.

    Raises PermissionDenied, StaleObjectError, or FollowUpError if it is already final.
    """
    report_back = lock_for_update(
        ReportBack.objects.all(), pk=report_back_id, expected_version=expected_version
    )
    _check(can_edit_report_back(actor, report_back.county_id), skip_permission_checks)
    if report_back.status == ReportBack.Status.FINAL:
        raise FollowUpError(_("Återrapporteringen är redan fastställd."))
    report_back.status = ReportBack.Status.FINAL
    report_back.finalised_at = timezone.now()
    report_back.finalised_by = actor if getattr(actor, "is_authenticated", False) else None
    bump_version(report_back)
    report_back.save(
        update_fields=["status", "finalised_at", "finalised_by", "lock_version", "updated_at"]
    )
    audit_log(
        actor=actor,
        action="followup.report_back.finalised",
        target=report_back,
        county_id=report_back.county_id,
    )
    return report_back
