"""Issue 15 item 4, "Layout that holds", on the demo's Jönköping 2022 lägesrapport: the PDF
that ``build_status_report`` writes keeps every word on its page, has no near-empty page, real
headings (table of contents and bookmarks), the goal overview with the national goals, the
whole coverage matrix, "UTKAST" on every page of a draft and none on a final, and the county
logo on the cover."""

import dataclasses
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

from followup.models import StatusReport
from followup.reports.context import report_data
from followup.reports.pdf import ReportRenderer
from kvinnofrid.directory import services as directory_services
from kvinnofrid.directory.models import County
from tests.directory.test_county_logo import png_bytes
from tests.factories import demo_loaded
from tests.followup.report_pdf_text import flat, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_report(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once; the command's PDF of 2022 plus a draft and a final rendering of
    the same report (rolled back afterwards)."""
    out = tmp_path_factory.mktemp("report")
    with demo_loaded(django_db_blocker, str(out / "media")):
        command_pdf = out / "jonkoping-2022.pdf"
        call_command(
            "build_status_report",
            county="06",
            year=2022,
            output=str(command_pdf),
            stdout=io.StringIO(),
        )
        report = StatusReport.objects.get(round__plan__county__code="06", round__year=2022)
        data = report_data(report_id=report.pk)
        renderer = ReportRenderer()
        paths = {"command": command_pdf}
        for status in ("draft", "final"):
            paths[status] = out / f"{status}.pdf"
            paths[status].write_bytes(
                renderer.render(dataclasses.replace(data, status=status)).content
            )
        yield {"data": data, "paths": paths, "report_id": report.pk, "out": out}


@pytest.mark.parametrize("which", ["command", "draft", "final"])
def test_every_word_lies_inside_its_page(demo_report, which):
    pages = pdf_pages(demo_report["paths"][which])
    assert len(pages) > 10
    outside = [
        (number, w.text)
        for number, page in enumerate(pages, start=1)
        for w in page.words
        if w.x0 < 0 or w.y0 < 0 or w.x1 > page.width or w.y1 > page.height
    ]
    assert outside == []


@pytest.mark.parametrize("which", ["command", "draft"])
def test_no_page_but_cover_contents_and_last_is_less_than_a_quarter_full(demo_report, which):
    pages = pdf_pages(demo_report["paths"][which])
    toc = {n for n, p in enumerate(pages) if p.body and p.body[0].text == "Innehåll"}
    assert toc == {1}
    exempt = {0, len(pages) - 1, *toc}
    sparse = [
        (n + 1, round(p.fill, 2)) for n, p in enumerate(pages) if n not in exempt and p.fill < 0.25
    ]
    assert sparse == []


def test_goal_overview_lists_each_goal_with_its_national_goals(demo_report):
    data = demo_report["data"]
    assert [[ng.number for ng in row.national_goals] for row in data.goal_overview] == [
        [1],
        [2],
        [2],
        [3],
        [4],
    ]
    text = flat(" ".join(p.text for p in pdf_pages(demo_report["paths"]["draft"])))
    overview = text[text.index("Regional uppföljning för 2022 ", text.index("Inledning ") + 1000) :]
    for row in data.goal_overview:
        national = row.national_goals[0]
        assert f"Mål {row.number} – {flat(row.title)}" in overview
        assert f"Nationellt mål {national.number}: " in overview
    html = ReportRenderer().render_html(data)
    assert '<th scope="col">Nationell målsättning</th>' in html


def test_every_section_has_a_heading_a_toc_entry_and_a_bookmark(demo_report):
    reader = PdfReader(demo_report["paths"]["draft"])

    def titles(outline):
        for item in outline:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    bookmarks = [flat(t) for t in titles(reader.outline)]
    toc = flat(reader.pages[1].extract_text())
    wanted = [
        "Inledning",
        "Hur har lägesrapporten tagits fram?",
        "Regional uppföljning för 2022",
        "Regionala resurser",
        "Analys och förbättringsområden – regionala resurser",
        *(f"Analys och förbättringsområden – mål {n}" for n in range(1, 6)),
        "Arbete – regional strategi och handlingsplaner",
        "Avslutande ord",
        "Delmål och typ av aktör",
    ]
    for title in wanted:
        assert title in bookmarks, title
        assert title in toc, title


def test_the_coverage_matrix_keeps_every_column(demo_report):
    data = demo_report["data"]
    assert len(data.coverage.kinds) > 5  # wider than one table: it is split
    text = flat(" ".join(p.text for p in pdf_pages(demo_report["paths"]["draft"])))
    # a long kind name may wrap inside its header cell ("Kvinnojour/ tjejjour")
    matrix = text[text.index("Antal aktörer per typ som rapporterat") :].replace(" ", "")
    for kind in data.coverage.kinds:
        assert flat(kind).replace(" ", "") in matrix, kind
    parts = data.coverage.column_groups
    assert sum(len(p.kinds) for p in parts) == len(data.coverage.kinds)
    assert all(len(p.kinds) <= 5 for p in parts)


def test_utkast_on_every_page_of_a_draft_and_none_on_a_final(demo_report):
    draft = pdf_pages(demo_report["paths"]["draft"])
    assert [n for n, p in enumerate(draft, start=1) if "UTKAST" not in p.text] == []
    final = pdf_pages(demo_report["paths"]["final"])
    assert [n for n, p in enumerate(final, start=1) if "UTKAST" in p.text] == []


def test_the_county_logo_is_on_the_cover(demo_report, make_user):
    coordinator = make_user("coordinator", county_code="06")
    with override_settings(MEDIA_ROOT=str(demo_report["out"] / "logo-media")):
        county = County.objects.get(code="06")
        directory_services.county_logo_set(
            actor=coordinator, county_id=county.pk, content=png_bytes()
        )
        data = report_data(report_id=demo_report["report_id"])
        assert data.logo_data_uri.startswith("data:image/png;base64,")
        pdf = Path(demo_report["out"] / "logo.pdf")
        pdf.write_bytes(ReportRenderer().render(data).content)
    cover = PdfReader(pdf).pages[0]
    assert len(cover.images) == 1
    assert len(PdfReader(demo_report["paths"]["draft"]).pages[0].images) == 0


def test_every_submitted_activity_of_the_round_is_in_the_pdf(demo_report):
    from followup.models import ReportedActivity
    from followup.selectors import SUBMITTED_STATUSES

    text = flat(" ".join(p.text for p in pdf_pages(demo_report["paths"]["draft"])))
    report = StatusReport.objects.get(pk=demo_report["report_id"])
    activities = ReportedActivity.objects.filter(
        submission__round=report.round, submission__status__in=SUBMITTED_STATUSES
    ).select_related("submission__organisation")
    assert activities.count() > 40
    missing = [
        a.title
        for a in activities
        if flat(a.title) not in text or flat(a.submission.organisation.name) not in text
    ]
    assert missing == []
    assert "Bilaga – övriga rapporterade aktiviteter" in text  # the demo leaves some out


def test_long_activities_and_texts_still_fill_their_pages(tmp_path):
    from tests.followup.test_report_support import build_county

    data = build_county(
        actors=30,
        submitted=20,
        activities=40,
        goals=4,
        text="En längre text om länets arbete. " * 40,
        description="Beskrivning " * 60,
    )
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(ReportRenderer().render(report_data(report_id=data.report.pk)).content)
    pages = pdf_pages(pdf)
    assert len(pages) > 20
    toc = {n for n, p in enumerate(pages) if p.body and p.body[0].text == "Innehåll"}
    exempt = {0, len(pages) - 1, *toc}
    assert [n for n, p in enumerate(pages) if n not in exempt and p.fill < 0.25] == []
    assert [
        (n, w.text)
        for n, p in enumerate(pages)
        for w in p.words
        if w.x0 < 0 or w.y0 < 0 or w.x1 > p.width or w.y1 > p.height
    ] == []


def test_a_footnote_defined_after_the_resources_analysis_heading_keeps_its_reference():
    from followup.reports.overview import split_resources_analysis
    from kvinnofrid.core.richtext import render_markdown

    # given a resources text whose footnote is referenced before the analysis heading and
    # defined after it
    text = (
        "Styrgrupper finns i länet.[^1]\n\n"
        "Analys och förbättringsområden – regionala resurser\n\n"
        "Samverkan kan utvecklas.\n\n[^1]: Kommun och Region"
    )
    # when it is split into the resources text and its analysis
    resources, analysis = split_resources_analysis(text)
    # then the footnote is rendered once, with the text that refers to it
    assert render_markdown(resources).footnotes == 1
    assert "Kommun och Region" in render_markdown(resources).html
    assert render_markdown(analysis).footnotes == 0
    assert "Samverkan kan utvecklas." in analysis
