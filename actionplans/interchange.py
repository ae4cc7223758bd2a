"""The plan interchange format ``kvinnofrid-plan/1`` (DESIGN §9): export, parse, check, import.

JSON is the canonical form; the XLSX workbook carries the same keys as column headers, one sheet
per level (plan, goals, delmål, activities, indicators). Delmål codes are free text and may be
empty or repeated, so indicators refer to delmål by goal number and 1-based position.

Stable API (the browser upload view and the management commands both use it):
``plan_export``, ``plan_to_xlsx``, ``xlsx_to_data``, ``parse_plan_file``, ``validate_plan_data``
and ``plan_import``. Refusals raise :class:`PlanImportError` with a Swedish message that names
the first bad field, e.g. ``goals[2].national_goals[0]: okänd nationell målsättning 7``.
"""

import io
import json
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from actionplans.exceptions import PlanError
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)
from actionplans.strategies import STRATEGY_2017_TITLE
from agreements import permissions
from kvinnofrid.core.audit import audit_log
from kvinnofrid.directory.models import County, Organisation, OrganisationKind

FORMAT = "kvinnofrid-plan/1"

PLAN_TEXT_KEYS = ("vision", "purpose", "target_groups", "perspectives", "areas")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class PlanImportError(PlanError, ValueError):
    """A plan file was refused; ``field`` is the path of the first bad field (or "")."""

    def __init__(self, message: str, *, field: str = "") -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


@dataclass(frozen=True)
class PlanImportPreview:
    """What an import would create, shown before the user confirms."""

    county_code: str
    county_name: str
    kind: str
    title: str
    period_start: int
    period_end: int
    goals: int
    sub_goals: int
    activities: int
    indicators: int
    new_organisations: list[str] = field(default_factory=list)

    def as_lines(self) -> list[str]:
        lines = [
            _("Plan: %(title)s (%(start)s–%(end)s), %(county)s")
            % {
                "title": self.title,
                "start": self.period_start,
                "end": self.period_end,
                "county": self.county_name,
            },
            _(
                "%(goals)d mål, %(sub_goals)d delmål, %(activities)d aktiviteter, "
                "%(indicators)d indikatorer"
            )
            % {
                "goals": self.goals,
                "sub_goals": self.sub_goals,
                "activities": self.activities,
                "indicators": self.indicators,
            },
        ]
        if self.new_organisations:
            lines.append(
                _("Nya organisationer som skapas i länet (typ Annan): %(names)s")
                % {"names": ", ".join(self.new_organisations)}
            )
        return lines


# --- export ----------------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def plan_export(*, plan: ActionPlan) -> dict[str, Any]:
    """The plan as a ``kvinnofrid-plan/1`` dict (JSON-serialisable). A fixed number of queries."""
    goals = list(
        Goal.objects.filter(plan=plan)
        .order_by("order", "number", "id")
        .prefetch_related(
            Prefetch("national_goals", queryset=NationalGoal.objects.order_by("number")),
            Prefetch(
                "sub_goals",
                queryset=SubGoal.objects.order_by("order", "id").prefetch_related(
                    Prefetch(
                        "activities",
                        queryset=PlannedActivity.objects.order_by("order", "id").prefetch_related(
                            "responsible"
                        ),
                    )
                ),
            ),
        )
    )
    positions: dict[int, dict[str, int]] = {}
    goal_rows = []
    for goal in goals:
        sub_goal_rows = []
        for position, sub_goal in enumerate(goal.sub_goals.all(), 1):
            positions[sub_goal.pk] = {"goal": goal.number, "position": position}
            sub_goal_rows.append(
                {
                    "code": sub_goal.code,
                    "text": sub_goal.text,
                    "activities": [
                        {
                            "text": activity.text,
                            "responsible": sorted(o.name for o in activity.responsible.all()),
                        }
                        for activity in sub_goal.activities.all()
                    ],
                }
            )
        goal_rows.append(
            {
                "number": goal.number,
                "title": goal.title,
                "description": goal.description,
                "national_goals": [n.number for n in goal.national_goals.all()],
                "sub_goals": sub_goal_rows,
            }
        )
    indicators = (
        Indicator.objects.filter(plan=plan).order_by("order", "id").prefetch_related("sub_goals")
    )
    indicator_rows = [
        {
            "name": indicator.name,
            "kind": indicator.kind,
            "source": indicator.source,
            "unit": indicator.unit or None,
            "baseline": _number(indicator.baseline),
            "target": _number(indicator.target),
            "target_year": indicator.target_year,
            "sub_goals": sorted(
                (positions[sg.pk] for sg in indicator.sub_goals.all() if sg.pk in positions),
                key=lambda ref: (ref["goal"], ref["position"]),
            ),
        }
        for indicator in indicators
    ]
    data: dict[str, Any] = {
        "format": FORMAT,
        "county": plan.county.code,
        "kind": plan.kind,
        "title": plan.title,
        "period": {"start": plan.period_start, "end": plan.period_end},
        # the plan's strategy frame, by title (issue 14); older files have no such key
        "strategy": plan.strategy.name if plan.strategy_id else None,
    }
    data.update({key: getattr(plan, key) for key in PLAN_TEXT_KEYS})
    data.update(
        {
            "diarienummer": plan.diarienummer or None,
            "serial_number": plan.serial_number or None,
            "goals": goal_rows,
            "indicators": indicator_rows,
        }
    )
    return data


