"""Checking a parsed plan file field by field; refusals name the first bad field."""

import json
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.utils.translation import gettext as _

from actionplans.interchange.format import (
    FORMAT,
    PLAN_TEXT_KEYS,
    PlanImportError,
    PlanImportPreview,
)
from actionplans.models import (
    ActionPlan,
    Indicator,
    NationalGoal,
    NationalStrategy,
)
from actionplans.strategies import STRATEGY_2017_TITLE
from kvinnofrid.core.forms import has_control_characters
from kvinnofrid.directory.models import County, Organisation


class _Checker:
    """Walks the dict and raises on the first bad field, naming its path."""

    @staticmethod
    def fail(path: str, message: str) -> NoReturn:
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
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(path, _("innehåller ett ogiltigt tecken"))
        if has_control_characters(value):
            self.fail(path, _("innehåller otillåtna tecken (styrtecken)"))
        if required and not value.strip():
            self.fail(path, _("får inte vara tom"))
        if max_length is not None and len(value) > max_length:
            self.fail(path, _("får vara högst %(max)d tecken") % {"max": max_length})
        return value

    def optional_integer(self, value: Any, path: str, *, low: int, high: int) -> int | None:
        if value is None:
            return None
        return self.integer(value, path, low=low, high=high)

    def integer(self, value: Any, path: str, *, low: int, high: int) -> int:
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
        # Decimal() reads Arabic-Indic and fullwidth digits too: numbers are ASCII here
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, _("ska vara ett tal"))
        if isinstance(value, str) and not value.isascii():
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
        return str(value)


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


def find_organisation(county: County, name: str) -> Organisation | None:
    """The organisation named ``name`` (any case) in the county, else a national one."""
    return (
        Organisation.objects.filter(county=county, name__iexact=name).first()
        or Organisation.objects.filter(county__isnull=True, name__iexact=name).first()
    )


def _file_strategy(check: _Checker, data: dict[str, Any], start: int) -> NationalStrategy | None:
    """The frame the file names by title (``strategy``), or the one a file without it means."""
    title = data.get("strategy")
    if title is None:
        return _strategy_for(start)
    title = check.text(title, "strategy", max_length=300, required=True)
    strategy = NationalStrategy.objects.filter(name=title).first()
    if strategy is None:
        check.fail(
            "strategy",
            _("okänd nationell strategi %(value)s")
            % {"value": json.dumps(title, ensure_ascii=False)},
        )
    return strategy


def clean_plan_data(data: Any, county_code: str | None) -> tuple[dict[str, Any], County]:
    """Check every field and return the cleaned plan (Decimals, ints, texts) and its county.

    Raises PlanImportError naming the first bad field; the fields are checked in file order
    (plan, goals, indicators), so the first error is the one a reader meets first.
    """
    check = _Checker()
    data = check.obj(data, "filen")
    cleaned, county = _clean_plan_fields(check, data, county_code)
    strategy = _file_strategy(check, data, cleaned["period_start"])
    national = (
        {g.number: g for g in NationalGoal.objects.filter(strategy=strategy)} if strategy else {}
    )
    goals = []
    numbers: set[int] = set()
    for g_index, raw_goal in enumerate(check.items(data.get("goals"), "goals")):
        goals.append(_clean_goal(check, raw_goal, f"goals[{g_index}]", national, numbers))
    cleaned["goals"] = goals
    sizes = {goal["number"]: len(goal["sub_goals"]) for goal in goals}
    cleaned["indicators"] = [
        _clean_indicator(check, raw, f"indicators[{i_index}]", sizes)
        for i_index, raw in enumerate(check.items(data.get("indicators"), "indicators"))
    ]
    for indicator in cleaned["indicators"]:  # an old file's target without a year
        indicator["targets"] = [
            (year or cleaned["period_end"], value) for year, value in indicator["targets"]
        ]
    cleaned["strategy"] = strategy
    return cleaned, county


def _clean_plan_fields(
    check: _Checker, data: dict[str, Any], county_code: str | None
) -> tuple[dict[str, Any], County]:
    """The plan's own fields: format, county, kind, title, period, texts, numbers."""
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
    return cleaned, county


