"""Issue 16 item 3: the archive package of a county's year, and its verification."""

import csv
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from followup.archive import verify_archive
from followup.archive.audit import csv_cell
from followup.archive.manifest import parse_manifest
from followup.archive.package import safe_segment, write_zip


def _rewrite(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """Copy the zip with some members replaced (bytes), removed (None) or added."""
    with zipfile.ZipFile(source) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    for name, content in change.items():
        if content is None:
            files.pop(name)
        else:
            files[name] = content
    target.write_bytes(write_zip(files))


def _pdfa_part(content: bytes) -> str:
    with pikepdf.open(io.BytesIO(content)) as pdf:
        return str(pdf.open_metadata().get("pdfaid:part"))


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.django_db
def test_the_demo_archive_has_the_layout_and_verifies(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    target = tmp_path / "arkiv.zip"
    call_command("export_archive", "--county", "06", "--year", "2022", "-o", str(target))

    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        files = {name: archive.read(name) for name in names}
        infos = archive.infolist()
    assert names[0] == "manifest.xml"
    assert names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    numbers = [f"851-{n}-2023" for n in range(1, 12)]
    expected = {
        "manifest.xml",
        "report/lagesrapport-2022.pdf",
        "plan/plan.json",
        "audit/audit.json",
        "audit/audit.csv",
    }
    for number in numbers:
        expected |= {f"submissions/{number}/yttrande.pdf", f"submissions/{number}/yttrande.json"}
    assert set(names) == expected

    meta, listed = parse_manifest(files["manifest.xml"])
    assert (meta["county"], meta["year"]) == ("06", "2022")
    assert meta["created"]
    assert {f.path for f in listed} == expected - {"manifest.xml"}
    for f in listed:
        assert f.size == len(files[f.path])
        assert f.sha256 == hashlib.sha256(files[f.path]).hexdigest()
        assert f.mimetype == {"pdf": "application/pdf", "json": "application/json"}.get(
            f.path.rsplit(".", 1)[1], "text/csv"
        )

    pdfs = [name for name in names if name.endswith(".pdf")]
    assert len(pdfs) == 12
    for name in pdfs:
        assert files[name].startswith(b"%PDF-")
        assert _pdfa_part(files[name]) == "2", name
    assert "851-3-2023" in _pdf_text(files["submissions/851-3-2023/yttrande.pdf"])
    report_text = _pdf_text(files["report/lagesrapport-2022.pdf"])
    assert "Lägesrapport" in report_text or "lägesrapport" in report_text

    yttrande = json.loads(files["submissions/851-1-2023/yttrande.json"])
    assert yttrande["diarienummer"] == "851-1-2023"
    assert yttrande["county"] == "06"
    assert yttrande["activities"]
    plan = json.loads(files["plan/plan.json"])
    assert plan["format"] == "kvinnofrid-plan/1"
    assert plan["county"] == "06"
    audit = json.loads(files["audit/audit.json"])
    assert "followup.report.finalised" in {row["action"] for row in audit}
    rows = list(csv.reader(io.StringIO(files["audit/audit.csv"].decode("utf-8-sig"))))
    assert rows[0][:4] == ["id", "created_at", "actor", "action"]
    assert len(rows) == len(audit) + 1

    out = io.StringIO()
    call_command("verify_archive", str(target), stdout=out)
    assert "OK" in out.getvalue()
    assert "alla kontrollsummor stämmer" in out.getvalue()

    # one byte of one file changed: exit 1, naming the file
    pdf = bytearray(files["submissions/851-4-2023/yttrande.pdf"])
    pdf[len(pdf) // 2] ^= 0x01
    tampered = tmp_path / "andrad.zip"
    _rewrite(target, tampered, {"submissions/851-4-2023/yttrande.pdf": bytes(pdf)})
    with pytest.raises(CommandError) as excinfo:
        call_command("verify_archive", str(tampered), stdout=io.StringIO())
    assert excinfo.value.returncode == 1
    assert "submissions/851-4-2023/yttrande.pdf" in str(excinfo.value)

    # the real command line: exit codes 0 and 1, the file named on stderr
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_archive"]
    good = subprocess.run([*manage, str(target)], capture_output=True, text=True, check=False)  # noqa: S603
    assert good.returncode == 0, good.stderr
    bad = subprocess.run([*manage, str(tampered)], capture_output=True, text=True, check=False)  # noqa: S603
    assert bad.returncode == 1
    assert "submissions/851-4-2023/yttrande.pdf" in bad.stderr

    # a file left out, or one added that the manifest does not list
    missing = tmp_path / "saknas.zip"
    _rewrite(target, missing, {"audit/audit.csv": None})
    assert verify_archive(missing).bad_file == "audit/audit.csv"
    extra = tmp_path / "extra.zip"
    _rewrite(target, extra, {"submissions/extra.txt": b"x"})
    assert verify_archive(extra).bad_file == "submissions/extra.txt"


@pytest.mark.django_db
def test_no_final_report_no_archive(tmp_path):
    with pytest.raises(CommandError, match="Ingen uppföljning"):
        call_command(
            "export_archive", "--county", "06", "--year", "1999", "-o", str(tmp_path / "a.zip")
        )
    assert not (tmp_path / "a.zip").exists()


@pytest.mark.parametrize(
    ("number", "segment"),
    [
        ("851-1-2023", "851-1-2023"),
        ("LST 2023/77", "LST_2023_77"),
        ("../../etc/passwd", "etc_passwd"),
        ("..", "fallback"),
        ("/abs", "abs"),
        ("a\\b:c", "a_b_c"),
        ("", "fallback"),
        (".hidden", "hidden"),
    ],
)
def test_a_diarienummer_becomes_one_safe_path_segment(number, segment):
    assert safe_segment(number, "fallback") == segment


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ({"a": [1, 2]}, '{"a": [1, 2]}'),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value, cell):
    assert csv_cell(value) == cell


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../b", "c:\\x", "a//b"])
def test_verify_refuses_paths_outside_the_package(tmp_path, name):
    target = tmp_path / "evil.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("manifest.xml", b"<x/>")
        archive.writestr(name, b"x")
    result = verify_archive(target)
    assert not result.ok
    assert result.bad_file == name


def test_the_zip_is_deterministic():
    files = {"b/2.json": b"{}", "manifest.xml": b"<m/>", "a/1.pdf": b"%PDF-"}
    first = write_zip(files)
    assert first == write_zip(dict(reversed(files.items())))
    assert zipfile.ZipFile(io.BytesIO(first)).namelist() == ["manifest.xml", "a/1.pdf", "b/2.json"]


@pytest.mark.django_db
def test_hostile_and_missing_numbers_stay_inside_submissions(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    from followup import services
    from followup.archive import build_archive
    from followup.reports import builds as report_builds
    from followup.reports import services as report_services
    from followup.reports.pdf import RenderedPdf, ReportRenderer
    from tests.followup.conftest import fill_required

    monkeypatch.setattr(
        ReportRenderer,
        "render_pdf",
        lambda self, html: RenderedPdf(content=b"%PDF-1.7\n% fake report\n", page_count=2),
    )
    coordinator = world.users["coordinator"]
    services.registry_update(county=world.plan.county, mode="manual", prefix="", actor=coordinator)
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    services.submission_set_diarienummer(
        submission_id=world.submission.pk, diarienummer="../../../etc/passwd", actor=coordinator
    )
    other = world.other_submission
    type(other).objects.filter(pk=other.pk).update(status="submitted", submitted_at=timezone.now())
    report = report_services.report_create(round_id=world.round.pk, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        report_builds.report_request_build(report_id=report.pk, actor=coordinator)
    report_services.report_finalise(report_id=report.pk, actor=coordinator)

    content = build_archive(county_code="06", year=world.round.year)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert "submissions/etc_passwd/yttrande.pdf" in names
    assert f"submissions/utan-diarienummer-{other.pk}/yttrande.json" in names
    assert all(".." not in name and not name.startswith("/") for name in names)
