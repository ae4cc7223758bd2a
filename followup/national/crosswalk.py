"""Which national goal an activity counts under, when counties work in different frames.

Every comparison of activities "by national goal" across counties or years goes through
``national_goal_keys``: goals are keyed by the numbers of the year's reference frame, and goals of
another frame are mapped onto it through the ``GoalCrosswalk`` (e.g. the strategy 2017–2026's
four goals onto the action programme 2024–2026's six målsättningar, or back).
"""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from actionplans.models import GoalCrosswalk, NationalGoal


def national_goal_keys(
    *, goal_ids: Iterable[int], reference: int | None = None
) -> dict[int, list[str]]:
    """{national goal id: the keys ("1", "2" …) it counts under}. One query, two when goals
    of another frame need the crosswalk.

    The keys are the numbers of the goals of the ``reference`` frame (a strategy id: the year's
    reference frame, ``reference_strategy_id``, or a plan's own frame): a goal of that frame
    counts under its own number, a goal of another frame under the reference goals the
    ``GoalCrosswalk`` maps it to or from, so counties whose plans use different frames are
    compared on one set of goals. Without a reference every goal counts under its own number. An activity that serves several goals mapping to the same key
    is counted once under it.
    """
    ids = set(goal_ids)
    if not ids:
        return {}
    goals = list(NationalGoal.objects.filter(pk__in=ids).values_list("pk", "number", "strategy_id"))
    if reference is None:
        return {pk: [str(number)] for pk, number, _s in goals}
    keys: dict[int, set[str]] = {pk: set() for pk, _n, _s in goals}
    others = set()
    for pk, number, strategy_id in goals:
        if strategy_id == reference:
            keys[pk].add(str(number))
        else:
            others.add(pk)
    if others:  # goals of another frame: through the crosswalk, either way
        links = GoalCrosswalk.objects.filter(
            Q(from_goal_id__in=others, to_goal__strategy_id=reference)
            | Q(to_goal_id__in=others, from_goal__strategy_id=reference)
        ).values_list("from_goal_id", "from_goal__number", "to_goal_id", "to_goal__number")
        for from_id, from_number, to_id, to_number in links:
            if from_id in others:
                keys[from_id].add(str(to_number))
            if to_id in others:
                keys[to_id].add(str(from_number))
    return {pk: sorted(found, key=int) for pk, found in keys.items()}


def reference_strategy_id(year: int) -> int | None:
    """The id of the frame ``year`` is compared under (see ``reference_goals``)."""
    goals = reference_goals(year=year, with_strategy=True)
    return goals[0][3] if goals else None


def reference_goals(*, year: int, with_strategy: bool = False) -> list[Any]:
    """(key, short title, full title) of the national goals a year is compared under: the goals
    of the frame in force that year (the earliest-starting one if several: the strategy
    2017–2026 stays the reference until it ends, as every plan's goals map to it), else the
    newest frame. One query."""
    goals = list(
        NationalGoal.objects.select_related("strategy").order_by(
            "strategy__valid_from", "strategy_id", "number"
        )
    )
    in_force = [
        g for g in goals if g.strategy.valid_from.year <= year <= g.strategy.valid_until.year
    ] or [g for g in goals if goals and g.strategy_id == goals[-1].strategy_id]
    if not in_force:
        return []
    strategy_id = in_force[0].strategy_id
    return [
        (str(g.number), g.short_title, g.title, g.strategy_id)
        if with_strategy
        else (str(g.number), g.short_title, g.title)
        for g in in_force
        if g.strategy_id == strategy_id
    ]
