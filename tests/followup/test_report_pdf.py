"""The lägesrapport PDF: content in the seed's order, tagged, Swedish, with the generated figures."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from followup.models import ReportBuild
from followup.reports.context import report_data, response_sentence
from tests.followup.test_report_support import build_county

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def assert_in_order(text: str, needles: list[str]) -> None:
    pos = 0
    for needle in needles:
        found = text.find(needle, pos)
        assert found >= 0, f"{needle!r} not found after position {pos}"
        pos = found + len(needle)


@pytest.mark.parametrize(
    ("submitted", "previous", "expected"),
    [
        (
            11,
            15,
            "Totalt svarade 11 aktörer på yttrande för 2022, vilket är färre svar jämfört med 2021 då 15 aktörer svarade.",
        ),
        (
            16,
            15,
            "Totalt svarade 16 aktörer på yttrande för 2022, vilket är fler svar jämfört med 2021 då 15 aktörer svarade.",
        ),
        (
            15,
            15,
            "Totalt svarade 15 aktörer på yttrande för 2022, vilket är lika många svar som 2021 då 15 aktörer svarade.",
        ),
        (11, None, "Totalt svarade 11 aktörer på yttrande för 2022."),
        (
            1,
            1,
            "Totalt svarade 1 aktör på yttrande för 2022, vilket är lika många svar som 2021 då 1 aktör svarade.",
        ),
    ],
)
def test_response_sentence(submitted, previous, expected):
    assert response_sentence(year=2022, submitted=submitted, previous=previous) == expected


def test_cli_builds_pdf_with_sections_in_seed_order(tmp_path):
    # given
    data = build_county()
    out = tmp_path / "rapport.pdf"
    # when
    call_command("build_status_report", "--county", "06", "--year", "2022", "-o", str(out))
    # then
    content = out.read_bytes()
    build = ReportBuild.objects.get(report=data.report)
    assert build.status == ReportBuild.Status.DONE
    assert build.page_count == len(PdfReader(io.BytesIO(content)).pages)
    reader = PdfReader(io.BytesIO(content))
    pages = [flat(page.extract_text() or "") for page in reader.pages]
    assert "Regional lägesrapport 2022" in pages[0]
    assert "Jönköpings län" in pages[0]
    assert "Innehåll" in pages[1]
    assert re.search(r"Inledning \.*\s*3", pages[1])  # page numbers from target-counter
    text = " ".join(pages[2:])  # after the cover and the table of contents
    assert_in_order(
        text,
        [
            "Inledning",
            "Hur har lägesrapporten tagits fram?",
            "Totalt svarade 11 aktörer på yttrande för 2022, vilket är färre svar jämfört med 2021 då 15 aktörer svarade.",
            "Hur kan lägesrapporten användas?",
            "Regionala resurser",
            "Mål 1 – Målområde nummer 1",
            "Exempel på aktiviteter 2022",
            "Analys och förbättringsområden – mål 1",
            "Mål 5 – Målområde nummer 5",
            "Analys och förbättringsområden – mål 5",
            "Arbete – regional strategi och handlingsplaner",
            "Avslutande ord",
            "Anna Andersson",
            "Bilaga",
        ],
    )
    assert f"Sida 3 av {len(pages)}" in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title.startswith("Regional lägesrapport 2022")


def test_report_data_queries_do_not_grow(django_assert_max_num_queries):
    small = build_county(actors=5, submitted=3, activities=5, goals=2)
    big = build_county(county_code="07", actors=40, submitted=30, activities=200, goals=8)
    with django_assert_max_num_queries(20) as small_ctx:
        report_data(report_id=small.report.pk)
    with django_assert_max_num_queries(len(small_ctx.captured_queries)):
        report_data(report_id=big.report.pk)


def test_jonkoping_2022_demo_report(tmp_path):
    """The acceptance check: the seed's sections in order, the generated response sentence
    with 2021's 15, a tagged PDF in Swedish."""
    from actionplans.models import Goal
    from followup.models import FollowUpRound

    # given
    call_command("load_demo")
    round_ = FollowUpRound.objects.get(plan__county__code="06", year=2022)
    goals = list(Goal.objects.filter(plan=round_.plan).order_by("order", "number"))
    assert len(goals) == 5
    out = tmp_path / "jonkoping-2022.pdf"
    # when
    call_command("build_status_report", "--county", "06", "--year", "2022", "-o", str(out))
    # then
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    pages = [flat(page.extract_text() or "") for page in reader.pages]
    assert "Regional lägesrapport 2022" in pages[0]
    assert "Jönköpings län" in pages[0]
    assert "Innehåll" in pages[1]
    text = " ".join(pages[2:])
    needles = [
        "Inledning",
        "Hur har lägesrapporten tagits fram?",
        "Totalt svarade 11 aktörer på yttrande för 2022, vilket är färre svar jämfört med "
        "2021 då 15 aktörer svarade.",
        "Hur kan lägesrapporten användas?",
        "Regionala resurser",
    ]
    for goal in goals:
        needles += [
            f"Mål {goal.number} – {flat(goal.title)[:30]}",
            "Exempel på aktiviteter 2022",
            f"Analys och förbättringsområden – mål {goal.number}",
        ]
    needles += ["Arbete – regional strategi och handlingsplaner", "Avslutande ord", "Bilaga"]
    assert_in_order(text, needles)
    assert "Totalt svarade 11 aktörer" in text
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "sv"
    assert reader.metadata.title.startswith("Regional lägesrapport 2022")
    assert not dict(reader.attachments)
    # the demo's 2022 report is final (issue 12 item 16): the command wrote its published PDF
    # and started no new draft
    from followup.reports.final import final_version

    report = round_.reports.get()
    assert report.status == "final"
    assert hashlib.sha256(out.read_bytes()).hexdigest() == final_version(report).pdf_sha256
