"""Issue 12 items 3–5: hostile plan files are refused by ``import_plan --dry-run`` quickly, in
Swedish, without a traceback and without writing anything; a good file still passes."""

import io
import json
import re
import time
import zipfile

import pytest
from django.core.management import CommandError, call_command

from actionplans.interchange import plan_export, plan_import, plan_to_xlsx
from actionplans.models import ActionPlan
from tests.actionplans.test_interchange import edge_case_plan
from tests.factories import OrganisationFactory, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_plan() -> dict:
    OrganisationFactory(county=county("01"), name="Alfa kommun")
    plan = plan_import(data=edge_case_plan(), actor=None, skip_permission_checks=True)
    return plan_export(plan=plan)


def _dry_run(path) -> tuple[str, float]:
    out = io.StringIO()
    started = time.monotonic()
    call_command("import_plan", str(path), "--dry-run", stdout=out)
    return out.getvalue(), time.monotonic() - started


def _refusal(path) -> tuple[str, float]:
    plans = ActionPlan.objects.count()
    started = time.monotonic()
    with pytest.raises(CommandError) as caught:
        call_command("import_plan", str(path), "--dry-run", stdout=io.StringIO())
    assert ActionPlan.objects.count() == plans
    return str(caught.value), time.monotonic() - started


def test_a_good_file_still_passes(tmp_path, good_plan):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(good_plan, ensure_ascii=False))
    out, _seconds = _dry_run(path)
    assert "Provkörning: inget sparades." in out


@pytest.mark.parametrize(
    ("escape", "expected"),
    [
        ("\\u001b", "goals[0].title: innehåller otillåtna tecken (styrtecken)"),
        ("\\u0085", "goals[0].title: innehåller otillåtna tecken (styrtecken)"),
        # raw control characters are not JSON at all
        ("\x1b", "ogiltig JSON på rad 1"),
        ("\x07", "ogiltig JSON på rad 1"),
    ],
)
def test_a_control_character_in_a_title_is_refused(tmp_path, good_plan, escape, expected):
    text = json.dumps(good_plan, ensure_ascii=False)
    title = good_plan["goals"][0]["title"]
    text = text.replace(json.dumps(title, ensure_ascii=False)[1:-1], f"ctrl{escape}goal", 1)
    path = tmp_path / "plan.json"
    path.write_text(text)
    message, seconds = _refusal(path)
    assert expected in message
    assert "Invalid" not in message  # no English from the parser
    assert seconds < 15


def test_a_5000_digit_integer_is_refused(tmp_path, good_plan):
    text = re.sub(
        r'"start": \d+',
        '"start": ' + "9" * 5000,
        json.dumps(good_plan, ensure_ascii=False),
        count=1,
    )
    assert "9" * 5000 in text
    path = tmp_path / "plan.json"
    path.write_text(text)
    message, seconds = _refusal(path)
    assert "för stort heltal" in message
    assert "Traceback" not in message
    assert seconds < 15


def _xlsx_declaring_the_whole_sheet(good_plan: dict) -> bytes:
    """The good plan's workbook whose first sheet declares A1:XFD1048576 and holds one cell in
    the last row (10 KB that used to keep a worker busy until it was killed)."""
    source = zipfile.ZipFile(io.BytesIO(plan_to_xlsx(good_plan)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = body.decode()
                xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
                xml = xml.replace(
                    "</sheetData>",
                    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                    "</sheetData>",
                )
                body = xml.encode()
            target.writestr(info.filename, body)
    return buffer.getvalue()


def test_an_xlsx_declaring_a1_to_xfd1048576_is_refused_quickly(tmp_path, good_plan):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_xlsx_declaring_the_whole_sheet(good_plan))
    assert path.stat().st_size < 20_000
    message, seconds = _refusal(path)
    assert "fler än 5000 rader" in message
    assert seconds < 15
