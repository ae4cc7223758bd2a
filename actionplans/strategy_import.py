"""The ``kvinnofrid-strategy/1`` import (issue 14, DESIGN §9): parse and check a strategy file,
then create the frame, its goals, sub-goals and crosswalk in one transaction.

Parsing is defensive: the file's size is capped, NaN/Infinity are refused, every text refuses
control characters, integers are range-checked (so a 400-digit number is a message, not a
crash), and the first bad field is named in the message. Nothing is written unless all is well.
"""

import datetime
import json
import re
import unicodedata
from typing import Any, NoReturn

from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.exceptions import PlanError
from actionplans.models import GoalCrosswalk, NationalGoal, NationalStrategy
from actionplans.strategies import audit_strategy, require_edit, set_sub_goals

STRATEGY_FORMAT = "kvinnofrid-strategy/1"
MAX_FILE_BYTES = 1024 * 1024
MAX_GOALS = 100
MAX_SUB_GOALS = 100
MAX_CROSSWALK_ROWS = 1000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class StrategyImportError(PlanError):
    """A strategy file was refused; ``field`` names the first bad field (e.g. ``goals[2].title``)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


class _Check:
    """Field checks for a strategy file; each failure names the field."""

    def fail(self, field: str, message: str) -> NoReturn:
        raise StrategyImportError(message, field=field)

    def obj(self, value: Any, field: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(field, _("ska vara ett objekt"))
        return value

    def items(self, value: Any, field: str, *, required: bool, limit: int) -> list[Any]:
        if value is None and not required:
            return []
        if not isinstance(value, list):
            self.fail(field, _("ska vara en lista"))
        if required and not value:
            self.fail(field, _("får inte vara tom"))
        if len(value) > limit:
            self.fail(field, _("får ha högst %(max)d rader") % {"max": limit})
        return value

    def text(self, value: Any, field: str, *, max_length: int, required: bool = True) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            self.fail(field, _("ska vara en text"))
        if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") for ch in value):
            self.fail(field, _("innehåller ett otillåtet tecken"))
        text = value.strip()
        if required and not text:
            self.fail(field, _("får inte vara tom"))
        if len(text) > max_length:
            self.fail(field, _("får vara högst %(max)d tecken") % {"max": max_length})
        return text

    def integer(self, value: Any, field: str, *, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, _("ska vara ett heltal"))
        if not low <= value <= high:
            self.fail(field, _("ska vara mellan %(low)d och %(high)d") % {"low": low, "high": high})
        return value

    def date(self, value: Any, field: str) -> datetime.date:
        if not isinstance(value, str) or not ISO_DATE.match(value):
            self.fail(field, _("ska vara ett datum i formen ÅÅÅÅ-MM-DD"))
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(field, _("är inte ett giltigt datum"))
        if not 1900 <= day.year <= 2200:
            self.fail(field, _("ska ligga mellan år 1900 och 2200"))
        return day


def _clean_goals(check: _Check, raw_goals: Any) -> list[dict[str, Any]]:
    """The file's numbered goals (unique numbers), each with its optional sub-goals."""
    goals: list[dict[str, Any]] = []
    numbers: set[int] = set()
    for index, raw in enumerate(check.items(raw_goals, "goals", required=True, limit=MAX_GOALS)):
        path = f"goals[{index}]"
        raw = check.obj(raw, path)
        number = check.integer(raw.get("number"), f"{path}.number", low=1, high=999)
        if number in numbers:
            check.fail(f"{path}.number", _("nummer %(n)d finns redan") % {"n": number})
        numbers.add(number)
        goal_title = check.text(raw.get("title"), f"{path}.title", max_length=300)
        short = check.text(
            raw.get("short_title"), f"{path}.short_title", max_length=100, required=False
        )
        raw_subs = check.items(
            raw.get("sub_goals"), f"{path}.sub_goals", required=False, limit=MAX_SUB_GOALS
        )
        goals.append(
            {
                "number": number,
                "title": goal_title,
                "short_title": short or goal_title[:100],
                "sub_goals": [
                    check.text(sub, f"{path}.sub_goals[{s_index}]", max_length=500)
                    for s_index, sub in enumerate(raw_subs)
                ],
            }
        )
    return goals


def _crosswalk_source(
    check: _Check, raw: dict[str, Any], path: str, frames: dict[str, NationalStrategy | None]
) -> NationalGoal:
    """The already loaded frame's goal a crosswalk row starts from."""
    frame_title = check.text(raw.get("from_strategy"), f"{path}.from_strategy", max_length=300)
    if frame_title not in frames:
        frames[frame_title] = NationalStrategy.objects.filter(name=frame_title).first()
    if frames[frame_title] is None:
        check.fail(
            f"{path}.from_strategy",
            _("okänd nationell ram %(value)s")
            % {"value": json.dumps(frame_title, ensure_ascii=False)},
        )
    from_number = check.integer(raw.get("from_goal"), f"{path}.from_goal", low=1, high=999)
    from_goal = NationalGoal.objects.filter(
        strategy=frames[frame_title], number=from_number
    ).first()
    if from_goal is None:
        check.fail(
            f"{path}.from_goal", _("ramen har ingen målsättning nummer %(n)d") % {"n": from_number}
        )
    return from_goal


