"""Writing user text into spreadsheets so that it stays text (OWASP "CSV injection").

openpyxl turns any string that starts with "=" into a formula cell, so an answer such as
``=HYPERLINK("http://…?"&A2,"Klicka")`` would come out of an export as a live formula. Every
exporter appends its rows through :func:`append_text_row`, which keeps the text exactly as typed
(a re-import reads the same value back) but stores it as a text cell. Texts that start with one of
OWASP's trigger characters are also marked "quote prefix", so a spreadsheet program keeps them as
text even when someone edits the cell.
"""

from collections.abc import Iterable
from typing import Any

# OWASP's list: a cell starting with one of these may be read as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A CSV cell a spreadsheet program shows as text: one that could start a formula gets a
    leading apostrophe (OWASP "CSV injection")."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def append_text_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append ``values`` as the next row of ``sheet``; every string becomes a text cell.

    Numbers, booleans, dates and ``None`` are written as they are. Never creates a formula.
    """
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_TRIGGERS):
                cell.quotePrefix = True
