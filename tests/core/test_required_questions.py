"""Issue 12 item 13: a required question says so in its label and carries aria-required."""

import re

import pytest
from django.urls import reverse

from followup import services
from followup.models import Question
from tests.followup.conftest import world  # noqa: F401 - the shared follow-up fixture

# ruff: noqa: F811

pytestmark = pytest.mark.django_db


def _required_question(world, *, text: str, kind: str, order: int) -> Question:
    return services.question_save(
        round_id=world.round.pk,
        question_id=None,
        text=text,
        help_text="",
        kind=kind,
        required=True,
        order=order,
        actor=world.users["coordinator"],
    )


def test_required_questions_say_so_in_the_label_and_to_assistive_technology(client, world):
    text_q = _required_question(world, text="Vad har ni gjort?", kind="text", order=95)
    number_q = _required_question(world, text="Hur många?", kind="number", order=96)
    choice_q = _required_question(world, text="Har ni en plan?", kind="yes_partly_no", order=97)
    optional = world.round.questions.filter(required=False).first()
    client.force_login(world.users["reporter"])
    html = client.get(reverse("followup:submission-edit", args=[world.submission.pk]))
    html = html.content.decode()
    for q in (text_q, number_q):
        label = re.search(rf'<label for="id_q_{q.pk}"[^>]*>(.*?)</label>', html, re.S).group(1)
        assert "(obligatorisk)" in label
        widget = re.search(rf'<(textarea|input)[^>]*name="q_{q.pk}"[^>]*>', html).group(0)
        assert 'aria-required="true"' in widget
    group = re.search(
        rf"<fieldset[^>]*>\s*<legend[^>]*>[^<]*{choice_q.text}(.*?)</legend>", html, re.S
    )
    assert "(obligatorisk)" in group.group(1)
    assert 'role="radiogroup" aria-required="true"' in group.group(0)
    # an optional question carries neither
    label = re.search(rf'<label for="id_q_{optional.pk}"[^>]*>(.*?)</label>', html, re.S)
    assert label
    assert "obligatorisk" not in label.group(1)
    assert "aria-required" not in re.search(rf'<[^>]*name="q_{optional.pk}"[^>]*>', html).group(0)
