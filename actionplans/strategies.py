"""National strategy frames (issue 14): who may see and edit them, their services, the
``kvinnofrid-strategy/1`` import, the crosswalk between frames and the checks that keep a plan's
goals inside its own frame.

Writes follow the house pattern: lock → check → write → audit, in one transaction. Frames are
national data, so their audit entries carry no county.
"""

import datetime
import json
import re
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.exceptions import PlanError
from actionplans.models import (
    ActionPlan,
    GoalCrosswalk,
    NationalGoal,
    NationalStrategy,
    NationalSubGoal,
)
from kvinnofrid.core.audit import audit_log, model_changes
from kvinnofrid.directory.scopes import is_active_user

STRATEGY_FORMAT = "kvinnofrid-strategy/1"
STRATEGY_2017_TITLE = "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"
MAX_FILE_BYTES = 1024 * 1024
MAX_GOALS = 100
MAX_SUB_GOALS = 100
MAX_CROSSWALK_ROWS = 1000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STRATEGY_FIELDS = ("name", "valid_from", "valid_until")
GOAL_FIELDS = ("number", "title", "short_title")


class StrategyImportError(PlanError):
    """A strategy file was refused; ``field`` names the first bad field (e.g. ``goals[2].title``)."""

    def __init__(self, message: str, *, field: str = "") -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


# --- permissions -------------------------------------------------------------------------------


def can_view_strategies(user: Any) -> bool:
    """National observers and national admins read the frames' pages (DESIGN §5)."""
    return is_active_user(user) and bool(
        user.is_superuser or user.is_observer or user.is_national_admin
    )


def can_edit_strategies(user: Any) -> bool:
    """Only national admins (and superusers) create and edit frames, their goals and crosswalk."""
    return is_active_user(user) and bool(user.is_national_admin)


def _require_edit(actor: Any) -> None:
    if not can_edit_strategies(actor):
        raise PermissionDenied


# --- checks called by the plan services --------------------------------------------------------


def check_plan_links(plan: ActionPlan) -> None:
    """A plan's agreement must be its county's, and its goals may only point at national goals of
    its own frame (so changing the frame of a plan whose goals are mapped is refused).

    Raises PlanError with a Swedish message.
    """
    if plan.agreement_id and plan.agreement.county_id != plan.county_id:
        raise PlanError(_("Överenskommelsen måste höra till planens län."))
    if plan.pk:
        foreign = NationalGoal.objects.filter(goals__plan=plan)
        foreign = foreign.exclude(strategy_id=plan.strategy_id) if plan.strategy_id else foreign
        if foreign.exists():
            raise PlanError(
                _(
                    "Planens mål är kopplade till en annan nationell ram. Ta bort kopplingarna "
                    "i målen innan du byter ram."
                )
            )


def check_goal_national_goals(plan: ActionPlan, national_goals: Any) -> None:
    """Every national goal a plan goal maps to must belong to the plan's frame."""
    for national_goal in national_goals:
        if national_goal.strategy_id != plan.strategy_id:
            raise PlanError(
                _("Målet kan bara kopplas till målsättningar i planens nationella ram.")
            )


# --- selectors ---------------------------------------------------------------------------------


def strategy_list() -> list[NationalStrategy]:
    """Every frame, newest first, with its goals (two queries)."""
    return list(NationalStrategy.objects.order_by("-valid_from", "name").prefetch_related("goals"))


def strategy_with_goals(*, pk: int) -> NationalStrategy:
    """One frame with its goals, their sub-goals and both directions of the crosswalk."""
    return NationalStrategy.objects.prefetch_related(
        "goals__sub_goals",
        "goals__crosswalk_to__to_goal__strategy",
        "goals__crosswalk_from__from_goal__strategy",
    ).get(pk=pk)


def crosswalk_map(*, from_strategy: NationalStrategy, to_strategy: NationalStrategy) -> dict:
    """``{from goal number: [to goal numbers]}`` between two frames (one query). The national
    overview uses it to count a county's activities by national goal across a change of frame."""
    result: dict[int, list[int]] = {}
    rows = (
        GoalCrosswalk.objects.filter(
            from_goal__strategy=from_strategy, to_goal__strategy=to_strategy
        )
        .order_by("from_goal__number", "to_goal__number")
        .values_list("from_goal__number", "to_goal__number")
    )
    for from_number, to_number in rows:
        result.setdefault(from_number, []).append(to_number)
    return result


def strategy_for_year(year: int) -> NationalStrategy | None:
    """The frame a new plan starting in ``year`` most likely uses: the latest-starting frame
    whose period covers the year, else None."""
    return (
        NationalStrategy.objects.filter(valid_from__year__lte=year, valid_until__year__gte=year)
        .order_by("-valid_from", "id")
        .first()
    )


# --- frame services ----------------------------------------------------------------------------


