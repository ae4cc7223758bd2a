"""The plan tree's cells (actionplans.tree_cells) give the markup of the template loops they
replace, escaping included."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from actionplans import tree_cells
from actionplans.indicator_overview import YearRow, indicator_overview

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

# templates/actionplans/_indicator_overview.html as it was
OVERVIEW = Template(
    '{% load i18n %}<div class="indicator-overview row g-3">\n'
    '  {% if overview.chart %}<figure class="col-lg-6 indicator-chart-figure mb-0">{{ overview.chart }}<figcaption class="visually-hidden">{{ overview.description }}</figcaption></figure>{% endif %}\n'
    '  <div class="{% if overview.chart %}col-lg-6{% else %}col-12{% endif %}">\n'
    "  {% if overview.rows or overview.baseline %}\n"
    '  <div class="table-responsive" role="region" tabindex="0" aria-labelledby="indicator-caption-{{ ident }}">\n'
    '  <table class="table table-sm indicator-table">\n'
    '    <caption id="indicator-caption-{{ ident }}">{% blocktranslate with name=overview.name %}Utgångsvärde, värden och målvärden per år: {{ name }}{% endblocktranslate %}{% if overview.unit %} ({{ overview.unit }}){% endif %}</caption>\n'
    '    <thead><tr><th scope="col">{% translate "År" %}</th><th scope="col" class="text-end">{% translate "Värde (länet)" %}</th><th scope="col" class="text-end">{% translate "Målvärde" %}</th><th scope="col">{% translate "Utveckling" %}</th><th scope="col">{% translate "Värden per organisation" %}</th></tr></thead>\n'
    "    <tbody>\n"
    '    {% if overview.baseline %}<tr><th scope="row">{% translate "Utgångsvärde" %}</th><td class="text-end">{{ overview.baseline }}</td><td class="text-end">–</td><td>–</td><td>–</td></tr>{% endif %}\n'
    '    {% for r in overview.rows %}<tr><th scope="row">{{ r.year }}</th><td class="text-end">{{ r.value }}</td><td class="text-end">{{ r.target }}</td><td>{{ r.trend|default:"–" }}</td><td>{% for name, value in r.organisations %}{{ name }}: {{ value }}{% if not forloop.last %}; {% endif %}{% empty %}–{% endfor %}</td></tr>\n'
    "    {% endfor %}\n"
    "    </tbody>\n"
    "  </table>\n"
    "  </div>\n"
    '  {% else %}<p>{% translate "Inga värden eller målvärden ännu." %}</p>{% endif %}\n'
    "  </div>\n"
    "</div>\n"
)

# the delmål of templates/actionplans/_plan_tree.html as it was (the plan view, not the editor)
SUB_GOALS_OF_GOAL = Template(
    "{% load i18n %}  {% for sub in goal.sub_goals %}\n"
    '    <li id="delmal-{{ sub.id }}" class="sub-goal border-start ps-3 mb-3">\n'
    '      <p class="mb-1">{% if sub.code %}<strong class="sub-goal-code">{{ sub.code }}</strong> {% endif %}<span class="sub-goal-text">{{ sub.text|linebreaksbr }}</span></p>\n'
    '      {% if editing %}{% blocktranslate asvar sub_name with code=sub.code|default:forloop.counter %}delmål {{ code }}{% endblocktranslate %}{% include "actionplans/_part_controls.html" with slug="delmal" pk=sub.id name=sub_name %}{% endif %}\n'
    "      {% if sub.activities or editing %}\n"
    '      <h4 class="h6 mt-2">{% translate "Planerade aktiviteter" %}</h4>\n'
    '      <ul class="activities">\n'
    "      {% for act in sub.activities %}\n"
    '        <li id="aktivitet-{{ act.id }}">{{ act.text|linebreaksbr }}{% if act.responsible %} <span class="text-body-secondary">({% translate "Ansvariga:" %} {{ act.responsible|join:", " }})</span>{% endif %}\n'
    '          {% if editing %}{% blocktranslate asvar act_name with n=forloop.counter %}aktivitet {{ n }}{% endblocktranslate %}{% include "actionplans/_part_controls.html" with slug="aktivitet" pk=act.id name=act_name %}{% endif %}\n'
    "        </li>\n"
    '      {% empty %}<li>{% translate "Inga aktiviteter." %}</li>\n'
    "      {% endfor %}\n"
    "      </ul>\n"
    '      {% if editing %}<a class="btn btn-link btn-sm" href="{% url \'actionplans:part-create\' county.code plan.pk \'aktivitet\' %}?under={{ sub.id }}">{% translate "Lägg till aktivitet" %}<span class="visually-hidden"> {% translate "under" %} {{ sub_name }}</span></a>{% endif %}\n'
    "      {% endif %}\n"
    '      {% if sub.indicators %}<p class="small mb-0">{% translate "Indikatorer:" %} {{ sub.indicators|join:"; " }}</p>{% endif %}\n'
    "    </li>\n"
    '  {% empty %}<li>{% translate "Inga delmål." %}</li>\n'
    "  {% endfor %}"
)

# the indicators of templates/actionplans/_plan_tree.html as they were (the plan view)
INDICATORS = Template(
    "{% load i18n %}  {% for ind in tree.indicators %}\n"
    '  <section id="indikator-{{ ind.id }}" class="indicator mb-4" aria-labelledby="indicator-heading-{{ ind.id }}">\n'
    '    <h3 id="indicator-heading-{{ ind.id }}" class="h5">{{ ind.name }}</h3>\n'
    '    {% if editing %}{% blocktranslate asvar ind_name with name=ind.name %}indikatorn {{ name }}{% endblocktranslate %}{% include "actionplans/_part_controls.html" with slug="indikator" pk=ind.id name=ind_name %}{% endif %}\n'
    '    <p class="small mb-2">{{ ind.kind_label }}{% if ind.source %} · {% translate "Källa:" %} {{ ind.source }}{% endif %}{% if ind.unit %} · {% translate "Enhet:" %} {{ ind.unit }}{% endif %}\n'
    '      · {% translate "Delmål:" %} {% for s in ind.sub_goals %}{{ s.number }}: {{ s.code|truncatechars:30 }}{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</p>\n'
    "    {{ ind.overview_html }}\n"
    '    <p class="small"><a href="{% url \'actionplans:indicator-values\' county.code plan.pk ind.id %}">{% translate "Värden per år" %}<span class="visually-hidden"> – {{ ind.name }}</span></a></p>\n'
    "  </section>\n"
    '  {% empty %}<p>{% translate "Inga indikatorer." %}</p>\n'
    "  {% endfor %}"
)

# the opening of a goal's section in templates/actionplans/_plan_tree.html as it was
GOAL_HEAD = Template(
    "{% load i18n %}\n"
    '<section id="mal-{{ goal.id }}" class="plan-goal mb-4" aria-labelledby="goal-heading-{{ goal.id }}">\n'
    '  <h2 id="goal-heading-{{ goal.id }}" class="h4">{% blocktranslate with number=goal.number title=goal.title %}Mål {{ number }} – {{ title }}{% endblocktranslate %}</h2>\n'
    '  {% if editing %}{% blocktranslate asvar goal_name with number=goal.number %}mål {{ number }}{% endblocktranslate %}{% include "actionplans/_part_controls.html" with slug="mal" pk=goal.id name=goal_name %}{% endif %}\n'
    '  <p class="national-goals">{% translate "Nationella målsättningar:" %}\n'
    '    {% for ng in goal.national_goals %}<span class="badge text-bg-secondary me-1" title="{{ ng.title }}">{{ ng.label }}</span>{% empty %}{% translate "inga angivna" %}{% endfor %}</p>'
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


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("unit", ["", HOSTILE, "personer"])
def test_the_overview_is_the_markup_of_its_template(lang, unit):
    values = [(2023, None, Decimal("4"), HOSTILE), (2023, HOSTILE, Decimal("3"), ""),
              (2024, None, Decimal("7.50"), "")]  # fmt: skip
    with translation.override(lang):
        for baseline, values_, targets in (
            (Decimal("2"), values, [(2025, Decimal("9"))]),
            (None, values, []),
            (Decimal("2"), [], []),
            (None, [], []),
        ):
            overview = indicator_overview(
                name=HOSTILE, unit=unit, baseline=baseline, values=values_, targets=targets,
                ident="indikator-3-diagram",
            )  # fmt: skip
            expected = OVERVIEW.render(Context({"overview": overview, "ident": 3}))
            assert tree_cells.overview(overview, 3) == expected


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_sub_goal_is_the_markup_of_its_template(lang):
    act = {"id": 7, "text": f"{HOSTILE}\nrad två", "responsible": [HOSTILE]}
    subs = [
        {"id": 1, "code": HOSTILE, "text": f"{HOSTILE}\r\nx", "activities": [act],
         "indicators": [HOSTILE, "B"]},
        {"id": 2, "code": "", "text": "t", "activities": [], "indicators": []},
        {"id": 3, "code": None, "text": "t", "activities": [act, act], "indicators": ["A"]},
    ]  # fmt: skip
    with translation.override(lang):
        expected = SUB_GOALS_OF_GOAL.render(Context({"goal": {"sub_goals": subs}}))
        assert "  " + "".join(tree_cells.sub_goal_item(sub) for sub in subs) == expected


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_indicator_section_is_the_markup_of_its_template(lang):
    from actionplans.models import Indicator

    with translation.override(lang):
        inds = [
            {"id": 5, "name": HOSTILE, "kind": "outcome", "kind_label": Indicator.Kind.choices[0][1],
             "source": HOSTILE, "unit": HOSTILE,
             "sub_goals": [{"number": 1, "code": HOSTILE * 4}, {"number": 2, "code": "2:1"}],
             "overview_html": tree_cells.overview_rows([])},
            {"id": 6, "name": "B", "kind": "x", "kind_label": "x", "source": "", "unit": "",
             "sub_goals": [], "overview_html": ""},
        ]  # fmt: skip
        texts = tree_cells.words()
        for ind in inds:
            ind["sub_goals_text"] = tree_cells.indicator_sub_goals(ind["sub_goals"])
        context = {"tree": {"indicators": inds}, "county": {"code": "06"}, "plan": {"pk": 3}}
        expected = INDICATORS.render(Context(context))
        sections = [
            tree_cells.indicator_section(
                ind, reverse("actionplans:indicator-values", args=["06", 3, ind["id"]]), texts
            )
            for ind in inds
        ]
        assert "  " + "".join(sections) == expected


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_goal_head_and_its_sub_goals_are_the_markup_of_the_template(lang):
    goals = [
        {"id": 4, "number": 1234, "title": HOSTILE,
         "national_goals": [{"label": HOSTILE, "title": HOSTILE}, {"label": "2. B", "title": "b"}],
         "sub_goals": [{"id": 2, "code": "", "text": "t", "activities": [], "indicators": []}]},
        {"id": 5, "number": 2, "title": "T", "national_goals": [], "sub_goals": []},
    ]  # fmt: skip
    with translation.override(lang):
        texts = tree_cells.words()
        for goal in goals:
            expected = GOAL_HEAD.render(Context({"goal": goal}))
            assert tree_cells.goal_head(goal, texts) == expected
            expected = SUB_GOALS_OF_GOAL.render(Context({"goal": goal}))
            assert "  " + tree_cells.sub_goal_items(goal, texts) == expected


# a goal's section in templates/actionplans/_plan_tree.html as it was (the plan view), with
# its head and delmål as tested above
GOALS = Template(
    "{% load i18n richtext %}{% for goal in goals %}{{ goal.head }}\n"
    '  {% if goal.description %}<div class="rich-text">{% rich_text goal.description "mal" goal.id %}</div>{% endif %}\n'
    '  <h3 class="h5">{% translate "Delmål" %}</h3>\n'
    '  <ol class="list-unstyled sub-goals">\n'
    "  {{ goal.sub_items }}\n"
    "  </ol>\n"
    "  \n"
    "</section>\n"
    "{% endfor %}"
)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_goal_sections_are_the_markup_of_the_template(lang):
    notes = "Text[^a] och mer[^b].\n\n[^a]: En <b>not</b>.\n[^b]: En till."
    descriptions = [notes, "", "   ", HOSTILE + "\n\n* a\n* b", "Utan not", notes]
    goals = [
        {"id": i, "number": i, "title": HOSTILE, "description": d, "national_goals": [],
         "sub_goals": [{"id": i, "code": "", "text": "t", "activities": [], "indicators": []}]}
        for i, d in enumerate(descriptions, start=1)
    ]  # fmt: skip
    with translation.override(lang):
        texts = tree_cells.words()
        for goal in goals:
            goal["head"] = tree_cells.goal_head(goal, texts)
            goal["sub_items"] = tree_cells.sub_goal_items(goal, texts)
        expected = GOALS.render(Context({"goals": goals}))
        tree_cells.goal_sections(goals, texts)
    assert "".join(goal["section"] for goal in goals) == expected
    assert 'id="fn-mal-6-3"' in expected  # the numbers run on from goal to goal
