"""The plan interchange format ``kvinnofrid-plan/1`` (DESIGN §9): export, parse, check, import.

JSON is the canonical form; the XLSX workbook carries the same keys as column headers, one sheet
per level (plan, goals, delmål, activities, indicators). Delmål codes are free text and may be
empty or repeated, so indicators refer to delmål by goal number and 1-based position.

Stable API (the browser upload view and the management commands both use it):
``plan_export``, ``plan_to_xlsx``, ``xlsx_to_data``, ``parse_plan_file``, ``validate_plan_data``
and ``plan_import``. Refusals raise :class:`PlanImportError` with a Swedish message that names
the first bad field, e.g. ``goals[2].national_goals[0]: okänd nationell målsättning 7``.

The package is split by seam: ``format`` (names, limits, the error and the preview),
``export`` (the plan as a dict), ``json_io``, ``xlsx``, ``validation`` and ``importer``.
"""

from actionplans.interchange.export import current_plan, plan_export
from actionplans.interchange.format import (
    FORMAT,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    PLAN_TEXT_KEYS,
    PlanImportError,
    PlanImportPreview,
)
from actionplans.interchange.importer import plan_import
from actionplans.interchange.json_io import parse_plan_file, plan_to_json
from actionplans.interchange.validation import validate_plan_data
from actionplans.interchange.xlsx import plan_to_xlsx, xlsx_to_data

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "PLAN_TEXT_KEYS",
    "PlanImportError",
    "PlanImportPreview",
    "current_plan",
    "parse_plan_file",
    "plan_export",
    "plan_import",
    "plan_to_json",
    "plan_to_xlsx",
    "validate_plan_data",
    "xlsx_to_data",
]
