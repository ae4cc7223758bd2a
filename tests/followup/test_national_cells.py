"""The national overview's cells formatted in Python (followup.national.cells) show what the
template tags they replace showed: the same escaping, localization and translations."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from followup.national.cells import indicator_rows, row_cells
from followup.national.selectors import CountyRow, IndicatorFigure, RoundFigures

HOSTILE = "<b>\"Län\" & 'co'</b>"

# the markup the cells replaced, as it was in _overview_content.html
BEFORE = Template(
    "{% load i18n %}"
    '{% if row.agreement_valid_to %}{% blocktranslate with date=row.agreement_valid_to|date:"j F Y" %}'
    "gäller till {{ date }}{% endblocktranslate %}{% endif %}|"
    "{% for key, n in goals %}<li>{{ key }}: {{ n }}</li>{% endfor %}|"
    "{% for key, n in activities %}<li>{{ key }}: {{ n }}</li>{% endfor %}|"
    "{% if row.round %}{% blocktranslate with x=row.round.submitted y=row.round.invited "
    "z=row.round.percent %}{{ x }} av {{ y }}, {{ z }} %{% endblocktranslate %}{% endif %}|"
    "{% if row.round.previous_year_submitted is not None %}{% blocktranslate with "
    'prev=year|add:"-1" x=row.round.previous_year_submitted y=row.round.previous_year_invited '
    "z=row.round.previous_percent %}{{ prev }}: {{ x }} av {{ y }}, {{ z }} %{% endblocktranslate %}"
    "{% endif %}|"
    "{% if row.sub_goal_count %}{% blocktranslate with x=row.sub_goals_covered "
    "y=row.sub_goal_count z=row.coverage_percent %}{{ x }} av {{ y }} ({{ z }} %)"
    "{% endblocktranslate %}{% endif %}|"
    "{% if row.final_report_id %}{% blocktranslate with county=row.county_name %}"
    "Slutlig lägesrapport {{ year }}, {{ county }} (PDF){% endblocktranslate %}{% endif %}"
)
INDICATORS_BEFORE = Template(
    "{% for figure, shown in indicators %}<tr><td>{{ figure.county_name }}</td>"
    "<td>{{ figure.indicator }}</td><td>{{ shown }}</td><td>{{ figure.unit }}</td></tr>"
    "{% endfor %}"
)


def _after(cells: dict) -> str:
    parts = [
        cells["valid_until"],
        cells["goals"],
        cells["activities"],
        cells["response"],
        cells["previous"],
        cells["coverage"],
        cells["final_report"],
    ]
    return "|".join("" if p is None else str(p) for p in parts)


ROWS = [
    CountyRow(county_id=1, county_code="01", county_name=HOSTILE),
    CountyRow(
        county_id=2,
        county_code="02",
        county_name=HOSTILE,
        agreement_id=3,
        agreement_valid_to=datetime.date(2027, 5, 1),
        plan_id=4,
        round_id=5,
        round=RoundFigures(invited=1234, submitted=1001, on_time=900, late=101),
        goals_by_national_goal={"1": 2, HOSTILE: 7},
        activities_by_national_goal={"2": 12345},
        sub_goal_count=3,
        sub_goals_covered=2,
        final_report_id=6,
    ),
    CountyRow(
        county_id=3,
        county_code="03",
        county_name="Uppsala län",
        round=RoundFigures(previous_year_submitted=0, previous_year_invited=0),
        sub_goal_count=0,
    ),
    CountyRow(
        county_id=4,
        county_code="04",
        county_name="Gotlands län",
        round=RoundFigures(
            invited=4, submitted=1, previous_year_submitted=3, previous_year_invited=9
        ),
    ),
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("row", ROWS, ids=lambda r: str(r.county_id))
def test_row_cells_show_what_the_template_showed(row, language):
    keys = ["1", "2", "3", HOSTILE]
    with translation.override(language):
        before = BEFORE.render(
            Context(
                {
                    "row": row,
                    "year": 2025,
                    "goals": [(k, row.goals_by_national_goal.get(k, 0)) for k in keys],
                    "activities": [(k, row.activities_by_national_goal.get(k, 0)) for k in keys],
                }
            )
        )
        after = _after(row_cells(row, keys, 2025))
    assert after == before
    assert "<b>" not in after


@pytest.mark.parametrize("language", ["sv", "en"])
def test_indicator_rows_show_what_the_template_showed(language):
    figures = [
        (IndicatorFigure("01", HOSTILE, HOSTILE, HOSTILE, 3, True), "färre än 5"),
        (IndicatorFigure("02", "Uppsala län", "Andel", "%", 1.5, False), "1,5"),
        (IndicatorFigure("02", "Uppsala län", "Antal", "", 12345, False), "12\xa0345"),
    ]
    with translation.override(language):
        before = INDICATORS_BEFORE.render(Context({"indicators": figures}))
        after = str(indicator_rows(figures))
    assert after == before
    assert "<b>" not in after
