"""The national overview's table rows (followup.national.cells.table_rows) give the markup of
the template loop they replace, escaping and translations included."""

import datetime
from typing import Any

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from followup.national.cells import _e, _plan_url, _safe, table_rows
from followup.national.selectors import CountyRow, RoundFigures

HOSTILE = "<b>&\"'x</b>"

# the rows of templates/followup/national/_overview_content.html as they were
ROWS = Template(
    "{% load i18n %}"
    "{% for item in table %}{% with row=item.row %}\n"
    "  <tr>\n"
    '    <th scope="row">{{ row.county_name }}</th>\n'
    "    <td>{% if item.valid_until %}{{ item.valid_until }}\n"
    '      {% if row.agreement_expired %}<br><span class="badge text-bg-danger">{% translate "har löpt ut" %}</span>{% elif row.agreement_expiring %}<br><span class="badge text-bg-warning">{% translate "löper ut inom 90 dagar" %}</span>{% endif %}\n'
    '      {% elif row.agreement_id %}{% translate "utan slutdatum" %}{% else %}<span class="text-body-secondary">{% translate "ingen" %}</span>{% endif %}</td>\n'
    '    <td>{% if row.plan_id %}<a href="{% url \'actionplans:plan-detail\' row.county_code row.plan_id %}">{{ row.plan_title }}</a><br><span class="small">{{ row.strategy|default:_("ingen nationell ram vald") }}</span>{% else %}<span class="text-body-secondary">{% translate "ingen plan" %}</span>{% endif %}</td>\n'
    '    <td>{% if row.plan_id %}<ul class="list-unstyled small mb-0">{{ item.goals }}</ul>{% endif %}</td>\n'
    "    <td>{% if item.response %}{{ item.response }}\n"
    '      {% if item.previous %}<br><span class="small">{{ item.previous }}</span>{% endif %}\n'
    '      {% else %}<span class="text-body-secondary">{% translate "ingen uppföljning" %}</span>{% endif %}</td>\n'
    '    <td>{% if row.round %}<ul class="list-unstyled small mb-0">{{ item.activities }}</ul>{% endif %}</td>\n'
    "    <td>{% if item.coverage %}{{ item.coverage }}{% endif %}</td>\n"
    "    <td>{% if item.final_report %}<a href=\"{% url 'followup:report-download' row.final_report_id %}\">{{ item.final_report }}</a>{% endif %}</td>\n"
    "  </tr>\n"
    "  {% endwith %}{% endfor %}"
)


# the cells the loop above was given (followup.national.cells before the rows were written
# out in one pass), each text formatted on its own per row
def _counts(pairs: list[tuple[str, int]]) -> SafeString:
    """A ``<li>`` per national goal: "key: count"."""
    return _safe("".join(f"<li>{_e(key)}: {_e(n)}</li>" for key, n in pairs))


def _valid_until(date: datetime.date | None) -> SafeString | None:
    if not date:
        return None
    return _safe(gettext("gäller till %(date)s") % {"date": _e(date_format(date, "j F Y"))})


def row_cells(row: CountyRow, keys: list[str], year: int) -> dict[str, Any]:
    """The texts of one county's row (the template places them)."""
    figures = row.round
    cells: dict[str, Any] = {
        "row": row,
        "valid_until": _valid_until(row.agreement_valid_to),
        "goals": _counts([(k, row.goals_by_national_goal.get(k, 0)) for k in keys]),
        "activities": _counts([(k, row.activities_by_national_goal.get(k, 0)) for k in keys]),
        "response": None,
        "previous": None,
        "coverage": None,
        "final_report": None,
    }
    if figures is not None:
        cells["response"] = _safe(
            gettext("%(x)s av %(y)s, %(z)s %%")
            % {"x": _e(figures.submitted), "y": _e(figures.invited), "z": _e(figures.percent)}
        )
        if figures.previous_year_submitted is not None:
            cells["previous"] = _safe(
                gettext("%(prev)s: %(x)s av %(y)s, %(z)s %%")
                % {
                    "prev": _e(year - 1),
                    "x": _e(figures.previous_year_submitted),
                    "y": _e(figures.previous_year_invited),
                    "z": _e(figures.previous_percent),
                }
            )
    if row.sub_goal_count:
        cells["coverage"] = _safe(
            gettext("%(x)s av %(y)s (%(z)s %%)")
            % {
                "x": _e(row.sub_goals_covered),
                "y": _e(row.sub_goal_count),
                "z": _e(row.coverage_percent),
            }
        )
    if row.final_report_id:
        cells["final_report"] = _safe(
            gettext("Slutlig lägesrapport %(year)s, %(county)s (PDF)")
            % {"year": _e(year), "county": _e(row.county_name)}
        )
    return cells


