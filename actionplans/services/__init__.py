"""Every write to an action plan: create, edit, reorder and delete its parts, revise and adopt.

Each service locks the rows it changes, re-checks the actor's permission, refuses to touch a plan
that is not a draft, writes, and records an audit entry (target: the plan, so the plan's history
lists every change of its parts). Stale ``expected_version`` values raise ``StaleObjectError``.

The package is split by seam (``plans``: the plan and its versions; ``parts``: goals, delmål,
activities; ``indicators``: indicators and their values); this module re-exports the public
services so ``from actionplans import services`` keeps working.
"""

from actionplans.services._shared import (
    PART_ACTION,
    PART_FIELDS,
    PART_M2M,
    PLAN_FIELDS,
    part_plan_id,
    snapshot,
)
from actionplans.services.indicators import (
    indicator_create,
    indicator_delete,
    indicator_move,
    indicator_update,
    indicator_value_delete,
    indicator_value_set,
)
from actionplans.services.parts import (
    activity_create,
    activity_delete,
    activity_move,
    activity_update,
    goal_create,
    goal_delete,
    goal_move,
    goal_update,
    subgoal_create,
    subgoal_delete,
    subgoal_move,
    subgoal_update,
)
from actionplans.services.plans import (
    plan_adopt,
    plan_create,
    plan_delete,
    plan_revise,
    plan_update,
)

__all__ = [
    "PART_ACTION",
    "PART_FIELDS",
    "PART_M2M",
    "PLAN_FIELDS",
    "activity_create",
    "activity_delete",
    "activity_move",
    "activity_update",
    "goal_create",
    "goal_delete",
    "goal_move",
    "goal_update",
    "indicator_create",
    "indicator_delete",
    "indicator_move",
    "indicator_update",
    "indicator_value_delete",
    "indicator_value_set",
    "part_plan_id",
    "plan_adopt",
    "plan_create",
    "plan_delete",
    "plan_revise",
    "plan_update",
    "snapshot",
    "subgoal_create",
    "subgoal_delete",
    "subgoal_move",
    "subgoal_update",
]
