import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_export_round_jonkoping_2022_from_demo_data(tmp_path):
    # given the seed-derived demo data
    call_command("load_demo")
    out = tmp_path / "round.json"
    # when
    call_command(
        "export_round", "--county", "06", "--year", "2022", "--format", "json", "-o", str(out)
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    # then
    assert data["format"] == "kvinnofrid-round/1"
    assert data["county"] == "06"
    assert data["year"] == 2022
    assert data["summary"]["submitted"] == 11
    assert data["summary"]["previous_year_submitted"] == 15
    submitted = [s for s in data["submissions"] if s["status"] in ("submitted", "accepted")]
    assert len(submitted) == 11
    assert any(a["sub_goals"] for s in submitted for a in s["activities"])
    xlsx = tmp_path / "round.xlsx"
    call_command(
        "export_round", "--county", "06", "--year", "2022", "--format", "xlsx", "-o", str(xlsx)
    )
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["submissions", "activities", "answers", "indicator values"]
    assert wb["submissions"].max_row == len(data["submissions"]) + 1


def test_export_round_unknown_round_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Ingen uppföljning"):
        call_command("export_round", "--county", "06", "--year", "1999")


def test_export_shape_with_factories(world, tmp_path):
    from followup import services
    from tests.followup.conftest import fill_required

    fill_required(world)
    services.activity_save(
        submission_id=world.submission.pk,
        activity_id=None,
        lock_version=None,
        data={"title": "Kampanj", "sub_goals": [world.sub_goals[2].pk], "areas": ["sexuellt våld"]},
        actor=world.users["reporter"],
    )
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    from followup.exports import RoundExport

    data = RoundExport(round_id=world.round.pk).as_dict()
    assert data["summary"]["invited"] == 2
    assert data["summary"]["submitted"] == 1
    sub = next(s for s in data["submissions"] if s["organisation"] == "Aneby kommun")
    assert sub["activities"][0]["sub_goals"] == [{"goal": 2, "position": 1, "code": "2:1"}]
    assert sub["indicator_values"] == [{"indicator": "Antal utbildade", "value": 12, "note": ""}]