def _audit(*, actor: Any, action: str, target: Any, changes: dict) -> None:
    audit_log(
        actor=actor,
        action=f"actionplans.{action}",
        target=target,
        changes=changes,
        message=str(target)[:500],
        county_id=None,
    )


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _check_period(valid_from: datetime.date, valid_until: datetime.date) -> None:
    if valid_until < valid_from:
        raise PlanError(_("Ramens period kan inte sluta före den börjar."))


def _check_unique_name(name: str, exclude_pk: int | None = None) -> None:
    clash = NationalStrategy.objects.filter(name__iexact=name.strip())
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise PlanError(_("Det finns redan en nationell ram med den titeln."))


@transaction.atomic
def strategy_create(*, data: dict[str, Any], actor: Any) -> NationalStrategy:
    """Create a frame (title, valid_from, valid_until). National admins only; the title is
    unique. Raises PermissionDenied or PlanError."""
    _require_edit(actor)
    _check_period(data["valid_from"], data["valid_until"])
    _check_unique_name(data["name"])
    strategy = NationalStrategy.objects.create(**{k: data[k] for k in STRATEGY_FIELDS})
    _audit(
        actor=actor,
        action="strategy_create",
        target=strategy,
        changes=model_changes({}, _snapshot(strategy, STRATEGY_FIELDS)),
    )
    return strategy


def _touch_goals(strategy: NationalStrategy) -> None:
    """Plan fragments show goal labels; a frame change must change their cache key."""
    from django.utils import timezone

    NationalGoal.objects.filter(strategy=strategy).update(updated_at=timezone.now())


@transaction.atomic
def strategy_update(*, strategy_id: int, data: dict[str, Any], actor: Any) -> NationalStrategy:
    """Change a frame's title or period. Raises PermissionDenied or PlanError."""
    _require_edit(actor)
    strategy = NationalStrategy.objects.select_for_update().get(pk=strategy_id)
    before = _snapshot(strategy, STRATEGY_FIELDS)
    _check_period(data["valid_from"], data["valid_until"])
    _check_unique_name(data["name"], exclude_pk=strategy.pk)
    for name in STRATEGY_FIELDS:
        setattr(strategy, name, data[name])
    strategy.save()
    _touch_goals(strategy)
    _audit(
        actor=actor,
        action="strategy_update",
        target=strategy,
        changes=model_changes(before, _snapshot(strategy, STRATEGY_FIELDS)),
    )
    return strategy


def _set_sub_goals(goal: NationalGoal, lines: list[str]) -> None:
    goal.sub_goals.all().delete()
    NationalSubGoal.objects.bulk_create(
        NationalSubGoal(goal=goal, title=line, order=index) for index, line in enumerate(lines, 1)
    )


def _check_crosswalk_targets(goal: NationalGoal, to_goals: Any) -> None:
    for target in to_goals:
        if target.strategy_id == goal.strategy_id:
            raise PlanError(_("En målsättning kan bara översättas till en annan rams mål."))


@transaction.atomic
def national_goal_create(*, strategy_id: int, data: dict[str, Any], actor: Any) -> NationalGoal:
    """Add a numbered goal to a frame, with its optional sub-goals (``sub_goals``: one text per
    line) and the later frames' goals it continues in (``continues_in``)."""
    _require_edit(actor)
    strategy = NationalStrategy.objects.select_for_update().get(pk=strategy_id)
    if strategy.goals.filter(number=data["number"]).exists():
        raise PlanError(_("Ramen har redan en målsättning med det numret."))
    goal = NationalGoal.objects.create(
        strategy=strategy,
        number=data["number"],
        title=data["title"],
        short_title=data.get("short_title") or data["title"][:100],
    )
    _set_sub_goals(goal, data.get("sub_goals", []))
    _check_crosswalk_targets(goal, data.get("continues_in", []))
    for target in data.get("continues_in", []):
        GoalCrosswalk.objects.create(from_goal=goal, to_goal=target)
    _audit(
        actor=actor,
        action="national_goal_create",
        target=goal,
        changes=model_changes({}, _snapshot(goal, GOAL_FIELDS)),
    )
    return goal


