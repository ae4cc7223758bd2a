"""The response overview's repeated rows, formatted once per row in Python.

The overview shows a row per invited actor (links, badges, dates, the reminders sent, a form
per actor) and a delmål × actor matrix: written out by the template that is some thousand
variable nodes, a ``{% url %}`` and a few ``{% translate %}`` per row. Here each row is written
with the template's own messages (the same msgids, so the same translations) and values shown
as the template shows them: localized and escaped (``_e``), dates through the ``date`` filter's
own formatting (in the current time zone). The template keeps the rest of the page;
tests/followup/test_overview_cells.py checks the rows against the markup they replace, as
followup.national.cells does for the national overview.
"""

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from followup.national.cells import _e
from followup.selectors.rounds import SUBMITTED_STATUSES, ActorRow, RoundOverview

_BADGES = {
    "accepted": "text-bg-success",
    "submitted": "text-bg-primary",
    "returned": "text-bg-warning",
    "draft": "text-bg-light border",
}


def _safe(text: str) -> SafeString:
    return mark_safe(text)  # noqa: S308 - every value put into it went through _e


def _date(value: Any, fmt: str) -> str:
    """``{{ value|date:fmt }}``: in the current time zone, then escaped."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime) and not timezone.is_naive(value):
        value = timezone.localtime(value)  # what the filter's expects_localtime does (USE_TZ)
    return _e(date_format(value, fmt))


def _url_pattern(name: str) -> tuple[str, str]:
    """The URL of ``name`` for a submission, split around its id (one ``reverse`` per page)."""
    marker = "987654321"
    head, tail = reverse(name, args=[int(marker)]).split(marker)
    return _e(head), _e(tail)


# the round's own pages, each the overview's URL and a fixed tail (followup/urls.py,
# followup/reports/urls.py); tests/followup/test_overview_cells.py pins each to its reverse
ROUND_URL_TAILS = {
    "edit": ("followup:round-edit", "andra/"),
    "questions": ("followup:round-questions", "fragor/"),
    "open": ("followup:round-transition", "status/open/"),
    "close": ("followup:round-transition", "status/close/"),
    "reopen": ("followup:round-transition", "status/reopen/"),
    "reported": ("followup:round-transition", "status/reported/"),
    "export": ("followup:round-export", "export.xlsx"),
    "report_create": ("followup:report-create", "lagesrapport/ny/"),
    "history": ("followup:round-history", "historik/"),
}


def round_urls(round_id: int) -> dict[str, str]:
    """The URLs of the overview's buttons for a coordinator (one ``reverse`` instead of one
    ``{% url %}`` per button)."""
    base = reverse("followup:round-detail", args=[round_id])
    return {key: base + tail for key, (_name, tail) in ROUND_URL_TAILS.items()}


class _Texts:
    """The messages of a row, translated once per page."""

    def __init__(self) -> None:
        self.flagged = _e(gettext("Möjliga personuppgifter"))
        self.late = _e(gettext("Sent"))
        self.dnr = _e(gettext("Dnr"))
        self.remind = _e(gettext("Skicka påminnelse nu"))
        self.detail = _url_pattern("followup:submission-detail")
        self.remind_url = _url_pattern("followup:submission-remind")


def _reminders(reminders: list[tuple[str, Any, int]]) -> str:
    if not reminders:
        return "–"
    items = "".join(
        f'<li>{_e(label)}: <time datetime="{_date(sent_at, "c")}">'
        f"{_date(sent_at, 'j F Y H.i')}</time>, "
        f"{ngettext('%(n)s mottagare', '%(n)s mottagare', count) % {'n': _e(count)}}</li>"
        for label, sent_at, count in reminders
    )
    return f'<ul class="list-unstyled small mb-0 reminder-log">{items}</ul>'


def _actor_row(row: ActorRow, t: _Texts, may_manage: bool, may_remind: bool, csrf: str) -> str:
    name = _e(row.organisation)
    if may_manage or row.status in SUBMITTED_STATUSES:
        head, tail = t.detail
        name = f'<a href="{head}{row.submission_id}{tail}">{name}</a>'
    if row.flagged:
        name += f' <span class="badge text-bg-warning">{t.flagged}</span>'
    badge = _BADGES.get(row.status, "text-bg-secondary")
    # the include of followup/_status_badge.html, with the file's closing newline
    status = f'<span class="badge {badge}">{_e(row.status_label)}</span>\n'
    if row.late:
        status += f' <span class="badge text-bg-danger">{t.late}</span>'
    submitted = "–"
    if row.submitted_at:
        submitted = _date(row.submitted_at, "Y-m-d")
        if row.diarienummer:
            submitted += f'<br><span class="small">{t.dnr} {_e(row.diarienummer)}</span>'
    action = ""
    if may_remind:
        cell = "–"
        if row.may_remind:
            head, tail = t.remind_url
            to = gettext("till %(org)s") % {"org": _e(row.organisation)}
            cell = (
                f'<form method="post" action="{head}{row.submission_id}{tail}">{csrf}'
                '<button type="submit" class="btn btn-sm btn-outline-primary text-nowrap">'
                f'{t.remind}<span class="visually-hidden"> {to}</span></button></form>'
            )
        action = f"<td>{cell}</td>"
    return (
        "\n      <tr>"
        f'\n        <th scope="row">{name}</th>'
        f"\n        <td>{_e(row.kind)}</td>"
        f"\n        <td>{status}</td>"
        f"\n        <td>{submitted}</td>"
        f"\n        <td>{_date(row.deadline, 'Y-m-d')}</td>"
        f"\n        <td>{_e(row.activity_count)}</td>"
        f"\n        <td>{_e(row.previous_status) if row.previous_status else '–'}</td>"
        f"\n        <td>{_reminders(row.reminders)}</td>"
        f"\n        {action}"
        "\n      </tr>\n    "
    )


def actor_rows(
    overview: RoundOverview, *, may_manage: bool, may_remind: bool, csrf_token: str
) -> SafeString:
    """The actor table's rows (``csrf_token`` goes into each reminder form as is)."""
    t = _Texts()
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">'
    return _safe("".join(_actor_row(row, t, may_manage, may_remind, csrf) for row in overview.rows))


