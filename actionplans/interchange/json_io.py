"""JSON text: writing the export dict and reading an uploaded file (JSON, or XLSX by content)."""

import json
from typing import Any

from django.utils.translation import gettext as _

from actionplans.interchange.format import (
    MAX_FILE_BYTES,
    MAX_INTEGER_DIGITS,
    PlanImportError,
)
from actionplans.interchange.xlsx import xlsx_to_data


def plan_to_json(data: dict[str, Any]) -> str:
    """The export dict as pretty-printed UTF-8 JSON text (what the download and the command
    write)."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise PlanImportError(
            _("filen innehåller ett för stort heltal (%(start)s…, %(digits)d siffror)")
            % {"start": text[:10], "digits": len(text.lstrip("-"))}
        )
    return int(text)


def _refused_constant(text: str) -> float:
    raise PlanImportError(_("filen innehåller %(value)s, som inte är ett tal") % {"value": text})


def parse_plan_file(*, content: bytes, filename: str) -> dict[str, Any]:
    """Read an uploaded JSON or XLSX file (by extension, else by content) into a dict."""
    if len(content) > MAX_FILE_BYTES:
        raise PlanImportError(_("filen är för stor (högst 5 MB)"))
    name = filename.lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx") or (is_zip and not name.endswith(".json")):
        return xlsx_to_data(content)
    try:
        data = json.loads(
            content.decode("utf-8-sig"),
            parse_int=_bounded_int,
            parse_constant=_refused_constant,
        )
    except UnicodeDecodeError as exc:
        raise PlanImportError(_("filen är inte UTF-8-kodad JSON")) from exc
    except RecursionError as exc:
        raise PlanImportError(_("JSON-filen är för djupt nästlad")) from exc
    except json.JSONDecodeError as exc:
        raise PlanImportError(
            _("ogiltig JSON på rad %(line)d, kolumn %(col)d")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc
    if not isinstance(data, dict):
        raise PlanImportError(_("filen ska innehålla ett JSON-objekt"))
    return data


# --- validation ------------------------------------------------------------------------------