def plan_to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- XLSX ------------------------------------------------------------------------------------

SHEET_PLAN = "plan"
SHEET_GOALS = "goals"
SHEET_SUB_GOALS = "sub_goals"
SHEET_ACTIVITIES = "activities"
SHEET_INDICATORS = "indicators"

PLAN_KEYS = (
    "format",
    "county",
    "kind",
    "title",
    "period.start",
    "period.end",
    "strategy",
    *PLAN_TEXT_KEYS,
    "diarienummer",
    "serial_number",
)
GOAL_COLUMNS = ("number", "title", "description", "national_goals")
SUB_GOAL_COLUMNS = ("goal", "position", "code", "text")
ACTIVITY_COLUMNS = ("goal", "position", "text", "responsible")
INDICATOR_COLUMNS = (
    "name",
    "kind",
    "source",
    "unit",
    "baseline",
    "target",
    "target_year",
    "sub_goals",
)
LIST_SEPARATOR = "; "


def _put(sheet: Any, row: list[Any]) -> None:
    sheet.append(row)
    # A text starting with "=" must stay text, never become a formula.
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


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
        _put(indicators, [indicator.get(c) for c in INDICATOR_COLUMNS[:-1]] + [refs])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(workbook: Any, name: str, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    if name not in workbook.sheetnames:
        raise PlanImportError(_("bladet saknas i arbetsboken"), field=name)
    rows = list(workbook[name].iter_rows(values_only=True))
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
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return value


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
        goal = by_number.get(_int_cell(row.get("goal"), "goal"))
        if goal is None:
            raise PlanImportError(
                _("delmålet hör till ett mål som inte finns (%(goal)s)")
                % {"goal": _text(row.get("goal"))},
                field=f"{SHEET_SUB_GOALS}!rad {line}.goal",
            )
        goal["sub_goals"].append(
            {"code": _text(row.get("code")), "text": _text(row.get("text")), "activities": []}
        )
    for line, row in _rows(workbook, SHEET_ACTIVITIES, ACTIVITY_COLUMNS):
        goal = by_number.get(_int_cell(row.get("goal"), "goal"))
        position = _int_cell(row.get("position"), "position")
        if (
            goal is None
            or not isinstance(position, int)
            or not (1 <= position <= len(goal["sub_goals"]))
        ):
            raise PlanImportError(
                _("aktiviteten hör till ett delmål som inte finns (mål %(goal)s, nr %(pos)s)")
                % {"goal": _text(row.get("goal")), "pos": _text(row.get("position"))},
                field=f"{SHEET_ACTIVITIES}!rad {line}.position",
            )
        goal["sub_goals"][position - 1]["activities"].append(
            {
                "text": _text(row.get("text")),
                "responsible": _list_cell(row.get("responsible"), "\n"),
            }
        )
    indicators = []
    for line, row in _rows(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS):
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
                "target": row.get("target"),
                "target_year": _int_cell(row.get("target_year"), "target_year"),
                "sub_goals": refs,
            }
        )
    data["goals"] = goals
    data["indicators"] = indicators
    return data


