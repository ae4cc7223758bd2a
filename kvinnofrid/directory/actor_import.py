"""Reading a county's actors from a CSV or XLSX file (DESIGN §9, ``import_actors``).

The file has a header row ``name, kind, municipality_code, organisation_number, email`` and one
organisation per row. Reading is bounded (bytes, rows and columns), so a huge or hostile file
costs little; checking names every bad row and field; nothing is written here (see
``services.organisations_import``).
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kvinnofrid.directory.models import County
from kvinnofrid.directory.validation import FIELDS, check_organisation_fields, duplicates

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 10
MAX_CELL_CHARS = 500


@dataclass(frozen=True)
class Problem:
    """One bad row (``line`` is the file's line number; 1 is the header, 0 the whole file)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        return _("Rad %(line)d, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


@dataclass
class ActorFile:
    """The rows read from a file and every problem found; ``rows`` are cleaned values."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class ActorFileError(Exception):
    """The file cannot be read at all (wrong type, too large, no header)."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)[: MAX_CELL_CHARS + 1]


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActorFileError(_("CSV-filen måste vara sparad som UTF-8.")) from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append([_cell(v) for v in row[: MAX_COLUMNS + 1]])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise ActorFileError(_("CSV-filen kunde inte läsas.")) from None
    return rows


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise ActorFileError(_("Excel-filen kunde inte läsas.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [
            [_cell(v) for v in row]
            for row in sheet.iter_rows(
                max_row=MAX_ROWS + 2, max_col=MAX_COLUMNS + 1, values_only=True
            )
        ]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError, IndexError):
        raise ActorFileError(_("Excel-filen kunde inte läsas.")) from None
    finally:
        workbook.close()


def read_table(*, content: bytes, filename: str) -> list[list[str]]:
    """The file's rows as lists of strings (header first). Raises ``ActorFileError``."""
    if len(content) > MAX_FILE_BYTES:
        raise ActorFileError(
            _("Filen är för stor (högst %(mb)d MB).") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    name = filename.lower()
    if name.endswith(".csv"):
        return _csv_rows(content)
    if name.endswith(".xlsx"):
        return _xlsx_rows(content)
    raise ActorFileError(_("Välj en CSV- eller XLSX-fil."))


def check_table(*, table: list[list[str]], county: County) -> ActorFile:
    """Check every row of ``table`` against ``county``'s directory; nothing is written."""
    result = ActorFile()
    while table and not any(c.strip() for c in table[-1]):
        table = table[:-1]
    if not table:
        result.problems.append(Problem(0, "", _("Filen är tom.")))
        return result
    header = [c.strip().lower() for c in table[0]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS or header != list(FIELDS):
        result.problems.append(
            Problem(
                0,
                "",
                _("Första raden ska vara rubrikerna %(header)s.") % {"header": ", ".join(FIELDS)},
            )
        )
        return result
    body = table[1:]
    if len(body) > MAX_ROWS:
        result.problems.append(
            Problem(0, "", _("Filen har fler än %(max)d rader.") % {"max": MAX_ROWS})
        )
        return result
    lines: list[tuple[int, dict[str, Any]]] = []
    for index, raw in enumerate(body, start=2):
        if not any(c.strip() for c in raw):
            continue
        if len(raw) > len(FIELDS) and any(c.strip() for c in raw[len(FIELDS) :]):
            result.problems.append(Problem(index, "", _("Raden har fler kolumner än rubrikerna.")))
            continue
        values = dict(zip(FIELDS, raw + [""] * len(FIELDS), strict=False))
        too_long = [f for f, v in values.items() if len(v) > MAX_CELL_CHARS]
        if too_long:
            for f in too_long:
                result.problems.append(Problem(index, f, _("Värdet är för långt.")))
            continue
        cleaned, errors = check_organisation_fields(county=county, data=values)
        for f, message in errors.items():
            result.problems.append(Problem(index, f, message))
        lines.append((index, cleaned))
    for f in ("name", "municipality_code"):
        repeated = duplicates(v[f] for _i, v in lines)
        for index, values in lines:
            if values[f] and values[f].casefold() in repeated:
                result.problems.append(
                    Problem(
                        index, f, _("%(value)s finns flera gånger i filen.") % {"value": values[f]}
                    )
                )
    if not lines and not result.problems:
        result.problems.append(Problem(0, "", _("Filen har inga aktörer under rubrikraden.")))
    result.problems.sort(key=lambda p: (p.line, FIELDS.index(p.field) if p.field else -1))
    result.rows = [values for _i, values in lines]
    return result


def read_actor_file(*, content: bytes, filename: str, county: County) -> ActorFile:
    """Read and check a file for ``county``; a file that cannot be read is one problem."""
    try:
        table = read_table(content=content, filename=filename)
    except ActorFileError as exc:
        return ActorFile(problems=[Problem(0, "", str(exc))])
    return check_table(table=table, county=county)
