"""Which national goal an activity counts under, when counties work in different frames.

Every comparison of activities "by national goal" across counties or years goes through
``national_goal_keys``. Today it is the identity on the goal's number within its own frame (the
strategy 2017–2026 is the only frame plans use). When the strategy frames and their
``GoalCrosswalk`` land (issue 14 items 1–2, branch ``frames``), point this one function at the
crosswalk: map each goal to the numbers of the reference frame's goals it corresponds to, and the
overview, its exports and the report-back follow.
"""

from collections.abc import Iterable

from actionplans.models import NationalGoal


def national_goal_keys(*, goal_ids: Iterable[int]) -> dict[int, list[str]]:
    """{national goal id: the keys ("1", "2" …) it counts under}. One query.

    An activity that serves several goals mapping to the same key is counted once under it.
    """
    ids = set(goal_ids)
    if not ids:
        return {}
    return {
        pk: [str(number)]
        for pk, number in NationalGoal.objects.filter(pk__in=ids).values_list("pk", "number")
    }


def reference_goals(*, year: int) -> list[tuple[str, str, str]]:
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
        (str(g.number), g.short_title, g.title) for g in in_force if g.strategy_id == strategy_id
    ]