def parse_plan_file(*, content: bytes, filename: str) -> dict[str, Any]:
    """Read an uploaded JSON or XLSX file (by extension, else by content) into a dict."""
    if len(content) > MAX_FILE_BYTES:
        raise PlanImportError(_("filen är för stor (högst 5 MB)"))
    name = filename.lower()
    is_zip = content[:4] == b"PK\x03\x04"
    if name.endswith(".xlsx") or (is_zip and not name.endswith(".json")):
        return xlsx_to_data(content)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PlanImportError(_("filen är inte UTF-8-kodad JSON")) from exc
    except RecursionError as exc:
        raise PlanImportError(_("JSON-filen är för djupt nästlad")) from exc
    except json.JSONDecodeError as exc:
        raise PlanImportError(
            _("ogiltig JSON på rad %(line)d, kolumn %(col)d: %(msg)s")
            % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
        ) from exc
    if not isinstance(data, dict):
        raise PlanImportError(_("filen ska innehålla ett JSON-objekt"))
    return data


# --- validation ------------------------------------------------------------------------------


class _Checker:
    """Walks the dict and raises on the first bad field, naming its path."""

    @staticmethod
    def fail(path: str, message: str) -> None:
        raise PlanImportError(message, field=path)

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, _("ska vara ett objekt"))
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, _("ska vara en lista"))
        return value

    def text(
        self, value: Any, path: str, *, max_length: int | None = None, required: bool = False
    ) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.fail(path, _("ska vara en text"))
        if "\x00" in value:
            self.fail(path, _("innehåller ett otillåtet tecken (NUL)"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(path, _("innehåller ett ogiltigt tecken"))
        if required and not value.strip():
            self.fail(path, _("får inte vara tom"))
        if max_length is not None and len(value) > max_length:
            self.fail(path, _("får vara högst %(max)d tecken") % {"max": max_length})
        return value

    def integer(
        self, value: Any, path: str, *, low: int, high: int, required: bool = True
    ) -> int | None:
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, _("ska vara ett heltal"))
        if not low <= value <= high:
            self.fail(
                path,
                _("ska ligga mellan %(low)d och %(high)d") % {"low": low, "high": high},
            )
        return value

    def decimal(self, value: Any, path: str) -> Decimal | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, _("ska vara ett tal"))
        try:
            number = Decimal(str(value).replace(",", ".").strip())
        except InvalidOperation:
            self.fail(path, _("ska vara ett tal"))
        if not number.is_finite() or abs(number) >= Decimal("1e12"):
            self.fail(path, _("ska vara ett rimligt tal"))
        return number.quantize(Decimal("0.01"))

    def choice(self, value: Any, path: str, choices: list[str]) -> str:
        if value not in choices:
            self.fail(
                path,
                _("okänt värde %(value)s (tillåtna: %(choices)s)")
                % {"value": json.dumps(value, ensure_ascii=False), "choices": ", ".join(choices)},
            )
        return value


def _strategy_for(start: int) -> NationalStrategy | None:
    """The frame of a file that names none. Such files predate frames in the format, so their
    goal numbers are the strategy 2017–2026's; without that frame, the earliest-starting frame
    covering ``start``, else the newest frame."""
    strategies = list(NationalStrategy.objects.order_by("valid_from", "id"))
    for strategy in strategies:
        if strategy.name == STRATEGY_2017_TITLE:
            return strategy
    for strategy in strategies:
        if strategy.valid_from.year <= start <= strategy.valid_until.year:
            return strategy
    return strategies[-1] if strategies else None


