"""The report list's rows (the county's final reports and drafts), read as plain values and
with the texts of each final report formatted once in Python, as ``followup.national.cells``
does: the template's own messages (the same msgids, so the same translations), values shown
as the template showed them (localized, escaped). The template keeps the markup."""

import datetime
import html
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from followup.models import FollowUpRound, StatusReport

_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


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
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The county's final reports, and with ``drafts`` its drafts and the rounds without a
    draft, from one query over its rounds and their reports. A report is ``pk``, ``round_id``,
    ``year`` and ``title`` (newest year first, then newest finalised, then newest); a final
    report also its texts ``finalised`` and ``download`` and its ``download_url``. A round is
    ``pk`` and ``title`` (newest year first)."""
    rounds: dict[int, str] = {}
    reports: list[dict[str, Any]] = []
    for round_id, round_title, year, pk, title, status, finalised_at in (
        FollowUpRound.objects.filter(plan__county_id=county_id)
        .order_by("-year", "-id")
        .values_list(
            "pk", "title", "year", "reports__pk", "reports__title", "reports__status",
            "reports__finalised_at",
        )
    ):  # fmt: skip
        rounds.setdefault(round_id, round_title)
        if pk is not None:
            reports.append(
                {"pk": pk, "round_id": round_id, "year": year, "title": title, "status": status}
                | {"finalised_at": finalised_at}
            )
    # -year, -finalised_at (an empty one first, as PostgreSQL sorts it), -id; sorts are stable
    reports.sort(key=lambda r: r["pk"], reverse=True)
    reports.sort(
        key=lambda r: (r["finalised_at"] is None, r["finalised_at"] or _EARLIEST), reverse=True
    )
    reports.sort(key=lambda r: r["year"], reverse=True)
    finals = [_final(r) for r in reports if r["status"] == StatusReport.Status.FINAL]
    if not drafts:
        return finals, [], []
    draft_rows = [r for r in reports if r["status"] == StatusReport.Status.DRAFT]
    with_draft = {r["round_id"] for r in draft_rows}
    without = [{"pk": pk, "title": title} for pk, title in rounds.items() if pk not in with_draft]
    return finals, draft_rows, without


def _final(row: dict[str, Any]) -> dict[str, Any]:
    year = row["year"]
    return row | {
        "finalised": _safe(
            gettext("fastställd %(date)s") % {"date": _e(_finalised_on(row["finalised_at"]))}
        ),
        "download": _safe(gettext("Ladda ner PDF för %(year)s") % {"year": _e(year)}),
        "download_url": reverse("followup:report-download", args=[row["pk"]]),
    }