def _clean_crosswalk(
    check: _Check, raw_rows: Any, numbers: set[int]
) -> list[tuple[NationalGoal, int]]:
    """(earlier frame's goal, this file's goal number) pairs, each once."""
    crosswalk: list[tuple[NationalGoal, int]] = []
    frames: dict[str, NationalStrategy | None] = {}
    rows = check.items(raw_rows, "crosswalk", required=False, limit=MAX_CROSSWALK_ROWS)
    for index, raw in enumerate(rows):
        path = f"crosswalk[{index}]"
        from_goal = _crosswalk_source(check, check.obj(raw, path), path, frames)
        targets = check.items(
            raw.get("to_goals"), f"{path}.to_goals", required=True, limit=MAX_GOALS
        )
        for t_index, value in enumerate(targets):
            t_path = f"{path}.to_goals[{t_index}]"
            to_number = check.integer(value, t_path, low=1, high=999)
            if to_number not in numbers:
                check.fail(t_path, _("filen har ingen målsättning nummer %(n)d") % {"n": to_number})
            if (from_goal, to_number) not in crosswalk:
                crosswalk.append((from_goal, to_number))
    return crosswalk


def validate_strategy_data(data: Any) -> dict[str, Any]:
    """Check a parsed ``kvinnofrid-strategy/1`` dict; return the cleaned frame. Writes nothing.

    Raises StrategyImportError naming the first bad field.
    """
    check = _Check()
    data = check.obj(data, "filen")
    if data.get("format") != STRATEGY_FORMAT:
        check.fail(
            "format",
            _("okänt format %(value)s (väntade %(expected)s)")
            % {
                "value": json.dumps(data.get("format"), ensure_ascii=False)[:60],
                "expected": json.dumps(STRATEGY_FORMAT),
            },
        )
    title = check.text(data.get("title"), "title", max_length=300)
    if NationalStrategy.objects.filter(name__iexact=title).exists():
        check.fail("title", _("det finns redan en nationell ram med den titeln"))
    valid_from = check.date(data.get("valid_from"), "valid_from")
    valid_to = check.date(data.get("valid_to"), "valid_to")
    if valid_to < valid_from:
        check.fail("valid_to", _("perioden kan inte sluta före den börjar"))
    goals = _clean_goals(check, data.get("goals"))
    numbers = {goal["number"] for goal in goals}
    return {
        "name": title,
        "valid_from": valid_from,
        "valid_until": valid_to,
        "goals": goals,
        "crosswalk": _clean_crosswalk(check, data.get("crosswalk"), numbers),
    }


def parse_strategy_file(content: bytes) -> Any:
    """Decode a strategy file's bytes as JSON; raise StrategyImportError for anything else."""
    if len(content) > MAX_FILE_BYTES:
        raise StrategyImportError(_("filen är för stor (högst 1 MB)"), field="filen")

    def refuse_constant(name: str) -> Any:
        raise ValueError(name)

    try:
        return json.loads(content.decode("utf-8"), parse_constant=refuse_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise StrategyImportError(_("filen är inte giltig JSON i UTF-8"), field="filen") from exc


@transaction.atomic
def strategy_import(
    *, data: Any, actor: Any = None, skip_permission_checks: bool = False
) -> NationalStrategy:
    """Create a frame, its goals, sub-goals and crosswalk from a ``kvinnofrid-strategy/1`` dict.

    All or nothing: a bad file raises StrategyImportError (first bad field) and writes nothing.
    Management commands pass ``skip_permission_checks=True``; otherwise national admins only.
    """
    if not skip_permission_checks:
        require_edit(actor)
    cleaned = validate_strategy_data(data)
    strategy = NationalStrategy.objects.create(
        name=cleaned["name"],
        valid_from=cleaned["valid_from"],
        valid_until=cleaned["valid_until"],
    )
    by_number: dict[int, NationalGoal] = {}
    for goal_data in cleaned["goals"]:
        goal = NationalGoal.objects.create(
            strategy=strategy,
            number=goal_data["number"],
            title=goal_data["title"],
            short_title=goal_data["short_title"],
        )
        set_sub_goals(goal, goal_data["sub_goals"])
        by_number[goal.number] = goal
    GoalCrosswalk.objects.bulk_create(
        GoalCrosswalk(from_goal=from_goal, to_goal=by_number[to_number])
        for from_goal, to_number in cleaned["crosswalk"]
    )
    audit_strategy(
        actor=actor,
        action="strategy_import",
        target=strategy,
        changes={
            "name": [None, strategy.name],
            "goals": [None, len(by_number)],
            "crosswalk": [None, len(cleaned["crosswalk"])],
        },
    )
    return strategy
