"""The report list's rows (the county's final reports and drafts), read as plain values and
with the texts of each final report formatted once in Python, as ``followup.national.cells``
does: the template's own messages (the same msgids, so the same translations), values shown
as the template showed them (localized, escaped). The template keeps the markup."""

import html
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from followup.models import StatusReport


def _e(value: Any) -> str:
    """``value`` as ``{{ value }}`` shows it: localized, then escaped."""
    return html.escape(str(localize(value)))


def _safe(text: str) -> SafeString:
    return mark_safe(text)  # noqa: S308 - every value put into it went through _e


def _finalised_on(finalised_at: Any) -> str:
    """What ``finalised_at|date:"j F Y"`` shows: the local day, or nothing."""
    return date_format(timezone.localtime(finalised_at), "j F Y") if finalised_at else ""


def report_rows(
    *, county_id: int, drafts: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The county's final reports (newest year first) and, with ``drafts``, its drafts: each
    ``pk``, ``round_id``, ``year`` and ``title``; a final report also its texts ``finalised``
    and ``download`` and its ``download_url``. One query."""
    finals: list[dict[str, Any]] = []
    draft_rows: list[dict[str, Any]] = []
    for pk, round_id, year, title, status, finalised_at in (
        StatusReport.objects.filter(round__plan__county_id=county_id)
        .order_by("-round__year", "-finalised_at", "-id")
        .values_list("pk", "round_id", "round__year", "title", "status", "finalised_at")
    ):
        row = {"pk": pk, "round_id": round_id, "year": year, "title": title}
        if status == StatusReport.Status.FINAL:
            row["finalised"] = _safe(
                gettext("fastställd %(date)s") % {"date": _e(_finalised_on(finalised_at))}
            )
            row["download"] = _safe(gettext("Ladda ner PDF för %(year)s") % {"year": _e(year)})
            row["download_url"] = reverse("followup:report-download", args=[pk])
            finals.append(row)
        elif status == StatusReport.Status.DRAFT and drafts:
            draft_rows.append(row)
    return finals, draft_rows
