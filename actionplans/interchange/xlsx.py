"""The XLSX workbook form: one sheet per level, the same keys as column headers."""

import io
import time
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from actionplans.interchange.format import (
    ACTIVITY_COLUMNS,
    GOAL_COLUMNS,
    INDICATOR_COLUMNS,
    LIST_SEPARATOR,
    MAX_INTEGER_DIGITS,
    MAX_READ_SECONDS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    OLD_INDICATOR_TARGET_COLUMNS,
    PLAN_KEYS,
    PLAN_TEXT_KEYS,
    SHEET_ACTIVITIES,
    SHEET_GOALS,
    SHEET_INDICATORS,
    SHEET_PLAN,
    SHEET_SUB_GOALS,
    SUB_GOAL_COLUMNS,
    TARGET_SEPARATOR,
    PlanImportError,
)
from actionplans.targets import parse_value
from kvinnofrid.core.parsing import parse_int
from kvinnofrid.core.spreadsheet import append_text_row


def _put(sheet: Any, row: list[Any]) -> None:
    # User text stays text, never a formula (issue 12 item 2): the shared helper of every export.
    append_text_row(sheet, row)


def plan_to_xlsx(data: dict[str, Any]) -> bytes:
    """The workbook form of ``data`` (the dict of :func:`plan_export`)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_PLAN
    _put(sheet, ["key", "value"])
    for key in PLAN_KEYS:
        value = data["period"][key.split(".")[1]] if key.startswith("period.") else data.get(key)
        _put(sheet, [key, value])

    goals = workbook.create_sheet(SHEET_GOALS)
    sub_goals = workbook.create_sheet(SHEET_SUB_GOALS)
    activities = workbook.create_sheet(SHEET_ACTIVITIES)
    indicators = workbook.create_sheet(SHEET_INDICATORS)
    _put(goals, list(GOAL_COLUMNS))
    _put(sub_goals, list(SUB_GOAL_COLUMNS))
    _put(activities, list(ACTIVITY_COLUMNS))
    _put(indicators, list(INDICATOR_COLUMNS))
    for goal in data["goals"]:
        national = LIST_SEPARATOR.join(str(n) for n in goal["national_goals"])
        _put(goals, [goal["number"], goal["title"], goal["description"], national])
        for position, sub_goal in enumerate(goal["sub_goals"], 1):
            _put(sub_goals, [goal["number"], position, sub_goal["code"], sub_goal["text"]])
            for activity in sub_goal["activities"]:
                responsible = "\n".join(activity["responsible"])
                _put(activities, [goal["number"], position, activity["text"], responsible])
    for indicator in data["indicators"]:
        refs = LIST_SEPARATOR.join(f"{r['goal']}.{r['position']}" for r in indicator["sub_goals"])
        targets = TARGET_SEPARATOR.join(f"{t['year']}: {t['value']}" for t in indicator["targets"])
        row = [indicator.get(c) for c in INDICATOR_COLUMNS if c not in ("targets", "sub_goals")]
        _put(indicators, [*row, targets, refs])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(workbook: Any, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, Any]]]:
    if name not in workbook.sheetnames:
        raise PlanImportError(_("bladet saknas i arbetsboken"), field=name)
    rows = _bounded_rows(workbook[name], name)
    header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else ())]
    for column in columns:
        if column not in header:
            raise PlanImportError(_("kolumnen %(column)s saknas") % {"column": column}, field=name)
    result = []
    for number, row in enumerate(rows[1:], 2):
        if all(v is None or v == "" for v in row):
            continue
        result.append((number, dict(zip(header, map(_plain, row), strict=False))))
    return result


def _bounded_rows(sheet: Any, name: str) -> list[tuple[Any, ...]]:
    """At most MAX_SHEET_ROWS rows of MAX_SHEET_COLUMNS cells, read in at most
    MAX_READ_SECONDS, whatever size the sheet declares; more rows are refused."""
    deadline = time.monotonic() + MAX_READ_SECONDS
    rows = []
    for row in sheet.iter_rows(
        max_row=MAX_SHEET_ROWS + 1, max_col=MAX_SHEET_COLUMNS, values_only=True
    ):
        rows.append(row)
        if time.monotonic() > deadline:
            raise PlanImportError(_("bladet tar för lång tid att läsa"), field=name)
    if len(rows) > MAX_SHEET_ROWS:
        raise PlanImportError(
            _("bladet har fler än %(max)d rader") % {"max": MAX_SHEET_ROWS}, field=name
        )
    return rows


def _plain(value: Any) -> Any:
    """Cell values as JSON types: dates, times and the like become text (the validator then
    names the field), so the parsed dict can be stored in a session or printed as JSON."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _int_cell(value: Any, where: str) -> Any:
    """Integers come back from spreadsheets as int, float or text; anything else is left for
    the validator to refuse with its own message."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        number = parse_int(value, minimum=-(10**MAX_INTEGER_DIGITS), maximum=10**MAX_INTEGER_DIGITS)
        return value if number is None else number
    return value


def _number_text(text: str) -> Any:
    """ "12,5" or "12.5" as the number 12.5 (the JSON form's type); other text is left for the
    validator to refuse with its own message."""
    number = parse_value(text)
    if number is None:
        return text.strip()
    return int(number) if number == number.to_integral_value() else float(number)


def _list_cell(value: Any, separator: str) -> list[str]:
    return [part.strip() for part in _text(value).split(separator) if part.strip()]


def xlsx_to_data(content: bytes) -> dict[str, Any]:
    """Read a workbook written by :func:`plan_to_xlsx` (or edited by hand) back into a dict."""
    from openpyxl import load_workbook

    try:
        # Refuse zip bombs before openpyxl unpacks anything.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise PlanImportError(_("filen är inte en läsbar xlsx-arbetsbok")) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise PlanImportError(_("arbetsboken är för stor uppackad (högst 50 MB)"))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        return _workbook_to_data(workbook)
    except PlanImportError:
        raise
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        SyntaxError,  # xml.etree.ElementTree.ParseError: a damaged sheet
    ) as exc:
        raise PlanImportError(_("filen är inte en läsbar xlsx-arbetsbok")) from exc


def _workbook_to_data(workbook: Any) -> dict[str, Any]:
    """The plan dict read from the workbook's sheets, sheet by sheet."""
    data = _plan_sheet(workbook)
    data["goals"] = _goal_sheets(workbook)
    data["indicators"] = _indicator_sheet(workbook)
    return data


def _plan_sheet(workbook: Any) -> dict[str, Any]:
    """The plan's own keys (sheet ``plan``: one key/value pair a row)."""
    plan_rows = {
        _text(row.get("key")).strip(): row.get("value")
        for _n, row in _rows(workbook, SHEET_PLAN, ("key", "value"))
    }
    county = plan_rows.get("county")
    if isinstance(county, int | float):
        county = f"{int(county):02d}"
    data: dict[str, Any] = {
        "format": _text(plan_rows.get("format")),
        "county": _text(county) if county is not None else None,
        "kind": _text(plan_rows.get("kind")),
        "title": _text(plan_rows.get("title")),
        "period": {
            "start": _int_cell(plan_rows.get("period.start"), "period.start"),
            "end": _int_cell(plan_rows.get("period.end"), "period.end"),
        },
    }
    for key in PLAN_TEXT_KEYS:
        data[key] = _text(plan_rows.get(key))
    for key in ("strategy", "diarienummer", "serial_number"):
        value = plan_rows.get(key)
        data[key] = _text(value) if value not in (None, "") else None
    return data


def _goal_sheets(workbook: Any) -> list[dict[str, Any]]:
    """Goals with their delmål (referring to goals by number) and activities (referring to
    delmål by goal number and 1-based position)."""
    goals: list[dict[str, Any]] = []
    by_number: dict[Any, dict[str, Any]] = {}
    for _n, row in _rows(workbook, SHEET_GOALS, GOAL_COLUMNS):
        goal = {
            "number": _int_cell(row.get("number"), "number"),
            "title": _text(row.get("title")),
            "description": _text(row.get("description")),
            "national_goals": [
                _int_cell(v, "national_goals") for v in _list_cell(row.get("national_goals"), ";")
            ],
            "sub_goals": [],
        }
        goals.append(goal)
        by_number.setdefault(goal["number"], goal)
    for line, row in _rows(workbook, SHEET_SUB_GOALS, SUB_GOAL_COLUMNS):
        parent = by_number.get(_int_cell(row.get("goal"), "goal"))
        if parent is None:
            raise PlanImportError(
                _("delmålet hör till ett mål som inte finns (%(goal)s)")
                % {"goal": _text(row.get("goal"))},
                field=f"{SHEET_SUB_GOALS}!rad {line}.goal",
            )
        parent["sub_goals"].append(
            {"code": _text(row.get("code")), "text": _text(row.get("text")), "activities": []}
        )
    for line, row in _rows(workbook, SHEET_ACTIVITIES, ACTIVITY_COLUMNS):
        parent = by_number.get(_int_cell(row.get("goal"), "goal"))
        position = _int_cell(row.get("position"), "position")
        if (
            parent is None
            or not isinstance(position, int)
            or not (1 <= position <= len(parent["sub_goals"]))
        ):
            raise PlanImportError(
                _("aktiviteten hör till ett delmål som inte finns (mål %(goal)s, nr %(pos)s)")
                % {"goal": _text(row.get("goal")), "pos": _text(row.get("position"))},
                field=f"{SHEET_ACTIVITIES}!rad {line}.position",
            )
        parent["sub_goals"][position - 1]["activities"].append(
            {
                "text": _text(row.get("text")),
                "responsible": _list_cell(row.get("responsible"), "\n"),
            }
        )
    return goals


def _indicator_sheet(workbook: Any) -> list[dict[str, Any]]:
    """Indicators; their delmål are written ``goal.position`` separated by semicolons."""
    indicators = []
    required = tuple(c for c in INDICATOR_COLUMNS if c != "targets")
    for line, row in _rows(workbook, SHEET_INDICATORS, required):
        refs = []
        for ref in _list_cell(row.get("sub_goals"), ";"):
            goal_part, _dot, position_part = ref.partition(".")
            if not (goal_part.isdigit() and position_part.isdigit()):
                raise PlanImportError(
                    _("delmål anges som mål.nummer, t.ex. 1.2 (fick %(ref)s)") % {"ref": ref},
                    field=f"{SHEET_INDICATORS}!rad {line}.sub_goals",
                )
            refs.append({"goal": int(goal_part), "position": int(position_part)})
        unit = row.get("unit")
        indicators.append(
            {
                "name": _text(row.get("name")),
                "kind": _text(row.get("kind")),
                "source": _text(row.get("source")),
                "unit": _text(unit) if unit not in (None, "") else None,
                "baseline": row.get("baseline"),
                **_targets_cell(row, f"{SHEET_INDICATORS}!rad {line}.targets"),
                "sub_goals": refs,
            }
        )
    return indicators


def _targets_cell(row: dict[str, Any], where: str) -> dict[str, Any]:
    """``{"targets": [...]}`` from the cell "2025: 30; 2026: 40"; a workbook written before
    targets per year gives its ``target`` and ``target_year`` columns as they are."""
    if "targets" not in row and OLD_INDICATOR_TARGET_COLUMNS[0] in row:
        old = {"target": row.get(OLD_INDICATOR_TARGET_COLUMNS[0])}
        old["target_year"] = _int_cell(row.get(OLD_INDICATOR_TARGET_COLUMNS[1]), "target_year")
        return old
    targets = []
    for part in _list_cell(row.get("targets"), ";"):
        year, colon, value = part.partition(":")
        if not colon:
            raise PlanImportError(
                _("målvärden anges som år: värde, t.ex. 2026: 40 (fick %(part)s)") % {"part": part},
                field=where,
            )
        targets.append({"year": _int_cell(year.strip(), "year"), "value": _number_text(value)})
    return {"targets": targets}
