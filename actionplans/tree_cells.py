"""The plan tree's repeated markup, formatted once in Python instead of by template tags.

The plan view shows every indicator with a table row per year (and the organisations' values)
and every delmål with its activities: written out by ``{% for %}`` and ``{{ }}`` that is some
700 variable nodes per page, most of its rendering. Here each piece is built with the
template's own messages (the same msgids, so the same translations) and values shown as the
template shows them: localized and escaped (``_e``, as in :mod:`followup.national.cells`).
tests/actionplans/test_tree_cells.py checks the output against the markup it replaces.
"""

from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from actionplans.indicator_overview import YearRow
from followup.national.cells import _e


def _safe(text: str) -> SafeString:
    return mark_safe(text)  # noqa: S308 - every value put into it went through _e


def overview_rows(rows: Iterable[YearRow]) -> SafeString:
    """The ``<tr>`` per year of an indicator's table, each followed by the template's
    indentation: year, county value, target, trend ("–" if none) and the organisations."""
    out = []
    for r in rows:
        organisations = "; ".join(f"{_e(name)}: {_e(value)}" for name, value in r.organisations)
        out.append(
            f'<tr><th scope="row">{_e(r.year)}</th><td class="text-end">{_e(r.value)}</td>'
            f'<td class="text-end">{_e(r.target)}</td><td>{_e(r.trend or "–")}</td>'
            f"<td>{organisations or '–'}</td></tr>\n    "
        )
    return _safe("".join(out))


def indicator_sub_goals(sub_goals: list[dict[str, Any]]) -> SafeString:
    """The indicator's delmål: "number: code" (code cut at 30 characters), comma-separated."""
    if not sub_goals:
        return _safe("–")
    return _safe(
        ", ".join(f"{_e(s['number'])}: {_e(Truncator(s['code']).chars(30))}" for s in sub_goals)
    )


def activity_items(activities: list[dict[str, Any]]) -> SafeString:
    """The ``<li>`` per activity of a delmål as the plan view (not the editor) shows them."""
    if not activities:
        return _safe(f"<li>{_e(gettext('Inga aktiviteter.'))}</li>\n      ")
    out = []
    for act in activities:
        responsible = ""
        if act["responsible"]:
            responsible = (
                f' <span class="text-body-secondary">({_e(gettext("Ansvariga:"))} '
                f"{_e(', '.join(act['responsible']))})</span>"
            )
        out.append(
            f'\n        <li id="aktivitet-{_e(act["id"])}">{linebreaksbr(act["text"], True)}'
            f"{responsible}\n          \n        </li>\n      "
        )
    return _safe("".join(out))
