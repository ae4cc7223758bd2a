"""The demo's 2022 Jönköping report with rich texts (issue 15 item 1): Tabell 1 as a tagged
table with header cells, and the seed's footnotes as page footnotes in the PDF."""

import io
import re

import pikepdf
import pytest
from django.core.management import call_command
from pypdf import PdfReader

from followup.models import FollowUpRound
from followup.reports.context import report_data
from followup.reports.pdf import ReportRenderer

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    # pdf text extraction may split words at line ends with a hyphen only where the PDF does
    return re.sub(r"\s+", " ", text)


def _struct_types(pdf: pikepdf.Pdf) -> list[tuple[str, list[str]]]:
    """(structure type, child structure types) for every element of the structure tree."""
    found: list[tuple[str, list[str]]] = []
    stack = [pdf.Root.StructTreeRoot]
    seen: set[tuple[int, int]] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and node.objgen != (0, 0):
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        kids = node.get("/K")
        if kids is None:
            children = []
        elif isinstance(kids, pikepdf.Array):
            children = list(kids)
        else:
            children = [kids]
        elems = [k for k in children if isinstance(k, pikepdf.Dictionary) and "/S" in k]
        if "/S" in node:
            found.append((str(node.S), [str(k.S) for k in elems]))
        stack.extend(elems)
    return found


def test_demo_2022_report_has_tabell_1_and_the_seed_footnotes(tmp_path):
    # given
    call_command("load_demo")
    round_ = FollowUpRound.objects.get(plan__county__code="06", year=2022)
    out = tmp_path / "jonkoping-2022.pdf"
    # when
    call_command("build_status_report", "--county", "06", "--year", "2022", "-o", str(out))
    # then: the text of the pages
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = flat(" ".join(page.extract_text() or "" for page in reader.pages))
    assert "Tabell 1. Regional ledning och samordning inom mäns våld mot kvinnor" in text
    for cell in [
        "Organ",
        "Representation",
        "Tre styrgrupper",
        "Ny regional organisation, skapad under 2021",
        "Regionalt våldsförebyggande team (styrgrupp)",
        "Initierad av det kommunala chefsnätverket",
        "Regionskoordinatorerna mot prostitution och människohandel",
    ]:
        assert cell in text, cell
    for footnote in [
        "Kommun, Polismyndighet, Region och Åklagarmyndigheten",
        "Universell nivå handlar om insatser till breda grupper i befolkningen",
        "Regeringens skrivelse 2016/17:10",
        "Lag (1993:387) om stöd och service till vissa funktionshindrade",
        "SSPF är ett brotts- och drogförebyggande arbete",
        "Ett systematiskt arbetssätt för samverkan mellan i första hand kommun, polis",
        "Brottsförebyggande rådet",
        "Särskilt utsatta brottsoffer; brott mot barn",
        "Samverkansmodell mellan skola, socialtjänst, polis och fritidsverksamhet.",
        "Effektiv samordning för ökad trygghet",
        "RSS-funktionen",  # the call of footnote 12 …
        "Regional stödstruktur",  # … and its text
    ]:
        assert footnote in text, footnote
    # Markdown never reaches the page
    assert "[^" not in text
    assert "| ---" not in text
    # the caption sits before the analysis heading, which is a heading, not a paragraph
    # (the table of contents names the heading first: look after the caption's chapter starts)
    chapter = text.index("Tabell 1.")
    assert text.index("Analys och förbättringsområden – regionala", chapter) > chapter
    # then: the structure tree holds a Table whose header cells are TH
    with pikepdf.open(out) as pdf:
        types = _struct_types(pdf)
    tables = [t for t, _kids in types if t == "/Table"]
    assert tables, "no tagged table"
    assert any(t == "/TH" for t, _kids in types)
    assert any(t == "/Caption" for t, _kids in types) or "Tabell 1." in text
    # the same data as HTML: end notes, not page footnotes, and the table's row headers
    html = ReportRenderer().render_html(report_data(report_id=round_.reports.get().pk))
    assert '<th scope="row">Tre styrgrupper</th>' in html
    assert 'class="endnotes"' in html
    assert re.search(r"<h3[^>]*>Analys och förbättringsområden – regionala resurser</h3>", html)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "duplicate ids in the report's HTML"
    # footnote numbers run on through the document: twelve texts' notes, numbered 1, 2, 3 …
    numbers = [int(n) for n in re.findall(r'id="fnref-[^"]*?-(\d+)"', html)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 12


def test_page_footnotes_sit_at_the_foot_of_the_page():
    """A footnote's text is laid out below the body text of its page, not inline."""
    from weasyprint import HTML

    from kvinnofrid.core.richtext import render_markdown

    body = render_markdown("Före[^1] efter.\n\n[^1]: Fotnotens text.").html
    renderer = ReportRenderer()
    document = HTML(
        string='<html lang="sv"><head><link rel="stylesheet" href="report.css"></head>'
        f'<body><div class="user-text">{body}</div></body></html>',
        base_url=renderer.base_url(),
        url_fetcher=renderer.fetcher(),
    ).render()
    pdf = PdfReader(io.BytesIO(document.write_pdf()))
    text = flat(pdf.pages[0].extract_text())
    assert text.index("efter.") < text.index("Fotnotens text.")
    assert "Före1 efter." in text or "Före 1 efter." in text