def _find_organisation(county: County, name: str) -> Organisation | None:
    return (
        Organisation.objects.filter(county=county, name__iexact=name).first()
        or Organisation.objects.filter(county__isnull=True, name__iexact=name).first()
    )


def _clean(data: Any, county_code: str | None) -> tuple[dict[str, Any], County]:
    """Check every field and return the cleaned plan (Decimals, ints, texts) and its county."""
    check = _Checker()
    data = check.obj(data, "filen")
    if data.get("format") != FORMAT:
        check.fail(
            "format",
            _("okänt format %(value)s (väntade %(expected)s)")
            % {
                "value": json.dumps(data.get("format"), ensure_ascii=False),
                "expected": json.dumps(FORMAT),
            },
        )
    code = county_code or data.get("county")
    if not isinstance(code, str) or not (county := County.objects.filter(code=code).first()):
        check.fail(
            "county",
            _("okänd länskod %(value)s") % {"value": json.dumps(code, ensure_ascii=False)},
        )
    kind = check.choice(data.get("kind"), "kind", list(ActionPlan.Kind.values))
    title = check.text(data.get("title"), "title", max_length=300, required=True)
    period = check.obj(data.get("period"), "period")
    start = check.integer(period.get("start"), "period.start", low=1900, high=2200)
    end = check.integer(period.get("end"), "period.end", low=1900, high=2200)
    if end < start:
        check.fail("period.end", _("planperioden kan inte sluta före den börjar"))
    cleaned: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "period_start": start,
        "period_end": end,
    }
    for key in PLAN_TEXT_KEYS:
        cleaned[key] = check.text(data.get(key), key)
    cleaned["diarienummer"] = check.text(data.get("diarienummer"), "diarienummer", max_length=50)
    cleaned["serial_number"] = check.text(data.get("serial_number"), "serial_number", max_length=50)

    strategy_title = data.get("strategy")
    if strategy_title is None:
        strategy = _strategy_for(start)
    else:
        strategy_title = check.text(strategy_title, "strategy", max_length=300, required=True)
        strategy = NationalStrategy.objects.filter(name=strategy_title).first()
        if strategy is None:
            check.fail(
                "strategy",
                _("okänd nationell strategi %(value)s")
                % {"value": json.dumps(strategy_title, ensure_ascii=False)},
            )
    national = (
        {g.number: g for g in NationalGoal.objects.filter(strategy=strategy)} if strategy else {}
    )
    goals = []
    numbers: set[int] = set()
    for g_index, raw_goal in enumerate(check.items(data.get("goals"), "goals")):
        path = f"goals[{g_index}]"
        raw_goal = check.obj(raw_goal, path)
        number = check.integer(raw_goal.get("number"), f"{path}.number", low=1, high=999)
        if number in numbers:
            check.fail(f"{path}.number", _("målnummer %(n)d finns redan") % {"n": number})
        numbers.add(number)
        goal = {
            "number": number,
            "title": check.text(
                raw_goal.get("title"), f"{path}.title", max_length=500, required=True
            ),
            "description": check.text(raw_goal.get("description"), f"{path}.description"),
            "national_goals": [],
            "sub_goals": [],
        }
        for n_index, value in enumerate(
            check.items(raw_goal.get("national_goals"), f"{path}.national_goals")
        ):
            n_path = f"{path}.national_goals[{n_index}]"
            if isinstance(value, bool) or not isinstance(value, int) or value not in national:
                check.fail(
                    n_path,
                    _("okänd nationell målsättning %(value)s")
                    % {"value": json.dumps(value, ensure_ascii=False)},
                )
            if national[value] not in goal["national_goals"]:
                goal["national_goals"].append(national[value])
        for s_index, raw_sub in enumerate(
            check.items(raw_goal.get("sub_goals"), f"{path}.sub_goals")
        ):
            s_path = f"{path}.sub_goals[{s_index}]"
            raw_sub = check.obj(raw_sub, s_path)
            sub_goal = {
                "code": check.text(raw_sub.get("code"), f"{s_path}.code", max_length=30),
                "text": check.text(raw_sub.get("text"), f"{s_path}.text", required=True),
                "activities": [],
            }
            for a_index, raw_activity in enumerate(
                check.items(raw_sub.get("activities"), f"{s_path}.activities")
            ):
                a_path = f"{s_path}.activities[{a_index}]"
                raw_activity = check.obj(raw_activity, a_path)
                responsible = []
                for r_index, name in enumerate(
                    check.items(raw_activity.get("responsible"), f"{a_path}.responsible")
                ):
                    name = check.text(
                        name, f"{a_path}.responsible[{r_index}]", max_length=200, required=True
                    ).strip()
                    if name.lower() not in {r.lower() for r in responsible}:
                        responsible.append(name)
                sub_goal["activities"].append(
                    {
                        "text": check.text(
                            raw_activity.get("text"), f"{a_path}.text", required=True
                        ),
                        "responsible": responsible,
                    }
                )
            goal["sub_goals"].append(sub_goal)
        goals.append(goal)
    cleaned["goals"] = goals

    sizes = {goal["number"]: len(goal["sub_goals"]) for goal in goals}
    indicators = []
    for i_index, raw in enumerate(check.items(data.get("indicators"), "indicators")):
        path = f"indicators[{i_index}]"
        raw = check.obj(raw, path)
        indicator = {
            "name": check.text(raw.get("name"), f"{path}.name", max_length=300, required=True),
            "kind": check.choice(raw.get("kind"), f"{path}.kind", list(Indicator.Kind.values)),
            "source": check.text(raw.get("source"), f"{path}.source", max_length=300),
            "unit": check.text(raw.get("unit"), f"{path}.unit", max_length=50),
            "baseline": check.decimal(raw.get("baseline"), f"{path}.baseline"),
            "target": check.decimal(raw.get("target"), f"{path}.target"),
            "target_year": check.integer(
                raw.get("target_year"), f"{path}.target_year", low=1900, high=2200, required=False
            ),
            "sub_goals": [],
        }
        for r_index, ref in enumerate(check.items(raw.get("sub_goals"), f"{path}.sub_goals")):
            r_path = f"{path}.sub_goals[{r_index}]"
            ref = check.obj(ref, r_path)
            goal_number = ref.get("goal")
            if (
                isinstance(goal_number, bool)
                or not isinstance(goal_number, int)
                or goal_number not in sizes
            ):
                check.fail(
                    f"{r_path}.goal",
                    _("det finns inget mål med nummer %(value)s")
                    % {"value": json.dumps(goal_number, ensure_ascii=False)},
                )
            position = ref.get("position")
            if (
                isinstance(position, bool)
                or not isinstance(position, int)
                or not 1 <= position <= sizes[goal_number]
            ):
                check.fail(
                    f"{r_path}.position",
                    _("mål %(goal)d har inget delmål nummer %(value)s")
                    % {"goal": goal_number, "value": json.dumps(position, ensure_ascii=False)},
                )
            if (goal_number, position) not in indicator["sub_goals"]:
                indicator["sub_goals"].append((goal_number, position))
        indicators.append(indicator)
    cleaned["indicators"] = indicators
    cleaned["strategy"] = strategy
    return cleaned, county


