"""The plan's goals on the actor's form, written out by the plan_goal_details tag, are the
markup the template loop wrote: goals with and without descriptions (footnotes numbered on
across the page's rich texts), delmål with and without codes, no goals at all; both languages."""

import pytest
from django.template import Context, Template
from django.utils import translation

from followup.selectors.form import OutlineGoal, OutlineSubGoal

# the loop as the template had it, and a rich text after it sharing the footnote counter
LOOP = (
    "{% load i18n followup_tags richtext %}"
    "{% for goal in goals %}\n"
    '  <details class="mb-2"{% if forloop.first %} open{% endif %}>\n'
    '    <summary><strong>{% translate "Mål" %} {{ goal.number }} – {{ goal.title }}'
    "</strong></summary>\n"
    '    {% if goal.description %}<div class="rich-text small mb-2">'
    '{% rich_text goal.description "mal" goal.number %}</div>{% endif %}\n'
    "    <ul>{% sub_goal_items goal.outline_sub_goals %}</ul>\n"
    "  </details>\n"
    '  {% empty %}<p>{% translate "Planen har inga mål ännu." %}</p>\n'
    "  {% endfor %}"
    '|{% rich_text after "aktivitet" 1 %}'
)
TAG = '{% load followup_tags richtext %}{% plan_goal_details goals %}|{% rich_text after "aktivitet" 1 %}'

GOALS = [
    OutlineGoal(
        1,
        3,
        "Ökad <kunskap> & stöd",
        "Text med fotnot[^1] och **fetstil**.\n\n[^1]: Källa 1.",
        0,
        [
            OutlineSubGoal(10, 1, "3.1", "Första <delmål>", 0),
            OutlineSubGoal(11, 1, "", "Utan kod", 1),
        ],
    ),
    OutlineGoal(2, 1, "Utan beskrivning", "", 1, []),
    OutlineGoal(3, 12, "Två fotnoter", "A[^a] B[^b]\n\n[^a]: Ett.\n[^b]: Två.", 2, []),
]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("goals", [GOALS, GOALS[1:2], []])
def test_plan_goal_details_is_the_loops_markup(language, goals):
    context = {"goals": goals, "after": "Aktivitet[^1]\n\n[^1]: Not."}
    with translation.override(language):
        expected = Template(LOOP).render(Context(context))
        assert Template(TAG).render(Context(context)) == expected
    if goals == GOALS:
        assert "Källa 1." in expected
        assert expected.count('class="rich-text small mb-2"') == 2
