"""The plan tree's cells (actionplans.tree_cells) give the markup of the template loops they
replace, escaping included."""

import pytest
from django.template import Context, Template
from django.utils import translation

from actionplans import tree_cells
from actionplans.indicator_overview import YearRow

HOSTILE = "<b>&\"'x</b>"

ROWS = Template(
    '{% for r in rows %}<tr><th scope="row">{{ r.year }}</th><td class="text-end">{{ r.value }}'
    '</td><td class="text-end">{{ r.target }}</td><td>{{ r.trend|default:"–" }}</td><td>'
    "{% for name, value in r.organisations %}{{ name }}: {{ value }}{% if not forloop.last %}; "
    "{% endif %}{% empty %}–{% endfor %}</td></tr>\n    {% endfor %}"
)
SUB_GOALS = Template(
    "{% for s in sub_goals %}{{ s.number }}: {{ s.code|truncatechars:30 }}"
    "{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}"
)
ACTIVITIES = Template(
    "{% load i18n %}{% for act in activities %}\n"
    '        <li id="aktivitet-{{ act.id }}">{{ act.text|linebreaksbr }}{% if act.responsible %} '
    '<span class="text-body-secondary">({% translate "Ansvariga:" %} '
    '{{ act.responsible|join:", " }})</span>{% endif %}\n          \n        </li>\n      '
    '{% empty %}<li>{% translate "Inga aktiviteter." %}</li>\n      {% endfor %}'
)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_cells_are_the_markup_of_the_loops(lang):
    rows = [
        YearRow(2024, HOSTILE, "–", "", [(HOSTILE, "3"), ("Aneby", "färre än 5")]),
        YearRow(12345, "7,5", HOSTILE, HOSTILE, []),
    ]
    sub_goals = [
        {"number": 1, "code": HOSTILE * 5},
        {"number": 1234, "code": "1:1"},
    ]
    activities = [
        {"id": 7, "text": f"{HOSTILE}\r\nrad två\nrad tre", "responsible": [HOSTILE, "B"]},
        {"id": 8, "text": "utan ansvariga", "responsible": []},
    ]
    with translation.override(lang):
        for template, cells, context in (
            (ROWS, tree_cells.overview_rows(rows), {"rows": rows}),
            (ROWS, tree_cells.overview_rows([]), {"rows": []}),
            (SUB_GOALS, tree_cells.indicator_sub_goals(sub_goals), {"sub_goals": sub_goals}),
            (SUB_GOALS, tree_cells.indicator_sub_goals([]), {"sub_goals": []}),
            (ACTIVITIES, tree_cells.activity_items(activities), {"activities": activities}),
            (ACTIVITIES, tree_cells.activity_items([]), {"activities": []}),
        ):
            assert cells == template.render(Context(context))
