"""kvinnofrid.core.pdf_finish on WeasyPrint's own output: margin boxes and fixed elements become
artifacts outside the structure tree, header cells get /Scope, chart alt texts carry numbers,
the XMP gets pdfuaid:part 1 next to pdfaid:part 2."""

import io

import pikepdf
import pytest
from weasyprint import HTML

from kvinnofrid.core.pdf_finish import finish_pdf, svg_figure_alts

pytestmark = pytest.mark.slow

SOURCE = """<!DOCTYPE html><html lang="sv"><head><title>Prov</title><style>
@page { @top-center { content: "Sidhuvud" } @bottom-center { content: counter(page) } }
.mark { position: fixed; top: 0; right: 0; }
</style></head><body>
<div class="mark">UTKAST</div>
<h1>Rubrik</h1>
<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100" height="40" viewBox="0 0 100 40">
<title>Svarsfrekvens</title><desc>2022: 11 av 20 (55 %).</desc>
<rect x="0" y="0" width="55" height="40" fill="#333"/></svg>
<table><thead><tr><th scope="col">År</th><th scope="col">Svar</th></tr></thead>
<tbody><tr><th scope="row">2022</th><td>11</td></tr></tbody></table>
<p style="break-before: page">Sida två.</p>
</body></html>"""


def kids(node):
    k = node.get("/K")
    if k is None:
        return []
    return list(k) if isinstance(k, pikepdf.Array) else [k]


def elements(pdf):
    stack = kids(pdf.Root.StructTreeRoot)
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            stack.extend(kids(node))


def marked(pdf):
    out = []
    for page in pdf.pages:
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC":
                out.append(str(operands[0]))
    return out


@pytest.fixture(scope="module")
def raw():
    return HTML(string=SOURCE).write_pdf(pdf_variant="pdf/a-2a")


def test_weasyprint_leaves_margin_boxes_off_the_tree(raw):
    # the premise: without finishing, margin boxes are tagged content, not artifacts
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        assert "/Artifact" not in marked(pdf)
        assert not any("/Scope" in (n.get("/A") or {}) for n in elements(pdf))


def test_finishing_marks_artifacts_and_scopes(raw):
    finished = finish_pdf(raw, figure_alts=svg_figure_alts(SOURCE))
    with pikepdf.open(io.BytesIO(finished)) as pdf:
        tags = marked(pdf)
        # header and page number on two pages, and the fixed draft mark on both pages
        assert tags.count("/Artifact") == 6
        linked = {n.objgen for n in elements(pdf)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        for i in range(1, len(nums), 2):
            for entry in nums[i]:
                assert not isinstance(entry, pikepdf.Dictionary) or entry.objgen in linked
        document = pdf.Root.StructTreeRoot.K[0]
        # the fixed "UTKAST" div (one per page) left the tree; the SVG sits in an anonymous block
        assert [str(k.S) for k in kids(document)] == ["/H1", "/NonStruct", "/Table", "/P"]
        scopes = [str(n.A.Scope) for n in elements(pdf) if n.S == "/TH"]
        assert sorted(scopes) == ["/Column", "/Column", "/Row"]
        figure = next(n for n in elements(pdf) if n.S == "/Figure")
        assert str(figure.Alt) == "Svarsfrekvens. 2022: 11 av 20 (55 %)."
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert 'pdfaid:part="2"' in xmp
        assert 'pdfuaid:part="1"' in xmp


def test_finishing_is_idempotent_on_the_metadata(raw):
    twice = finish_pdf(finish_pdf(raw))
    with pikepdf.open(io.BytesIO(twice)) as pdf:
        assert pdf.Root.Metadata.read_bytes().decode().count("pdfuaid:part=") == 1


def test_a_fixed_element_in_the_flow_leaves_the_tree_on_every_page():
    # given a fixed draft mark inside <main>: on its first page WeasyPrint tags it in the flow,
    # on the other pages as a child of the document
    source = (
        '<html lang="sv"><head><title>T</title><style>.mark { position: fixed; top: 0 }</style>'
        '</head><body><main><section><p class="mark">UTKAST</p><h1>Rubrik</h1><p>Ett</p>'
        '<p style="break-before: page">Två</p><p style="break-before: page">Tre</p>'
        "</section></main></body></html>"
    )
    raw = HTML(string=source).write_pdf(pdf_variant="pdf/a-2a")
    # when
    finished = finish_pdf(raw)
    # then only the flow is left in the tree, and every UTKAST is an artifact
    with pikepdf.open(io.BytesIO(finished)) as pdf:
        roles = [str(n.S) for n in elements(pdf)]
        assert roles.count("/Part") == 3
        assert roles.count("/P") == 3  # Ett, Två, Tre
        assert marked(pdf).count("/Artifact") == 3


def test_artifacts_are_rewritten_in_the_bytes_or_else_through_the_parser():
    from kvinnofrid.core.pdf_finish import _rewrite_bytes

    # given a page whose MCIDs 1 and 2 are margin boxes, one opened plainly and one with an
    # extra property the byte rewrite does not know
    pdf = pikepdf.new()
    pdf.add_blank_page()
    page = pdf.pages[0]
    plain = b"/P <</MCID 0>> BDC (a) Tj EMC /Span <</MCID 1>>BDC (b) Tj EMC"
    page.Contents = pdf.make_stream(plain)
    # when MCID 1 is rewritten
    content, found = _rewrite_bytes(page, {1})
    # then only it becomes a pagination artifact
    assert found == 1
    assert content.count(b"/Artifact <</Type /Pagination>> BDC") == 1
    assert b"/P <</MCID 0>> BDC" in content
    # and a sequence the pattern does not cover is left to the parser (None), never half done
    page.Contents = pdf.make_stream(plain + b" /Span <</MCID 2 /ActualText (c)>> BDC (c) Tj EMC")
    assert _rewrite_bytes(page, {1, 2}) is None
