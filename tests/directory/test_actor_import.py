"""Bulk import of a county's actors: every bad row named, all rows or none (DESIGN §9)."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.actor_import import MAX_ROWS, read_actor_file
from kvinnofrid.directory.models import Organisation
from kvinnofrid.directory.services import ImportRefused, organisations_import
from tests.factories import OrganisationFactory, county

HEADER = "name,kind,municipality_code,organisation_number,email\n"
GOOD = (
    HEADER
    + "Kvinnojouren Blenda,kvinnojour,,802400-6150,info@blenda.example\n"
    + "Gnosjö kommun,kommun,0617,212000-0506,kommunen@gnosjo.example\n"
    + "Brottsofferjouren Höglandet,brottsofferjour,,,\n"
)


def _write(tmp_path, text: str, name: str = "aktorer.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
def test_bad_rows_are_refused_naming_each_row_and_field(tmp_path):
    # given an organisation the county already has, and a file with three bad rows
    OrganisationFactory(county=county("06"), name="Aneby kommun", municipality_code="0604")
    text = (
        HEADER
        + "Kronobergs kvinnojour,kvinnojour,0780,,\n"  # 2: Växjö is in Kronoberg
        + "Aneby kommun,kommun,,,\n"  # 3: duplicate of the county's organisation
        + "Nässjö kommun,kommun,0682,212000-0000,\n"  # 4: bad check digit
        + "Tjejjouren,kvinnojour,,,\n"  # 5
        + "tjejjouren,kvinnojour,,,\n"  # 6: duplicate in the file
        + "Okänd,kommunen,9999,,inte-en-adress\n"  # 7: bad kind, code and e-mail
        + "Styr\x07tecken,annan,,,\n"  # 8: control character
    )
    before = Organisation.objects.count()
    # when
    checked = read_actor_file(content=text.encode(), filename="a.csv", county=county("06"))
    # then every bad row is named with its field
    named = {(p.line, p.field) for p in checked.problems}
    assert named == {
        (2, "municipality_code"),
        (3, "name"),
        (4, "organisation_number"),
        (5, "name"),
        (6, "name"),
        (7, "kind"),
        (7, "municipality_code"),
        (7, "email"),
        (8, "name"),
    }
    messages = [str(p) for p in checked.problems]
    assert any("Rad 2, municipality_code" in m and "Kronobergs län" in m for m in messages)
    assert any("Rad 4" in m and "212000-0000" in m for m in messages)
    assert not checked.ok
    with pytest.raises(ImportRefused):
        organisations_import(
            actor=None,
            county_id=county("06").pk,
            table=[line.split(",") for line in text.splitlines()],
            skip_permission_checks=True,
        )
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_a_good_file_creates_exactly_its_rows_and_audits_them(tmp_path):
    before = set(Organisation.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("import_actors", str(_write(tmp_path, GOOD)), "--county", "06", stdout=out)
    new = Organisation.objects.exclude(pk__in=before).order_by("name")
    assert [(o.name, o.kind, o.municipality_code, o.organisation_number, o.email) for o in new] == [
        ("Brottsofferjouren Höglandet", "brottsofferjour", "", "", ""),
        ("Gnosjö kommun", "kommun", "0617", "212000-0506", "kommunen@gnosjo.example"),
        ("Kvinnojouren Blenda", "kvinnojour", "", "802400-6150", "info@blenda.example"),
    ]
    assert all(o.county.code == "06" for o in new)
    assert "3 aktörer importerades" in out.getvalue()
    assert AuditEntry.objects.filter(action="directory.organisation.created").count() == 3


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    before = Organisation.objects.count()
    audit_before = AuditEntry.objects.count()
    out = io.StringIO()
    call_command(
        "import_actors", str(_write(tmp_path, GOOD)), "--county", "06", "--dry-run", stdout=out
    )
    assert Organisation.objects.count() == before
    assert AuditEntry.objects.count() == audit_before
    assert "3 aktörer skulle importeras" in out.getvalue()


@pytest.mark.django_db
def test_cli_exits_1_with_the_bad_rows_on_stderr(tmp_path):
    path = _write(tmp_path, HEADER + "Bra jour,kvinnojour,,,\nFel kommun,kommun,0780,,\n")
    err = io.StringIO()
    before = Organisation.objects.count()
    with pytest.raises(CommandError) as info:
        call_command("import_actors", str(path), "--county", "06", stderr=err)
    assert info.value.returncode == 1
    assert "Rad 3, municipality_code" in err.getvalue()
    assert "Rad 2" not in err.getvalue()
    assert Organisation.objects.count() == before


@pytest.mark.django_db
def test_xlsx_and_semicolon_csv_are_read(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "kind", "municipality_code", "organisation_number", "email"])
    sheet.append(["Habo kommun", "kommun", "0643", "2120001561", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = read_actor_file(content=buffer.getvalue(), filename="a.xlsx", county=county("06"))
    assert checked.problems == []
    assert checked.rows[0]["organisation_number"] == "212000-1561"
    semicolon = HEADER.replace(",", ";") + "Habo kommun;kommun;0643;;\n"
    checked = read_actor_file(content=semicolon.encode(), filename="a.csv", county=county("06"))
    assert checked.ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"", "a.csv", "Filen är tom"),
        (b"namn,typ\nX,kommun\n", "a.csv", "Första raden ska vara rubrikerna"),
        (b"\xff\xfe\x00", "a.csv", "UTF-8"),
        (b"not a zip", "a.xlsx", "Excel-filen kunde inte läsas"),
        (b"x", "a.pdf", "CSV- eller XLSX-fil"),
        (b"x" * (2 * 1024 * 1024 + 1), "a.csv", "för stor"),
        (
            (HEADER + "A,annan,,,\n" * (MAX_ROWS + 1)).encode(),
            "a.csv",
            "fler än 2000 rader",
        ),
        ((HEADER.strip() + ",extra\nA,annan,,,,x\n").encode(), "a.csv", "rubrikerna"),
        ((HEADER + "A,annan,,,," + "x" * 10 + "\n").encode(), "a.csv", "fler kolumner"),
    ],
)
def test_unreadable_or_oversized_files_get_a_message(content, filename, expected):
    checked = read_actor_file(content=content, filename=filename, county=county("06"))
    assert not checked.ok
    assert any(expected in str(p) for p in checked.problems), checked.problems
