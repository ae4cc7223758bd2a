"""The plan tree's repeated markup, formatted once in Python instead of by template tags.

The plan view shows every indicator with a table row per year (and the organisations' values)
and every delmål with its activities: written out by ``{% for %}`` and ``{{ }}`` that is some
700 variable nodes per page, most of its rendering. Here each piece is built with the
template's own messages (the same msgids, so the same translations) and values shown as the
template shows them: localized and escaped (``_e``, as in :mod:`followup.national.cells`).
tests/actionplans/test_tree_cells.py checks the output against the markup it replaces.
"""

import html
import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from actionplans.indicator_overview import IndicatorOverview, YearRow
from kvinnofrid.core.richtext import render_markdown
from kvinnofrid.core.templatetags.richtext import labels


def _e(value: Any) -> str:
    """``value`` as ``{{ value }}`` shows it: localized, then escaped (unless marked safe). A
    plain text is only escaped; an int is its digits unless numbers are grouped (Django's
    number_format gives the same, at many times the cost)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return str(conditional_escape(localize(value)))


_NEWLINES = re.compile(r"\r\n|\r")


def _lines(text: str) -> str:
    """``{{ text|linebreaksbr }}`` of a plain text: escaped, each line break a ``<br>``."""
    return html.escape(_NEWLINES.sub("\n", text)).replace("\n", "<br>")


def _safe(text: str) -> SafeString:
    return mark_safe(text)  # noqa: S308 - every value put into it went through _e


def words() -> dict[str, str]:
    """The template's fixed texts in the current language, escaped: looked up once per page
    rather than once per indicator, delmål or activity."""
    return {
        "goal": gettext("Mål %(number)s – %(title)s"),
        "national_goals": _e(gettext("Nationella målsättningar:")),
        "no_national_goals": _e(gettext("inga angivna")),
        "sub_goals_heading": _e(gettext("Delmål")),
        "no_sub_goals": _e(gettext("Inga delmål.")),
        "activities": _e(gettext("Planerade aktiviteter")),
        "no_activities": _e(gettext("Inga aktiviteter.")),
        "responsible": _e(gettext("Ansvariga:")),
        "indicators": _e(gettext("Indikatorer:")),
        "source": _e(gettext("Källa:")),
        "unit": _e(gettext("Enhet:")),
        "sub_goals": _e(gettext("Delmål:")),
        "values_per_year": _e(gettext("Värden per år")),
        "caption": gettext("Utgångsvärde, värden och målvärden per år: %(name)s"),
        "heads": (
            f'<th scope="col">{_e(gettext("År"))}</th>'
            f'<th scope="col" class="text-end">{_e(gettext("Värde (länet)"))}</th>'
            f'<th scope="col" class="text-end">{_e(gettext("Målvärde"))}</th>'
            f'<th scope="col">{_e(gettext("Utveckling"))}</th>'
            f'<th scope="col">{_e(gettext("Värden per organisation"))}</th>'
        ),
        "baseline": _e(gettext("Utgångsvärde")),
        "no_values": _e(gettext("Inga värden eller målvärden ännu.")),
    }


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


def activity_items(
    activities: list[dict[str, Any]], texts: dict[str, str] | None = None
) -> SafeString:
    """The ``<li>`` per activity of a delmål as the plan view (not the editor) shows them."""
    texts = texts or words()
    if not activities:
        return _safe(f"<li>{texts['no_activities']}</li>\n      ")
    out = []
    for act in activities:
        responsible = ""
        if act["responsible"]:
            responsible = (
                f' <span class="text-body-secondary">({texts["responsible"]} '
                f"{_e(', '.join(act['responsible']))})</span>"
            )
        out.append(
            f'\n        <li id="aktivitet-{_e(act["id"])}">{_lines(act["text"])}'
            f"{responsible}\n          \n        </li>\n      "
        )
    return _safe("".join(out))


def overview(
    overview: IndicatorOverview, ident: int, texts: dict[str, str] | None = None
) -> SafeString:
    """An indicator's chart (with its description) beside its table of baseline and years, or
    a note that it has neither values nor targets yet."""
    texts = texts or words()
    out = ['<div class="indicator-overview row g-3">\n  ']
    if overview.chart:
        out.append(
            f'<figure class="col-lg-6 indicator-chart-figure mb-0">{overview.chart}'
            f'<figcaption class="visually-hidden">{_e(overview.description)}</figcaption></figure>'
        )
    out.append(f'\n  <div class="{"col-lg-6" if overview.chart else "col-12"}">\n  ')
    if overview.rows or overview.baseline:
        caption = texts["caption"] % {"name": _e(overview.name)}
        if overview.unit:
            caption += f" ({_e(overview.unit)})"
        baseline = ""
        if overview.baseline:
            baseline = (
                f'<tr><th scope="row">{texts["baseline"]}</th>'
                f'<td class="text-end">{_e(overview.baseline)}</td>'
                '<td class="text-end">–</td><td>–</td><td>–</td></tr>'
            )
        out.append(
            f'\n  <div class="table-responsive" role="region" tabindex="0" '
            f'aria-labelledby="indicator-caption-{_e(ident)}">\n'
            f'  <table class="table table-sm indicator-table">\n'
            f'    <caption id="indicator-caption-{_e(ident)}">{caption}</caption>\n'
            f"    <thead><tr>{texts['heads']}</tr></thead>\n    <tbody>\n    {baseline}\n"
            f"    {overview_rows(overview.rows)}\n    </tbody>\n  </table>\n  </div>\n  "
        )
    else:
        out.append(f"<p>{texts['no_values']}</p>")
    out.append("\n  </div>\n</div>\n")
    return _safe("".join(out))


def sub_goal_item(sub: dict[str, Any], texts: dict[str, str] | None = None) -> SafeString:
    """The ``<li>`` of a delmål as the plan view (not the editor) shows it: code, text, its
    activities and the names of its indicators."""
    texts = texts or words()
    code = f'<strong class="sub-goal-code">{_e(sub["code"])}</strong> ' if sub["code"] else ""
    activities = ""
    if sub["activities"]:
        activities = (
            f'\n      <h4 class="h6 mt-2">{texts["activities"]}</h4>'
            f'\n      <ul class="activities">\n      {activity_items(sub["activities"], texts)}'
            "\n      </ul>\n      \n      "
        )
    indicators = ""
    if sub["indicators"]:
        names = "; ".join(_e(name) for name in sub["indicators"])
        indicators = f'<p class="small mb-0">{texts["indicators"]} {names}</p>'
    return _safe(
        f'\n    <li id="delmal-{_e(sub["id"])}" class="sub-goal border-start ps-3 mb-3">'
        f'\n      <p class="mb-1">{code}<span class="sub-goal-text">'
        f"{_lines(sub['text'])}</span></p>\n      \n      {activities}"
        f"\n      {indicators}\n    </li>\n  "
    )


def indicator_section(ind: dict[str, Any], url: str, texts: dict[str, str]) -> SafeString:
    """The ``<section>`` of an indicator as the plan view (not the editor) shows it: its kind,
    source, unit and delmål, its chart and table (``overview_html``) and the link to ``url``,
    its values per year."""
    meta = _e(str(ind["kind_label"]))
    if ind["source"]:
        meta += f" · {texts['source']} {_e(ind['source'])}"
    if ind["unit"]:
        meta += f" · {texts['unit']} {_e(ind['unit'])}"
    ident, name = _e(ind["id"]), _e(ind["name"])
    return _safe(
        f'\n  <section id="indikator-{ident}" class="indicator mb-4" '
        f'aria-labelledby="indicator-heading-{ident}">'
        f'\n    <h3 id="indicator-heading-{ident}" class="h5">{name}</h3>\n    '
        f'\n    <p class="small mb-2">{meta}\n      · {texts["sub_goals"]} {ind["sub_goals_text"]}'
        f'</p>\n    {ind["overview_html"]}\n    <p class="small"><a href="{_e(url)}">'
        f'{texts["values_per_year"]}<span class="visually-hidden"> – {name}</span></a></p>'
        "\n  </section>\n  "
    )


def goal_head(goal: dict[str, Any], texts: dict[str, str]) -> SafeString:
    """The opening of a goal's ``<section>`` as the plan view (not the editor) shows it: its
    heading and its national goals."""
    ident = _e(goal["id"])
    heading = texts["goal"] % {"number": _e(goal["number"]), "title": _e(goal["title"])}
    badges = "".join(
        f'<span class="badge text-bg-secondary me-1" title="{_e(n["title"])}">{_e(n["label"])}'
        "</span>"
        for n in goal["national_goals"]
    )
    return _safe(
        f'\n<section id="mal-{ident}" class="plan-goal mb-4" aria-labelledby="goal-heading-{ident}">'
        f'\n  <h2 id="goal-heading-{ident}" class="h4">{heading}</h2>\n  \n  '
        f'<p class="national-goals">{texts["national_goals"]}'
        f"\n    {badges or texts['no_national_goals']}</p>"
    )


def sub_goal_items(goal: dict[str, Any], texts: dict[str, str]) -> SafeString:
    """The goal's delmål as the plan view shows them (:func:`sub_goal_item`), or that it has
    none."""
    if not goal["sub_goals"]:
        return _safe(f"<li>{texts['no_sub_goals']}</li>\n  ")
    return _safe("".join(sub_goal_item(sub, texts) for sub in goal["sub_goals"]))


def goal_sections(goals: list[dict[str, Any]], texts: dict[str, str]) -> None:
    """Each goal's ``section`` as the plan view (not the editor) shows it: its head, its
    description as ``{% rich_text goal.description "mal" goal.id %}`` renders it (footnotes
    numbered on from goal to goal, as in one render of the template) and its delmål."""
    footnote = 1
    for goal in goals:
        description = ""
        if goal["description"]:
            text = str(goal["description"])
            if text.strip():
                result = render_markdown(
                    text, prefix=f"mal-{goal['id']}", number_from=footnote, labels=labels()
                )
                footnote += result.footnotes
                text = result.html
            else:
                text = ""
            description = f'<div class="rich-text">{text}</div>'
        goal["section"] = _safe(
            f'{goal_head(goal, texts)}\n  {description}\n  <h3 class="h5">'
            f'{texts["sub_goals_heading"]}</h3>\n  <ol class="list-unstyled sub-goals">\n  '
            f"{sub_goal_items(goal, texts)}\n  </ol>\n  \n</section>\n"
        )