def matrix_rows(overview: RoundOverview) -> SafeString:
    """The coverage matrix's rows: the delmål, then a cell per actor column."""
    dot = '<span aria-hidden="true">·</span><span class="visually-hidden">0</span>'
    return _safe(
        "".join(
            f'\n      <tr><th scope="row">{_e(sg.code) if sg.code else "–"} '
            f'<span class="visually-hidden">{_e(sg.text)}</span></th>'
            + "".join(f"<td>{_e(v) if v else dot}</td>" for v in values)
            + "</tr>\n    "
            for sg, values in overview.matrix_rows
        )
    )


def goal_coverage(overview: RoundOverview) -> SafeString:
    """A ``<li>`` per goal: its delmål with activities and in all."""
    message = gettext("Mål %(n)s: %(c)s av %(t)s delmål har aktiviteter")
    return _safe(
        "".join(
            f"<li>{message % {'n': _e(goal.number), 'c': _e(c), 't': _e(t)}}</li>"
            for goal, c, t in overview.goal_coverage
        )
    )


def index_rows(rounds: list[Any]) -> SafeString:
    """The follow-up index's table of rounds (title linked to its overview, county, status,
    submitted of invited), as templates/followup/_index_rounds.html's loop wrote it."""
    head, tail = _url_pattern("followup:round-detail")
    of = _e(gettext("av"))
    return _safe(
        "".join(
            f'\n      <tr>\n        <td><a href="{head}{r.pk}{tail}">{_e(r.title)}</a></td>\n'
            f"        <td>{_e(r.plan.county.name)}</td>\n"
            f"        <td>{_e(r.get_status_display())}</td>\n"
            f"        <td>{_e(r.n_submitted)} {of} {_e(r.n_invited)}</td>\n      </tr>\n    "
            for r in rounds
        )
    )