def _new_organisation_names(cleaned: dict[str, Any], county: County) -> list[str]:
    names: dict[str, str] = {}
    for goal in cleaned["goals"]:
        for sub_goal in goal["sub_goals"]:
            for activity in sub_goal["activities"]:
                for name in activity["responsible"]:
                    names.setdefault(name.lower(), name)
    return [name for name in names.values() if _find_organisation(county, name) is None]


def validate_plan_data(
    data: dict[str, Any], *, county_code: str | None = None
) -> PlanImportPreview:
    """Check a parsed plan file and describe what importing it would create.

    ``county_code`` overrides the file's county (the browser import always imports into the
    coordinator's own county). Raises PlanImportError naming the first bad field. Writes nothing.
    """
    cleaned, county = _clean(data, county_code)
    return PlanImportPreview(
        county_code=county.code,
        county_name=county.name,
        kind=cleaned["kind"],
        title=cleaned["title"],
        period_start=cleaned["period_start"],
        period_end=cleaned["period_end"],
        goals=len(cleaned["goals"]),
        sub_goals=sum(len(g["sub_goals"]) for g in cleaned["goals"]),
        activities=sum(len(s["activities"]) for g in cleaned["goals"] for s in g["sub_goals"]),
        indicators=len(cleaned["indicators"]),
        new_organisations=_new_organisation_names(cleaned, county),
    )


