"""Checks every lägesrapport write makes: permission, draft state, and that nothing the PDF
would publish holds personal data (issue 12 item 9)."""

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Field
from django.utils.translation import gettext as _

from followup.exceptions import FollowUpError
from followup.models import StatusReport
from followup.personal_data import KIND_LABELS, scan_text
from followup.reports.context import ReportData, report_data

TEXT_FIELDS = (
    "title",
    "introduction",
    "method_text",
    "usage_text",
    "resources_text",
    "strategy_work_text",
    "closing_words",
    "place",
    "signed_on",
    "signatures",
)


def _check(allowed: bool, skip: bool) -> None:
    if not skip and not allowed:
        raise PermissionDenied


def _county_id(report: StatusReport) -> int:
    return report.round.plan.county_id


def _activity_personal_data(activity: Any) -> tuple[str, str, str] | None:
    """``(field label, kind label, masked hint)`` of the first personal data in the activity's
    texts that the PDF shows (title, description), or None."""
    for label, text in ((_("titel"), activity.title), (_("beskrivning"), activity.description)):
        findings = scan_text(text)
        if findings:
            kind, hint = findings[0]
            return label, str(KIND_LABELS.get(kind, kind)), hint
    return None


def _activity_refusal(activity: Any, organisation: str, found: tuple[str, str, str]) -> str:
    field, kind, hint = found
    name = activity.title if not scan_text(activity.title) else _("(titeln döljs)")
    return _(
        "Aktiviteten ”%(title)s” från %(org)s ser ut att innehålla %(kind)s i %(field)s "
        "(%(hint)s) och får inte visas i lägesrapporten."
    ) % {"title": name, "org": organisation, "kind": kind, "field": field, "hint": hint}


def report_personal_data_problems(*, report: StatusReport, data: ReportData) -> list[str]:
    """What would put personal data into the PDF, one Swedish sentence per place: the report's
    own texts, the per-goal analyses and every activity the PDF shows (the highlighted ones, or
    all when none is highlighted). Empty when the report may be built."""
    problems = []
    for name in TEXT_FIELDS:
        value = getattr(report, name)
        findings = scan_text(value) if isinstance(value, str) else []
        if findings:
            kind, hint = findings[0]
            # TEXT_FIELDS are the model's own text fields, never a relation
            label = cast("Field[Any, Any]", StatusReport._meta.get_field(name)).verbose_name
            problems.append(
                _("Fältet ”%(field)s” ser ut att innehålla %(kind)s (%(hint)s).")
                % {"field": label, "kind": KIND_LABELS.get(kind, kind), "hint": hint}
            )
    for section in data.goals:
        findings = scan_text(section.analysis)
        if findings:
            kind, hint = findings[0]
            problems.append(
                _("Analysen för mål %(number)s ser ut att innehålla %(kind)s (%(hint)s).")
                % {"number": section.number, "kind": KIND_LABELS.get(kind, kind), "hint": hint}
            )
        for item in section.activities:
            found = _activity_personal_data(item)
            if found is not None:
                problems.append(_activity_refusal(item, item.organisation, found))
    return problems


def _assert_no_personal_data(report: StatusReport, data: ReportData | None = None) -> None:
    """Raise FollowUpError naming each place (up to five) where the PDF would show personal
    data; see ``report_personal_data_problems``."""
    problems = report_personal_data_problems(
        report=report, data=data or report_data(report_id=report.pk)
    )
    if problems:
        raise FollowUpError(
            " ".join(
                [
                    _(
                        "PDF:en kan inte byggas eller fastställas eftersom den skulle visa "
                        "uppgifter om enskilda personer."
                    ),
                    *problems[:5],
                    _("Ändra texten, lyft fram andra aktiviteter eller be aktören rätta sin text."),
                ]
            )
        )


def _assert_draft(report: StatusReport) -> None:
    if report.status != StatusReport.Status.DRAFT:
        raise FollowUpError(
            _("Lägesrapporten är fastställd och kan inte ändras. Skapa ett nytt utkast.")
        )
