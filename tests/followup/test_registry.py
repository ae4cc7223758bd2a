"""Issue 16 item 1: a received yttrande and a finalised report get the county's diarienummer."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from followup import services
from followup.exceptions import FollowUpError
from followup.models import Registry
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db


def _submit(world):
    fill_required(world)
    return services.submission_submit(
        submission_id=world.submission.pk, actor=world.users["reporter"]
    )


def test_an_automatic_series_numbers_each_received_yttrande_once(world):
    coordinator = world.users["coordinator"]
    services.registry_update(
        county=world.plan.county, mode=Registry.Mode.AUTOMATIC, prefix="851-", actor=coordinator
    )
    year = timezone.localdate().year
    submission = _submit(world)
    assert submission.diarienummer == f"851-1-{year}"
    # returned and sent in again: the same document keeps its number
    services.submission_return(submission_id=submission.pk, comment="Mer", actor=coordinator)
    submission = services.submission_submit(
        submission_id=submission.pk, actor=world.users["reporter"]
    )
    assert submission.diarienummer == f"851-1-{year}"


def test_a_manual_county_types_the_number_in(world):
    coordinator = world.users["coordinator"]
    services.registry_update(
        county=world.plan.county, mode=Registry.Mode.MANUAL, prefix="", actor=coordinator
    )
    submission = _submit(world)
    assert submission.diarienummer == ""
    with pytest.raises(PermissionDenied):
        services.submission_set_diarienummer(
            submission_id=submission.pk, diarienummer="LST 2023-77", actor=world.users["reporter"]
        )
    with pytest.raises(FollowUpError):
        services.submission_set_diarienummer(
            submission_id=submission.pk, diarienummer="rad\nbrytning", actor=coordinator
        )
    submission = services.submission_set_diarienummer(
        submission_id=submission.pk, diarienummer=" LST 2023-77 ", actor=coordinator
    )
    assert submission.diarienummer == "LST 2023-77"


def test_a_not_received_yttrande_gets_no_manual_number(world):
    with pytest.raises(FollowUpError):
        services.submission_set_diarienummer(
            submission_id=world.submission.pk,
            diarienummer="LST 1",
            actor=world.users["coordinator"],
        )


def test_the_demo_registers_every_received_2022_yttrande_and_the_report():
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("export_round", "--county", "06", "--year", "2022", stdout=out)
    data = json.loads(out.getvalue())
    received = [s for s in data["submissions"] if s["submitted_at"]]
    assert len(received) == 11
    numbers = sorted(received, key=lambda s: s["submitted_at"])
    assert [s["diarienummer"] for s in numbers] == [f"851-{n}-2023" for n in range(1, 12)]
    assert all(s["diarienummer"] == "" for s in data["submissions"] if not s["submitted_at"])
    assert data["report"]["diarienummer"] == "851-12-2023"
