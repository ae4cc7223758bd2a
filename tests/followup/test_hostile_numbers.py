"""Issue 12 item 3, reproduced over HTTP: numbers nobody's column holds are a message, never a
500, and nothing is written."""

import pytest
from django.urls import reverse

from followup.models import FollowUpRound

pytestmark = pytest.mark.django_db
HOSTILE = ["²", "１２", "9" * 5000, "12345678901234567890"]


@pytest.mark.parametrize("bad", HOSTILE)
def test_new_round_page_with_a_hostile_plan_parameter(client, world, bad):
    client.force_login(world.users["coordinator"])
    response = client.get(reverse("followup:round-create"), {"plan": bad})
    assert response.status_code == 200


@pytest.mark.parametrize("bad", HOSTILE)
def test_new_round_with_hostile_organisations_is_refused(client, world, bad):
    client.force_login(world.users["coordinator"])
    response = client.post(
        reverse("followup:round-create"),
        {
            "plan": world.plan.pk,
            "year": 2031,
            "title": "Årlig uppföljning 2031",
            "deadline": "2032-02-15",
            "organisations": [world.org.pk, bad],
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()
    assert not FollowUpRound.objects.filter(year=2031).exists()


@pytest.mark.parametrize("bad", [*HOSTILE, ""])
def test_start_from_last_year_with_a_hostile_version_changes_nothing(client, world, bad):
    client.force_login(world.users["reporter"])
    before = world.submission.lock_version
    response = client.post(
        reverse("followup:submission-copy-last-year", args=[world.submission.pk]),
        {"lock_version": bad},
        follow=True,
    )
    assert response.status_code == 200
    assert "Formuläret har ändrats" in response.content.decode()
    world.submission.refresh_from_db()
    assert world.submission.lock_version == before
