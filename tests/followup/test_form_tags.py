"""The actor form's loops written by followup_tags (answer_fields, indicator_fieldsets,
sub_goal_items) give the markup of the template loops they replaced, byte for byte."""

import pytest
from django.template import Context, Template

from actionplans.models import SubGoal
from followup.forms import SubmissionForm
from followup.models import Question

# the template's loops before they moved to followup_tags
QUESTIONS = """{% load followup_tags %}{% for q, field in question_fields %}
      {% answer_field field required=q.required %}
    {% endfor %}"""
INDICATORS = """{% load followup_tags %}{% for ind, value, note in indicator_fields %}
      <fieldset class="mb-3 border rounded p-2"><legend class="h6">{{ ind.name }}</legend>{% answer_field value %}{% answer_field note %}</fieldset>
    {% endfor %}"""
SUB_GOALS = """{% for sg in sub_goals %}<li>{% if sg.code %}<strong>{{ sg.code }}</strong> {% endif %}{{ sg.text }}</li>{% endfor %}"""
NEW = """{% load followup_tags %}{% answer_fields question_fields %}|{% indicator_fieldsets indicator_fields %}|{% sub_goal_items sub_goals %}"""

HOSTILE = "<b>\"Mål\" & 'delmål'</b>"


class _Indicator:
    def __init__(self, pk: int, name: str, unit: str) -> None:
        self.pk, self.name, self.unit = pk, name, unit


@pytest.mark.parametrize("bound", [False, True])
def test_the_tags_write_what_the_loops_wrote(bound):
    questions = [
        Question(pk=1, text=HOSTILE, kind=Question.Kind.TEXT, required=True, help_text=HOSTILE),
        Question(pk=2, text="Antal?", kind=Question.Kind.NUMBER, required=False),
        Question(pk=3, text="Ja eller nej?", kind=Question.Kind.YES_PARTLY_NO, required=True),
    ]
    indicators = [_Indicator(7, HOSTILE, "st"), _Indicator(8, "Andel", "")]
    data = {"q_1": HOSTILE, "q_2": "x", "q_3": "partly", "ind_7_value": "1.5", "ind_8_note": "<"}
    form = SubmissionForm(
        data if bound else None,
        initial={"q_1": "Svar & mer", "q_3": "no", "ind_8_value": 3},
        questions=questions,
        indicators=indicators,
    )
    if bound:
        form.is_valid()
    context = Context(
        {
            "question_fields": [(q, form[f"q_{q.pk}"]) for q in questions],
            "indicator_fields": [
                (ind, form[f"ind_{ind.pk}_value"], form[f"ind_{ind.pk}_note"]) for ind in indicators
            ],
            "sub_goals": [
                SubGoal(pk=1, code="1.1", text=HOSTILE),
                SubGoal(pk=2, code="", text="Utan beteckning"),
                SubGoal(pk=3, code=HOSTILE, text="x"),
            ],
        }
    )
    old = "|".join(Template(t).render(context) for t in (QUESTIONS, INDICATORS, SUB_GOALS))
    assert Template(NEW).render(context) == old
    assert HOSTILE not in old