@transaction.atomic
def national_goal_update(*, goal_id: int, data: dict[str, Any], actor: Any) -> NationalGoal:
    """Change a frame goal's number, title, sub-goals and crosswalk targets."""
    _require_edit(actor)
    goal = NationalGoal.objects.select_for_update().get(pk=goal_id)
    before = _snapshot(goal, GOAL_FIELDS)
    before["continues_in"] = sorted(goal.crosswalk_to.values_list("to_goal_id", flat=True))
    if goal.strategy.goals.filter(number=data["number"]).exclude(pk=goal.pk).exists():
        raise PlanError(_("Ramen har redan en målsättning med det numret."))
    goal.number = data["number"]
    goal.title = data["title"]
    goal.short_title = data.get("short_title") or data["title"][:100]
    goal.save()
    if "sub_goals" in data:
        _set_sub_goals(goal, data["sub_goals"])
    if "continues_in" in data:
        _check_crosswalk_targets(goal, data["continues_in"])
        goal.crosswalk_to.all().delete()
        for target in data["continues_in"]:
            GoalCrosswalk.objects.create(from_goal=goal, to_goal=target)
    after = _snapshot(goal, GOAL_FIELDS)
    after["continues_in"] = sorted(goal.crosswalk_to.values_list("to_goal_id", flat=True))
    _audit(
        actor=actor,
        action="national_goal_update",
        target=goal,
        changes=model_changes(before, after),
    )
    return goal


@transaction.atomic
def national_goal_delete(*, goal_id: int, actor: Any) -> None:
    """Delete a frame goal no plan goal or agreement commitment points at."""
    _require_edit(actor)
    goal = NationalGoal.objects.select_for_update().get(pk=goal_id)
    if goal.goals.exists() or goal.commitments.exists():
        raise PlanError(
            _("Målsättningen används av planer eller överenskommelser och kan inte tas bort.")
        )
    _audit(actor=actor, action="national_goal_delete", target=goal, changes={})
    goal.delete()


# --- import: kvinnofrid-strategy/1 -------------------------------------------------------------


class _Check:
    """Field checks for a strategy file; each failure names the field."""

    def fail(self, field: str, message: str) -> None:
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
        value = value.strip()
        if required and not value:
            self.fail(field, _("får inte vara tom"))
        if len(value) > max_length:
            self.fail(field, _("får vara högst %(max)d tecken") % {"max": max_length})
        return value

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

    goals = []
    numbers: set[int] = set()
    for index, raw in enumerate(
        check.items(data.get("goals"), "goals", required=True, limit=MAX_GOALS)
    ):
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
        sub_goals = [
            check.text(sub, f"{path}.sub_goals[{s_index}]", max_length=500)
            for s_index, sub in enumerate(
                check.items(
                    raw.get("sub_goals"),
                    f"{path}.sub_goals",
                    required=False,
                    limit=MAX_SUB_GOALS,
                )
            )
        ]
        goals.append(
            {
                "number": number,
                "title": goal_title,
                "short_title": short or goal_title[:100],
                "sub_goals": sub_goals,
            }
        )

    crosswalk: list[tuple[NationalGoal, int]] = []
    frames: dict[str, NationalStrategy] = {}
    for index, raw in enumerate(
        check.items(data.get("crosswalk"), "crosswalk", required=False, limit=MAX_CROSSWALK_ROWS)
    ):
        path = f"crosswalk[{index}]"
        raw = check.obj(raw, path)
        frame_title = check.text(raw.get("from_strategy"), f"{path}.from_strategy", max_length=300)
        if frame_title not in frames:
            frame = NationalStrategy.objects.filter(name=frame_title).first()
            if frame is None:
                check.fail(
                    f"{path}.from_strategy",
                    _("okänd nationell ram %(value)s")
                    % {"value": json.dumps(frame_title, ensure_ascii=False)},
                )
            frames[frame_title] = frame
        from_number = check.integer(raw.get("from_goal"), f"{path}.from_goal", low=1, high=999)
        from_goal = NationalGoal.objects.filter(
            strategy=frames[frame_title], number=from_number
        ).first()
        if from_goal is None:
            check.fail(
                f"{path}.from_goal",
                _("ramen har ingen målsättning nummer %(n)d") % {"n": from_number},
            )
        targets = check.items(
            raw.get("to_goals"), f"{path}.to_goals", required=True, limit=MAX_GOALS
        )
        for t_index, value in enumerate(targets):
            t_path = f"{path}.to_goals[{t_index}]"
            to_number = check.integer(value, t_path, low=1, high=999)
            if to_number not in numbers:
                check.fail(
                    t_path,
                    _("filen har ingen målsättning nummer %(n)d") % {"n": to_number},
                )
            if (from_goal, to_number) not in crosswalk:
                crosswalk.append((from_goal, to_number))
    return {
        "name": title,
        "valid_from": valid_from,
        "valid_until": valid_to,
        "goals": goals,
        "crosswalk": crosswalk,
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
        _require_edit(actor)
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
        _set_sub_goals(goal, goal_data["sub_goals"])
        by_number[goal.number] = goal
    GoalCrosswalk.objects.bulk_create(
        GoalCrosswalk(from_goal=from_goal, to_goal=by_number[to_number])
        for from_goal, to_number in cleaned["crosswalk"]
    )
    _audit(
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


def plans_on(strategy: NationalStrategy) -> Any:
    """The plans (every county, every version) that use ``strategy``."""
    return ActionPlan.objects.filter(strategy=strategy).select_related("county")
