"""The national overview's table cells, formatted once per row in Python.

The overview shows 21 counties with a list per national goal in two columns and eight or so
indicator values each: written out by template tags that is over a thousand variable nodes and
a hundred ``{% blocktranslate %}`` per page, most of its rendering. Here each text is formatted
once with the template's own messages (the same msgids, so the same translations) and values
shown as the template shows them: localized and escaped (``_e``). The template keeps the markup
of the cells; only the repeated lists come from here as markup.
tests/followup/test_national.py checks the escaping and the figures.
"""

import datetime
import html
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from followup.national.selectors import CountyRow, IndicatorFigure


def _e(value: Any) -> str:
    """``value`` as ``{{ value }}`` shows it: localized, then escaped. An int is its digits
    unless numbers are grouped (Django's number_format gives the same, at many times the cost)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)  # what localize gives a string: itself
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return html.escape(str(localize(value)))


def _safe(text: str) -> SafeString:
    return mark_safe(text)  # noqa: S308 - every value put into it went through _e


def _messages() -> dict[str, str]:
    """The table's texts and formats in the active language, translated once per table."""
    return {
        "valid_until": gettext("gäller till %(date)s"),
        "response": gettext("%(x)s av %(y)s, %(z)s %%"),
        "previous": gettext("%(prev)s: %(x)s av %(y)s, %(z)s %%"),
        "coverage": gettext("%(x)s av %(y)s (%(z)s %%)"),
        "final_report": gettext("Slutlig lägesrapport %(year)s, %(county)s (PDF)"),
        "expired": _e(gettext("har löpt ut")),
        "expiring": _e(gettext("löper ut inom 90 dagar")),
        "open_ended": _e(gettext("utan slutdatum")),
        "no_agreement": _e(gettext("ingen")),
        "no_frame": gettext("ingen nationell ram vald"),
        "no_plan": _e(gettext("ingen plan")),
        "no_round": _e(gettext("ingen uppföljning")),
    }


def table_rows(rows: list[CountyRow], keys: list[str], year: int) -> SafeString:
    """The table's body: each county's ``<tr>`` as the overview's template wrote it (the same
    msgids, every value through ``_e``; tests/followup/test_national_cells.py compares it with
    that template). The texts are translated once per table, each distinct date formatted
    once."""
    texts = _messages()
    dates: dict[datetime.date, str] = {}
    plan_url = _plan_url()
    return _safe("".join(_row(row, keys, year, texts, dates, plan_url) for row in rows))


def _plan_url() -> Callable[[str, int], str]:
    """The URL of a county's plan: one ``reverse`` per table, around markers, for a county code
    of ASCII letters and digits (which ``reverse`` leaves as it is); ``reverse`` itself for any
    other code."""
    marker = "987654321"
    name = "actionplans:plan-detail"
    head, middle, tail = reverse(name, args=[marker, int(marker)]).split(marker)

    def url(code: str, pk: int) -> str:
        if code.isascii() and code.isalnum():
            return f"{head}{code}{middle}{pk}{tail}"
        return reverse(name, args=[code, pk])

    return url


def _counts(counts: dict[str, int], keys: list[str]) -> str:
    """A ``<li>`` per national goal: "key: count"."""
    return "".join(f"<li>{_e(key)}: {_e(counts.get(key, 0))}</li>" for key in keys)


def _agreement(row: CountyRow, texts: dict[str, str], dates: dict[datetime.date, str]) -> str:
    date = row.agreement_valid_to
    if date:
        shown = dates.get(date)
        if shown is None:
            shown = dates[date] = texts["valid_until"] % {"date": _e(date_format(date, "j F Y"))}
        badge = ""
        if row.agreement_expired:
            badge = f'<br><span class="badge text-bg-danger">{texts["expired"]}</span>'
        elif row.agreement_expiring:
            badge = f'<br><span class="badge text-bg-warning">{texts["expiring"]}</span>'
        return f"{shown}\n      {badge}\n      "
    if row.agreement_id:
        return texts["open_ended"]
    return f'<span class="text-body-secondary">{texts["no_agreement"]}</span>'