def _clean_goal(
    check: _Checker,
    raw_goal: Any,
    path: str,
    national: dict[int, NationalGoal],
    numbers: set[int],
) -> dict[str, Any]:
    """One goal with its national goals (by number in the plan's strategy) and delmål;
    ``numbers`` holds the goal numbers seen so far (a repeated number is refused)."""
    raw_goal = check.obj(raw_goal, path)
    number = check.integer(raw_goal.get("number"), f"{path}.number", low=1, high=999)
    if number in numbers:
        check.fail(f"{path}.number", _("målnummer %(n)d finns redan") % {"n": number})
    numbers.add(number)
    goal: dict[str, Any] = {
        "number": number,
        "title": check.text(raw_goal.get("title"), f"{path}.title", max_length=500, required=True),
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
    for s_index, raw_sub in enumerate(check.items(raw_goal.get("sub_goals"), f"{path}.sub_goals")):
        goal["sub_goals"].append(_clean_sub_goal(check, raw_sub, f"{path}.sub_goals[{s_index}]"))
    return goal


def _clean_sub_goal(check: _Checker, raw_sub: Any, s_path: str) -> dict[str, Any]:
    """One delmål with its activities (each with its responsible organisations' names)."""
    raw_sub = check.obj(raw_sub, s_path)
    sub_goal: dict[str, Any] = {
        "code": check.text(raw_sub.get("code"), f"{s_path}.code", max_length=30),
        "text": check.text(raw_sub.get("text"), f"{s_path}.text", required=True),
        "activities": [],
    }
    for a_index, raw_activity in enumerate(
        check.items(raw_sub.get("activities"), f"{s_path}.activities")
    ):
        a_path = f"{s_path}.activities[{a_index}]"
        raw_activity = check.obj(raw_activity, a_path)
        responsible: list[str] = []
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
                "text": check.text(raw_activity.get("text"), f"{a_path}.text", required=True),
                "responsible": responsible,
            }
        )
    return sub_goal


def _clean_indicator(check: _Checker, raw: Any, path: str, sizes: dict[int, int]) -> dict[str, Any]:
    """One indicator; ``sizes`` maps goal number → number of delmål, to check its references."""
    raw = check.obj(raw, path)
    indicator: dict[str, Any] = {
        "name": check.text(raw.get("name"), f"{path}.name", max_length=300, required=True),
        "kind": check.choice(raw.get("kind"), f"{path}.kind", list(Indicator.Kind.values)),
        "source": check.text(raw.get("source"), f"{path}.source", max_length=300),
        "unit": check.text(raw.get("unit"), f"{path}.unit", max_length=50),
        "baseline": check.decimal(raw.get("baseline"), f"{path}.baseline"),
        "targets": _clean_targets(check, raw, path),
        "sub_goals": [],
    }
    for r_index, ref in enumerate(check.items(raw.get("sub_goals"), f"{path}.sub_goals")):
        key = _clean_sub_goal_ref(check, ref, f"{path}.sub_goals[{r_index}]", sizes)
        if key not in indicator["sub_goals"]:
            indicator["sub_goals"].append(key)
    return indicator


def _clean_targets(check: _Checker, raw: dict[str, Any], path: str) -> list[tuple[int, Decimal]]:
    """An indicator's ``targets`` as (year, value) pairs in year order, one per year. A file
    written before targets per year has ``target`` and ``target_year`` instead: one target (in
    the year given, else the plan's last year, which the caller fills in for ``None``)."""
    if "targets" not in raw:
        value = check.decimal(raw.get("target"), f"{path}.target")
        year = check.optional_integer(
            raw.get("target_year"), f"{path}.target_year", low=1900, high=2200
        )
        return [] if value is None else [(year or 0, value)]
    targets: dict[int, Decimal] = {}
    for t_index, item in enumerate(check.items(raw.get("targets"), f"{path}.targets")):
        t_path = f"{path}.targets[{t_index}]"
        item = check.obj(item, t_path)
        year = check.integer(item.get("year"), f"{t_path}.year", low=1900, high=2200)
        if year in targets:
            check.fail(f"{t_path}.year", _("år %(year)d har redan ett målvärde") % {"year": year})
        value = check.decimal(item.get("value"), f"{t_path}.value")
        if value is None:
            check.fail(f"{t_path}.value", _("får inte vara tom"))
        targets[year] = value
    return sorted(targets.items())


def _clean_sub_goal_ref(
    check: _Checker, ref: Any, r_path: str, sizes: dict[int, int]
) -> tuple[int, int]:
    """An indicator's reference to a delmål: ``(goal number, 1-based position)``."""
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
    return (goal_number, position)


def _new_organisation_names(cleaned: dict[str, Any], county: County) -> list[str]:
    names: dict[str, str] = {}
    for goal in cleaned["goals"]:
        for sub_goal in goal["sub_goals"]:
            for activity in sub_goal["activities"]:
                for name in activity["responsible"]:
                    names.setdefault(name.lower(), name)
    return [name for name in names.values() if find_organisation(county, name) is None]


def validate_plan_data(
    data: dict[str, Any], *, county_code: str | None = None
) -> PlanImportPreview:
    """Check a parsed plan file and describe what importing it would create.

    ``county_code`` overrides the file's county (the browser import always imports into the
    coordinator's own county). Raises PlanImportError naming the first bad field. Writes nothing.
    """
    cleaned, county = clean_plan_data(data, county_code)
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
