"""The Markdown renderer of report texts: what it keeps, what it strips, and that hostile input
stays bounded."""

import re
import time

import pytest
from django.template import Context, Template

from kvinnofrid.core.richtext import MAX_CHARS, render_markdown


def html(text: str, **kwargs) -> str:
    return render_markdown(text, **kwargs).html


def test_plain_paragraphs_stay_paragraphs():
    out = html("Första stycket\nrad två.\n\nAndra stycket.")
    assert out == "<p>Första stycket<br>\nrad två.</p>\n<p>Andra stycket.</p>\n"


def test_headings_start_under_the_section_and_never_go_below_h5():
    out = html("# Ett\n\n## Två\n\n### Tre\n\n###### Sex")
    assert "<h3>Ett</h3>" in out
    assert "<h4>Två</h4>" in out
    assert "<h5>Tre</h5>" in out
    assert "<h5>Sex</h5>" in out
    assert "<h4>Ett</h4>" in html("# Ett", heading=4)
    assert "<h1" not in html("# a", heading=1)


def test_lists():
    out = html("- a\n- b\n\n1. x\n2. y")
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in out
    assert "<ol>\n<li>x</li>\n<li>y</li>\n</ol>" in out


def test_table_header_cells_get_scope_and_a_bold_first_cell_heads_its_row():
    out = html(
        "Tabell 2. Styrgrupper\n\n| Grupp | Antal |\n| --- | ---: |\n| **Styrgrupp** | 3 |\n"
        "| vanlig | 4 |"
    )
    assert "<caption>Tabell 2. Styrgrupper</caption>" in out
    assert '<th scope="col">Grupp</th>' in out
    assert '<th class="num" scope="col">Antal</th>' in out
    assert '<th scope="row">Styrgrupp</th>' in out
    assert "<td>vanlig</td>" in out
    assert "style=" not in out  # alignment is a class: no inline style under the CSP
    assert out.index("<table") < out.index("<caption>") < out.index("<thead>")


def test_a_paragraph_not_starting_with_tabell_stays_a_paragraph():
    out = html("Se tabellen nedan.\n\n| a |\n| --- |\n| b |")
    assert "<caption>" not in out
    assert "<p>Se tabellen nedan.</p>" in out


def test_footnotes_are_inline_for_the_pdf_and_end_notes_for_html():
    out = html("Text[^a] och mer[^b].\n\n[^a]: Första noten.\n\n[^b]: Andra.", prefix="res")
    assert ('<sup class="fn-ref"><a href="#fn-res-1" id="fnref-res-1" aria-label="Fotnot 1"') in out
    assert '<span class="fn-body">Första noten.</span>' in out
    assert '<div class="endnotes" role="note" aria-label="Fotnoter">' in out
    assert '<li id="fn-res-1" value="1"><p>Första noten.</p>' in out
    assert '<li id="fn-res-2" value="2">' in out
    assert "[^" not in out


def test_footnote_numbers_continue_from_number_from():
    result = render_markdown("A[^1] B[^2]\n\n[^1]: x\n\n[^2]: y", prefix="m4", number_from=10)
    assert result.footnotes == 2
    assert 'id="fn-m4-10"' in result.html
    assert 'id="fn-m4-11"' in result.html
    assert '<ol class="footnotes" start="10">' in result.html


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://www.socialstyrelsen.se/a", True),
        ("http://example.se", True),
        ("mailto:info@example.se", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html;base64,PHNjcmlwdD4=", False),
        ("vbscript:x", False),
        ("/admin/", False),
        ("file:///etc/passwd", False),
    ],
)
def test_links_only_for_http_https_mailto(url, kept):
    out = html(f"[länk]({url})")
    assert ("<a href=" in out) is kept
    if kept:
        assert 'rel="noopener noreferrer"' in out


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        "<iframe src=https://evil.example></iframe>",
        '<div onclick="x()">y</div>',
        "<style>body{display:none}</style>",
        "![bild](javascript:alert(1))",
        "[x](javascript:alert(1) 'titel')",
        '<svg onload="alert(1)"></svg>',
    ],
)
def test_raw_html_and_scripts_never_come_through(text):
    out = html(text).lower()
    # shown as text (escaped) at most: no element, no event attribute, no link
    assert not re.search(r"<(script|img|iframe|style|svg|div)", out)
    assert not re.search(r"<[^>]*\bon\w+=", out)
    assert "<a " not in out


def test_placeholders_survive_markdown():
    out = html("Under {år} svarade {antal_svar} av {antal_inbjudna}.\n\n- {år}")
    assert "Under {år} svarade {antal_svar} av {antal_inbjudna}." in out
    assert "<li>{år}</li>" in out


def test_control_characters_are_dropped():
    out = html("a\x00b\x07c\x1bd\u202ee\r\nf")
    assert out == "<p>abcde<br>\nf</p>\n"


@pytest.mark.parametrize(
    "text",
    [
        "- " * 200_000 + "x",
        "> " * 200_000 + "x",
        "\n".join("  " * i + "- x" for i in range(3000)),
        "[^1]" * 100_000 + "\n\n[^1]: x",
        "|a" * 100_000 + "|\n" + "|-" * 100_000 + "|",
        "*" * 500_000,
        "[a](" * 100_000,
        "x" * 5_000_000,
        "# " * 100_000,
    ],
)
@pytest.mark.parametrize("inline", [False, True])
def test_hostile_sizes_stay_bounded(text, inline):
    start = time.monotonic()
    out = html(text, inline=inline)
    assert time.monotonic() - start < 5
    assert len(out) < 20 * MAX_CHARS
    assert out.count("<ul>") <= 20
    assert "<blockquote" not in out


def test_template_tag_numbers_footnotes_across_texts_and_keeps_ids_unique():
    template = Template(
        '{% load richtext %}{% rich_text a "x" %}{% rich_text b "y" heading=4 %}'
        '{% rich_text "" "z" %}{% rich_text none "w" %}'
    )
    out = template.render(
        Context({"a": "A[^1]\n\n[^1]: ett", "b": "# Rubrik\n\nB[^1]\n\n[^1]: två", "none": None})
    )
    assert 'id="fn-x-1"' in out
    assert 'id="fn-y-2"' in out
    assert "<h4>Rubrik</h4>" in out


def test_inline_mode_gives_phrasing_content_for_a_text_inside_a_paragraph():
    result = render_markdown(
        "Inom LSS[^4] har\n\n- ett\n- två\n\n# Rubrik\n\n[^4]: Lag (1993:387)",
        prefix="akt-5",
        number_from=4,
        inline=True,
    )
    out = result.html
    assert result.footnotes == 1
    assert not re.search(r"<(p|ul|li|h\d|div|ol|table)\b", out)
    assert "har<br><br>ett<br>två<br>Rubrik" in re.sub(r"\s", "", out)
    assert '<span class="fn-body">Lag (1993:387)</span>' in out
    assert '<span class="endnote" id="fn-akt-5-4">4. Lag (1993:387)' in out


def test_template_tag_joins_prefix_parts_and_renders_inline():
    out = Template('{% load richtext %}<p>{% rich_text t "mal" 7 "akt" inline=True %}</p>').render(
        Context({"t": "A[^1]\n\n[^1]: not"})
    )
    assert 'id="fn-mal-7-akt-1"' in out
    assert "<p>A<sup" in out