def _rows() -> list[CountyRow]:
    today = datetime.date(2026, 3, 1)
    full = CountyRow(
        county_id=1, county_code="06", county_name=HOSTILE, agreement_id=3,
        agreement_valid_to=today, agreement_expiring=True, plan_id=4, plan_title=HOSTILE,
        strategy=HOSTILE, round_id=5, round=RoundFigures(20, 7, 5, 2, 3, 19),
        goals_by_national_goal={"1": 2}, activities_by_national_goal={"2": 12345},
        sub_goal_count=8, sub_goals_covered=3, final_report_id=6,
    )  # fmt: skip
    return [
        full,
        CountyRow(county_id=2, county_code="01", county_name="Stockholms län", agreement_id=9,
                  agreement_valid_to=today, agreement_expired=True, plan_id=10,
                  round=RoundFigures(0, 0, 0, 0)),
        CountyRow(county_id=3, county_code="03", county_name="Uppsala län", agreement_id=11,
                  agreement_valid_to=datetime.date(2027, 12, 31), plan_id=12, plan_title="Plan",
                  strategy="",
                  round=RoundFigures(4, 4, 4, 0, None, None)),
        CountyRow(county_id=4, county_code="04", county_name="Södermanlands län",
                  agreement_id=13),
        CountyRow(county_id=5, county_code="05", county_name="Östergötlands län"),
    ]  # fmt: skip


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_rows_are_the_markup_of_the_loop(lang):
    rows, keys = _rows(), ["1", "2", HOSTILE]
    with translation.override(lang):
        expected = ROWS.render(Context({"table": [row_cells(r, keys, 2025) for r in rows]}))
        assert table_rows(rows, keys, 2025) == expected
        assert table_rows([], keys, 2025) == ""


INDICATOR_ROWS = Template(
    "{% for f, shown in figures %}<tr><td>{{ f.county_name }}</td><td>{{ f.indicator }}</td>"
    "<td>{{ shown }}</td><td>{{ f.unit }}</td></tr>{% endfor %}"
)


def test_the_indicator_rows_are_the_markup_of_the_loop():
    from followup.national.cells import indicator_rows
    from followup.national.selectors import IndicatorFigure

    def figure(county, name, unit):
        return IndicatorFigure("06", county, name, unit, 1, is_person_count=False)

    figures = [
        (figure(HOSTILE, HOSTILE, HOSTILE), HOSTILE),
        (figure(HOSTILE, "Antal", ""), "färre än 5"),
        (figure("Jönköpings län", HOSTILE, "personer"), "1"),
        (figure("Jönköpings län", "Antal", HOSTILE), "1"),
    ]
    assert indicator_rows(figures) == INDICATOR_ROWS.render(Context({"figures": figures}))
    assert indicator_rows([]) == ""


@pytest.mark.parametrize("code", ["06", "AB", "x", "å1", "a b", "x%", "<&>", "9876543210"])
def test_the_plan_url_is_what_reverse_gives(code):
    url = _plan_url()
    for pk in (1, 42, 987654321):
        assert url(code, pk) == reverse("actionplans:plan-detail", args=[code, pk])


# the charts' data tables of templates/followup/national/_overview_content.html as they were
CHART_ROWS = Template(
    "{% load i18n %}"
    '{% for bar in response_rows %}<tr><th scope="row">{{ bar.label }}</th><td>{{ bar.value }}'
    '</td><td>{{ bar.total }}</td></tr>{% empty %}<tr><td colspan="3">'
    '{% translate "Ingen uppföljning detta år." %}</td></tr>{% endfor %}|'
    '{% for label, n in activity_rows %}<tr><th scope="row">{{ label }}</th><td>{{ n }}</td>'
    "</tr>{% endfor %}"
)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_chart_rows_are_the_markup_of_the_loops(lang):
    from followup.national.cells import chart_rows
    from followup.reports.charts import Bar

    bars = [Bar(HOSTILE, 3, 12345), Bar("Jönköpings län", 0, 0), Bar("x", 2.5, 7.0)]
    activities = [(HOSTILE, 4), ("1. Mål", 12345), ("2.", 0)]
    with translation.override(lang):
        for response, served in ((bars, activities), ([], []), ([], activities)):
            context = Context({"response_rows": response, "activity_rows": served})
            assert "|".join(chart_rows(response, served)) == CHART_ROWS.render(context)