def _response(row: CountyRow, year: int, texts: dict[str, str]) -> str:
    figures = row.round
    if figures is None:
        return f'<span class="text-body-secondary">{texts["no_round"]}</span>'
    response = texts["response"] % {
        "x": _e(figures.submitted), "y": _e(figures.invited), "z": _e(figures.percent),
    }  # fmt: skip
    previous = ""
    if figures.previous_year_submitted is not None:
        previous = texts["previous"] % {
            "prev": _e(year - 1),
            "x": _e(figures.previous_year_submitted),
            "y": _e(figures.previous_year_invited),
            "z": _e(figures.previous_percent),
        }
        previous = f'<br><span class="small">{previous}</span>'
    return f"{response}\n      {previous}\n      "


def _row(
    row: CountyRow,
    keys: list[str],
    year: int,
    texts: dict[str, str],
    dates: dict[datetime.date, str],
    plan_url: Callable[[str, int], str],
) -> str:
    if row.plan_id:
        url = plan_url(row.county_code, row.plan_id)
        plan = (
            f'<a href="{_e(url)}">{_e(row.plan_title)}</a><br><span class="small">'
            f"{_e(row.strategy or texts['no_frame'])}</span>"
        )
        goals = (
            f'<ul class="list-unstyled small mb-0">{_counts(row.goals_by_national_goal, keys)}</ul>'
        )
    else:
        plan = f'<span class="text-body-secondary">{texts["no_plan"]}</span>'
        goals = ""
    activities = ""
    if row.round:
        activities = (
            '<ul class="list-unstyled small mb-0">'
            f"{_counts(row.activities_by_national_goal, keys)}</ul>"
        )
    coverage = ""
    if row.sub_goal_count:
        coverage = texts["coverage"] % {
            "x": _e(row.sub_goals_covered),
            "y": _e(row.sub_goal_count),
            "z": _e(row.coverage_percent),
        }
    report = ""
    if row.final_report_id:
        url = reverse("followup:report-download", args=[row.final_report_id])
        text = texts["final_report"] % {"year": _e(year), "county": _e(row.county_name)}
        report = f'<a href="{_e(url)}">{text}</a>'
    return (
        f'\n  <tr>\n    <th scope="row">{_e(row.county_name)}</th>\n'
        f"    <td>{_agreement(row, texts, dates)}</td>\n"
        f"    <td>{plan}</td>\n    <td>{goals}</td>\n    <td>{_response(row, year, texts)}</td>\n"
        f"    <td>{activities}</td>\n    <td>{coverage}</td>\n"
        f"    <td>{report}</td>\n  </tr>\n  "
    )


def indicator_rows(figures: list[tuple[IndicatorFigure, str]]) -> SafeString:
    """The indicator table's rows: county, indicator, the value as shown, unit (each distinct
    text escaped once: the counties, names and units repeat)."""
    escaped: dict[tuple[type, Any], str] = {}

    def e(value: Any) -> str:
        key = (type(value), value)
        text = escaped.get(key)
        if text is None:
            text = escaped[key] = _e(value)
        return text

    return _safe(
        "".join(
            f"<tr><td>{e(f.county_name)}</td><td>{e(f.indicator)}</td><td>{e(shown)}</td>"
            f"<td>{e(f.unit)}</td></tr>"
            for f, shown in figures
        )
    )


def chart_rows(
    response: list[Any], activities: list[tuple[str, int]]
) -> tuple[SafeString, SafeString]:
    """The rows of the two charts' data tables: a county's answers and invitations (``Bar``s),
    else a row saying there is no round; each national goal's activities."""
    if response:
        answered = "".join(
            f'<tr><th scope="row">{_e(bar.label)}</th><td>{_e(bar.value)}</td>'
            f"<td>{_e(bar.total)}</td></tr>"
            for bar in response
        )
    else:
        answered = f'<tr><td colspan="3">{_e(gettext("Ingen uppföljning detta år."))}</td></tr>'
    served = "".join(
        f'<tr><th scope="row">{_e(label)}</th><td>{_e(n)}</td></tr>' for label, n in activities
    )
    return _safe(answered), _safe(served)
