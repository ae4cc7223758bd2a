"""The actor's form writes its widgets out by hand (the answer_field tag in followup_tags): they
must carry what Django's widgets would — names, ids, labels, values, errors and descriptions."""

import re

import pytest
from django.urls import reverse

from followup import services
from followup.models import Question
from tests.followup.conftest import add_question

pytestmark = pytest.mark.django_db


def _add_questions(world) -> tuple[Question, Question]:
    number = add_question(
        world, text="Hur många medarbetare har utbildats?", kind=Question.Kind.NUMBER, order=90
    )
    choice = add_question(
        world, text="Har ni en egen handlingsplan?", kind=Question.Kind.YES_PARTLY_NO, order=91
    )
    return number, choice


def _tag(html: str, pattern: str) -> str:
    match = re.search(pattern, html, re.S)
    assert match, f"{pattern!r} not in the page"
    return match.group(0)


def test_every_kind_of_field_renders_its_label_value_and_description(client, world):
    # given saved answers of each kind
    number, choice = _add_questions(world)
    text_q = world.round.questions.get(key="worked_well")
    world.submission.refresh_from_db()
    services.submission_save(
        submission_id=world.submission.pk,
        lock_version=world.submission.lock_version,
        answers={
            text_q.pk: {"text": 'Samverkan <b>"fungerar"</b>'},
            number.pk: {"number": "12.5"},
            choice.pk: {"choice": "partly"},
        },
        indicator_values={world.indicator.pk: {"value": "1234.50", "note": ""}},
        actor=world.users["reporter"],
    )
    client.force_login(world.users["reporter"])
    # when the reporter opens the form
    html = client.get(reverse("followup:submission-edit", args=[world.submission.pk])).content
    html = html.decode()
    # then the text answer is escaped in a labelled textarea described by its help text
    textarea = _tag(html, rf'<textarea name="q_{text_q.pk}"[^>]*>\n[^<]*</textarea>')
    assert f'id="id_q_{text_q.pk}"' in textarea
    assert f'aria-describedby="id_q_{text_q.pk}_helptext"' in textarea
    assert "Samverkan &lt;b&gt;&quot;fungerar&quot;&lt;/b&gt;" in textarea
    assert f'<label for="id_q_{text_q.pk}" class="form-label">' in html
    assert f'id="id_q_{text_q.pk}_helptext"' in html
    # and numbers keep a decimal point (not the Swedish comma) in number inputs
    assert 'value="12.50"' in _tag(html, rf'<input type="number" name="q_{number.pk}"[^>]*>')
    assert 'value="1234.50"' in _tag(
        html, rf'<input type="number" name="ind_{world.indicator.pk}_value"[^>]*>'
    )
    # and the yes/partly/no question is a fieldset of labelled radios with the saved one checked
    fieldset = _tag(html, r"<fieldset>\s*<legend[^>]*>Har ni en egen handlingsplan\?.*?</fieldset>")
    radios = re.findall(r'<input type="radio"[^>]*>', fieldset)
    assert [re.search(r'value="(\w+)"', r).group(1) for r in radios] == ["yes", "partly", "no"]
    assert ["checked" in r for r in radios] == [False, True, False]
    for i in range(3):
        assert f'for="id_q_{choice.pk}_{i}"' in fieldset
        assert f'id="id_q_{choice.pk}_{i}"' in fieldset


def test_a_refused_value_is_marked_invalid_and_described_by_its_error(client, world):
    # given a number question
    number, choice = _add_questions(world)
    world.submission.refresh_from_db()
    client.force_login(world.users["reporter"])
    # when the reporter saves a value that is not a number (without JavaScript)
    response = client.post(
        reverse("followup:submission-edit", args=[world.submission.pk]),
        {
            "lock_version": world.submission.lock_version,
            f"q_{number.pk}": "tolv",
            f"q_{choice.pk}": "kanske",
        },
    )
    # then the form comes back with the typed value, marked invalid, pointing at the message
    html = response.content.decode()
    field = _tag(html, rf'<input type="number" name="q_{number.pk}"[^>]*>')
    assert 'value="tolv"' in field
    assert 'aria-invalid="true"' in field
    assert "is-invalid" in field
    assert f'aria-describedby="id_q_{number.pk}_error_1"' in field
    assert f'id="id_q_{number.pk}_error_1"' in html
    assert "Fyll i ett tal." in html
    # and the choice that is not one of the options is marked the same way, on its fieldset
    fieldset = _tag(
        html, r"<fieldset[^>]*><legend[^>]*>Har ni en egen handlingsplan\?.*?</fieldset>"
    )
    assert f'aria-describedby="id_q_{choice.pk}_error_1"' in fieldset
    assert fieldset.count("is-invalid") == 3
    assert "checked" not in fieldset


HOSTILE = "\"><script>alert(1)</script>&'"
ESCAPED = "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;&#x27;"


def test_hostile_labels_help_texts_values_and_errors_are_escaped(client, world):
    # given a question, a help text, an indicator name and a yes/partly/no question holding markup
    add_question(world, text="Fråga " + HOSTILE, help_text="Hjälp " + HOSTILE, order=80)
    number = add_question(world, text="Tal " + HOSTILE, kind=Question.Kind.NUMBER, order=81)
    add_question(world, text="Val " + HOSTILE, kind=Question.Kind.YES_PARTLY_NO, order=82)
    world.indicator.name = "Indikator " + HOSTILE
    world.indicator.save()
    client.force_login(world.users["reporter"])
    url = reverse("followup:submission-edit", args=[world.submission.pk])
    # when the form is shown, and shown again refused with a hostile number
    shown = client.get(url).content.decode()
    refused = client.post(
        url, {"lock_version": 0, "action": "save", f"q_{number.pk}": HOSTILE}
    ).content.decode()
    # then every one of them is escaped and no script tag gets through
    for html in (shown, refused):
        assert "<script>" not in html
        for text in ("Fråga ", "Hjälp ", "Tal ", "Val ", "Indikator "):
            assert text + ESCAPED in html
    assert f'value="{ESCAPED}"' in _tag(
        refused, rf'<input type="number" name="q_{number.pk}"[^>]*>'
    )