# --- import ----------------------------------------------------------------------------------


@transaction.atomic
def plan_import(
    *,
    data: dict[str, Any],
    actor: Any,
    county_code: str | None = None,
    skip_permission_checks: bool = False,
) -> ActionPlan:
    """Create a new DRAFT plan (version 1) from a ``kvinnofrid-plan/1`` dict.

    Responsible organisations are matched by name in the county (then national ones); unknown
    names are created in the county with kind "annan". Raises PlanImportError for a bad file
    and PermissionDenied unless the actor coordinates the county (management commands pass
    ``skip_permission_checks=True``). All or nothing; one audit entry for the plan.
    """
    cleaned, county = _clean(data, county_code)
    if not skip_permission_checks and not permissions.can_edit_county(actor, county.pk):
        raise PermissionDenied

    organisations: dict[str, Organisation] = {}
    created_organisations: list[str] = []

    def organisation(name: str) -> Organisation:
        key = name.lower()
        if key not in organisations:
            found = _find_organisation(county, name)
            if found is None:
                found = Organisation.objects.create(
                    county=county, name=name, kind=OrganisationKind.ANNAN
                )
                created_organisations.append(name)
            organisations[key] = found
        return organisations[key]

    plan = ActionPlan.objects.create(
        county=county,
        strategy=cleaned["strategy"],
        status=ActionPlan.Status.DRAFT,
        version=1,
        **{
            key: cleaned[key]
            for key in (
                "kind",
                "title",
                "period_start",
                "period_end",
                *PLAN_TEXT_KEYS,
                "diarienummer",
                "serial_number",
            )
        },
    )
    positions: dict[tuple[int, int], SubGoal] = {}
    for goal_order, goal_data in enumerate(cleaned["goals"], 1):
        goal = Goal.objects.create(
            plan=plan,
            number=goal_data["number"],
            title=goal_data["title"],
            description=goal_data["description"],
            order=goal_order,
        )
        goal.national_goals.set(goal_data["national_goals"])
        for position, sub_data in enumerate(goal_data["sub_goals"], 1):
            sub_goal = SubGoal.objects.create(
                goal=goal, code=sub_data["code"], text=sub_data["text"], order=position
            )
            positions[(goal_data["number"], position)] = sub_goal
            for activity_order, activity_data in enumerate(sub_data["activities"], 1):
                activity = PlannedActivity.objects.create(
                    sub_goal=sub_goal, text=activity_data["text"], order=activity_order
                )
                activity.responsible.set(
                    [organisation(name) for name in activity_data["responsible"]]
                )
    for order, indicator_data in enumerate(cleaned["indicators"], 1):
        refs = indicator_data.pop("sub_goals")
        indicator = Indicator.objects.create(plan=plan, order=order, **indicator_data)
        indicator.sub_goals.set([positions[ref] for ref in refs])

    audit_log(
        actor=actor,
        action="actionplans.plan_import",
        target=plan,
        changes={"created_organisations": [None, created_organisations]}
        if created_organisations
        else {},
        message=_("Planen importerades från fil (%(goals)d mål).")
        % {"goals": len(cleaned["goals"])},
        county_id=county.pk,
    )
    return plan


def current_plan(*, county_code: str) -> ActionPlan | None:
    """The county's current plan: the newest adopted one, else the newest draft."""
    plans = ActionPlan.objects.filter(county__code=county_code)
    return (
        plans.filter(status=ActionPlan.Status.ADOPTED)
        .order_by("-period_start", "-version", "-id")
        .first()
        or plans.filter(status=ActionPlan.Status.DRAFT).order_by("-id").first()
    )
