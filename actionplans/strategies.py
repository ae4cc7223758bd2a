"""National strategy frames (issue 14): who may see and edit them, their services, the crosswalk
between frames and the checks that keep a plan's goals inside its own frame. The file import
(``kvinnofrid-strategy/1``) is in ``actionplans.strategy_import``.

Writes follow the house pattern: lock → check → write → audit, in one transaction. Frames are
national data, so their audit entries carry no county.
"""

import datetime
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

STRATEGY_2017_TITLE = "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"
STRATEGY_FIELDS = ("name", "valid_from", "valid_until")
GOAL_FIELDS = ("number", "title", "short_title")


# --- permissions -------------------------------------------------------------------------------


def can_view_strategies(user: Any) -> bool:
    """National observers and national admins read the frames' pages (DESIGN §5)."""
    return is_active_user(user) and bool(
        user.is_superuser or user.is_observer or user.is_national_admin
    )


def can_edit_strategies(user: Any) -> bool:
    """Only national admins (and superusers) create and edit frames, their goals and crosswalk."""
    return is_active_user(user) and bool(user.is_national_admin)


def require_edit(actor: Any) -> None:
    if not can_edit_strategies(actor):
        raise PermissionDenied


# --- checks called by the plan services --------------------------------------------------------


def check_plan_links(plan: ActionPlan) -> None:
    """A plan's agreement must be its county's, and its goals may only point at national goals of
    its own frame (so changing the frame of a plan whose goals are mapped is refused).

    Raises PlanError with a Swedish message.
    """
    if plan.agreement is not None and plan.agreement.county_id != plan.county_id:
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


def crosswalk_map(
    *, from_strategy: NationalStrategy, to_strategy: NationalStrategy
) -> dict[int, list[int]]:
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
    """The frame a new plan starting in ``year`` most likely uses: the earliest-starting frame
    whose period covers the year (the national strategy rather than an action programme within
    it, as the national overview compares by it too), else None."""
    return (
        NationalStrategy.objects.filter(valid_from__year__lte=year, valid_until__year__gte=year)
        .order_by("valid_from", "id")
        .first()
    )


# --- frame services ----------------------------------------------------------------------------


def audit_strategy(*, actor: Any, action: str, target: Any, changes: dict[str, Any]) -> None:
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
    require_edit(actor)
    _check_period(data["valid_from"], data["valid_until"])
    _check_unique_name(data["name"])
    strategy = NationalStrategy.objects.create(**{k: data[k] for k in STRATEGY_FIELDS})
    audit_strategy(
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
    require_edit(actor)
    strategy = NationalStrategy.objects.select_for_update().get(pk=strategy_id)
    before = _snapshot(strategy, STRATEGY_FIELDS)
    _check_period(data["valid_from"], data["valid_until"])
    _check_unique_name(data["name"], exclude_pk=strategy.pk)
    for name in STRATEGY_FIELDS:
        setattr(strategy, name, data[name])
    strategy.save()
    _touch_goals(strategy)
    audit_strategy(
        actor=actor,
        action="strategy_update",
        target=strategy,
        changes=model_changes(before, _snapshot(strategy, STRATEGY_FIELDS)),
    )
    return strategy


def set_sub_goals(goal: NationalGoal, lines: list[str]) -> None:
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
    require_edit(actor)
    strategy = NationalStrategy.objects.select_for_update().get(pk=strategy_id)
    if strategy.goals.filter(number=data["number"]).exists():
        raise PlanError(_("Ramen har redan en målsättning med det numret."))
    goal = NationalGoal.objects.create(
        strategy=strategy,
        number=data["number"],
        title=data["title"],
        short_title=data.get("short_title") or data["title"][:100],
    )
    set_sub_goals(goal, data.get("sub_goals", []))
    _check_crosswalk_targets(goal, data.get("continues_in", []))
    for target in data.get("continues_in", []):
        GoalCrosswalk.objects.create(from_goal=goal, to_goal=target)
    audit_strategy(
        actor=actor,
        action="national_goal_create",
        target=goal,
        changes=model_changes({}, _snapshot(goal, GOAL_FIELDS)),
    )
    return goal


@transaction.atomic
def national_goal_update(*, goal_id: int, data: dict[str, Any], actor: Any) -> NationalGoal:
    """Change a frame goal's number, title, sub-goals and crosswalk targets."""
    require_edit(actor)
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
        set_sub_goals(goal, data["sub_goals"])
    if "continues_in" in data:
        _check_crosswalk_targets(goal, data["continues_in"])
        goal.crosswalk_to.all().delete()
        for target in data["continues_in"]:
            GoalCrosswalk.objects.create(from_goal=goal, to_goal=target)
    after = _snapshot(goal, GOAL_FIELDS)
    after["continues_in"] = sorted(goal.crosswalk_to.values_list("to_goal_id", flat=True))
    audit_strategy(
        actor=actor,
        action="national_goal_update",
        target=goal,
        changes=model_changes(before, after),
    )
    return goal


@transaction.atomic
def national_goal_delete(*, goal_id: int, actor: Any) -> None:
    """Delete a frame goal no plan goal or agreement commitment points at."""
    require_edit(actor)
    goal = NationalGoal.objects.select_for_update().get(pk=goal_id)
    if goal.goals.exists() or goal.commitments.exists():
        raise PlanError(
            _("Målsättningen används av planer eller överenskommelser och kan inte tas bort.")
        )
    audit_strategy(actor=actor, action="national_goal_delete", target=goal, changes={})
    goal.delete()


def plans_on(strategy: NationalStrategy) -> Any:
    """The plans (every county, every version) that use ``strategy``."""
    return ActionPlan.objects.filter(strategy=strategy).select_related("county")
