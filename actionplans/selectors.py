"""Reads of action plans that need more than one query: the plan tree, history and comparison."""

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django_stubs_ext import StrOrPromise

from actionplans import tree_cells, tree_readers
from actionplans.indicator_overview import indicator_overview
from actionplans.indicator_overview import words as overview_words
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)
from kvinnofrid.core.sql import table
from kvinnofrid.directory.models import County


def _tree_lookups() -> list[Any]:
    return [
        Prefetch("goals", queryset=Goal.objects.order_by("order", "number", "id")),
        "goals__national_goals",
        Prefetch("goals__sub_goals", queryset=SubGoal.objects.order_by("order", "id")),
        Prefetch(
            "goals__sub_goals__activities",
            queryset=PlannedActivity.objects.order_by("order", "id"),
        ),
        "goals__sub_goals__activities__responsible",
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("order", "id").prefetch_related(
                Prefetch(
                    "sub_goals",
                    queryset=SubGoal.objects.select_related("goal").order_by(
                        "goal__order", "order", "id"
                    ),
                ),
                Prefetch(
                    "values",
                    queryset=IndicatorValue.objects.select_related("organisation").order_by(
                        "year", "organisation__name"
                    ),
                ),
                Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
            ),
        ),
    ]


def prefetch_plan_tree(plan: ActionPlan) -> ActionPlan:
    """Load the tree of a plan already read as model rows (the version comparison): goals →
    national goals, delmål → activities → responsible, and indicators → delmål, values."""
    prefetch_related_objects([plan], *_tree_lookups())
    return plan


def plan_with_tree(*, plans: QuerySet[ActionPlan], pk: int) -> ActionPlan:
    """One plan with its tree (:func:`prefetch_plan_tree`). Raises DoesNotExist."""
    return prefetch_plan_tree(plans.select_related("county", "agreement", "supersedes").get(pk=pk))


@functools.cache
def _plan_goals_sql() -> str:
    q = connection.ops.quote_name
    links = Goal.national_goals.field
    through = table(Goal.national_goals.through)
    return (
        "SELECT g.id, g.number, g.title, g.description, n.number, n.short_title, n.title "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(Goal)} g LEFT JOIN {through} l "
        f"ON l.{q(links.m2m_column_name())} = g.id LEFT JOIN {table(NationalGoal)} n "
        f"ON n.id = l.{q(links.m2m_reverse_name())} "
        f"LEFT JOIN {table(NationalStrategy)} s ON s.id = n.strategy_id "
        f"WHERE g.plan_id = %s ORDER BY g.{q('order')}, g.number, g.id, "
        "s.valid_from DESC, s.name, n.number"
    )


def plan_goals(*, plan: ActionPlan) -> list[dict[str, Any]]:
    """The plan's goals in order, each with its ``national_goals`` (``label``, ``title``), as
    plain data in one written-out query (a row per link, or one for a goal without; the county
    start page reads it on every miss, and the ORM's compilation of the two joins cost more
    than the query: tests/actionplans/test_start_readers.py checks it against the ORM)."""
    by_goal: dict[int, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_plan_goals_sql(), [plan.pk])
        rows = cursor.fetchall()
    for pk, number, title, description, ng_number, ng_short, ng_title in rows:
        goal = by_goal.get(pk)
        if goal is None:
            goal = by_goal[pk] = {
                "id": pk, "number": number, "title": title, "description": description,
                "national_goals": [],
            }  # fmt: skip
        if ng_number is not None:
            goal["national_goals"].append({"label": f"{ng_number}. {ng_short}", "title": ng_title})
    return list(by_goal.values())


def plan_tree(
    *, plan: ActionPlan, texts: dict[str, str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """What the plan view and the editor show below the plan's own fields, as plain data in
    four queries whatever the plan's size: ``goals`` (each with ``national_goals``, and
    ``sub_goals`` with ``activities`` and the ``indicators`` linked to them) and ``indicators``
    (each with its ``sub_goals`` and an ``overview``: baseline, values and targets over all years
    with a chart, :mod:`actionplans.indicator_overview`). Lists are in the editor's order.
    The reads are written out (:mod:`actionplans.tree_readers`); ``texts`` are
    :func:`actionplans.tree_cells.words` if the caller has them already."""
    by_goal, sub_goals = _goals_and_sub_goals(plan)
    _add_activities(plan, sub_goals)
    texts = texts or tree_cells.words()
    goal_numbers = {g["id"]: g["number"] for g in by_goal.values()}
    indicators = _tree_indicators(plan, sub_goals, goal_numbers, texts)
    # as the plan view shows them; the editor has its controls
    tree_cells.goal_sections(list(by_goal.values()), texts)
    return {"goals": list(by_goal.values()), "indicators": indicators}


def _goals_and_sub_goals(
    plan: ActionPlan,
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """The goals as :func:`plan_goals` gives them, each with its ``sub_goals``, and the delmål
    by id, in one query: a row per national goal and delmål of a goal (or one without)."""
    by_goal: dict[int, dict[str, Any]] = {}
    national: set[tuple[int, int]] = set()
    sub_goals: dict[int, dict[str, Any]] = {}
    for (
        goal_id, number, title, description, national_id, national_number, short_title,
        national_title, sub_goal_id, code, text,
    ) in tree_readers.goal_rows(plan.pk):  # fmt: skip
        goal = by_goal.get(goal_id)
        if goal is None:
            goal = by_goal[goal_id] = {
                "id": goal_id, "number": number, "title": title, "description": description,
                "national_goals": [], "sub_goals": [],
            }  # fmt: skip
        if national_id is not None and (goal_id, national_id) not in national:
            national.add((goal_id, national_id))
            label = f"{national_number}. {short_title}"
            goal["national_goals"].append({"label": label, "title": national_title})
        if sub_goal_id is not None and sub_goal_id not in sub_goals:
            sub_goals[sub_goal_id] = {
                "id": sub_goal_id, "goal_id": goal_id, "code": code, "text": text,
                "activities": [], "indicators": [],
            }  # fmt: skip
            goal["sub_goals"].append(sub_goals[sub_goal_id])
    return by_goal, sub_goals


def _add_activities(plan: ActionPlan, sub_goals: dict[int, dict[str, Any]]) -> None:
    # activities with the names of their responsible organisations in one query
    activities: dict[int, dict[str, Any]] = {}
    for activity_id, sub_goal_id, text, name in tree_readers.activity_rows(plan.pk):
        activity = activities.get(activity_id)
        if activity is None:
            activity = activities[activity_id] = {
                "id": activity_id, "sub_goal_id": sub_goal_id, "text": text, "responsible": [],
            }  # fmt: skip
            sub_goals[sub_goal_id]["activities"].append(activity)
        if name is not None:
            activity["responsible"].append(name)


def _tree_indicators(
    plan: ActionPlan,
    sub_goals: dict[int, dict[str, Any]],
    goal_numbers: dict[int, int],
    texts: dict[str, str],
) -> list[dict[str, Any]]:
    kinds = dict(Indicator.Kind.choices)
    # the indicators with their delmål in one query: a row per link, or one for an indicator
    # without
    indicators: dict[int, dict[str, Any]] = {}
    linked: dict[int, list[int]] = {}
    for ident, name, kind, source, unit, baseline, sub_goal_id in tree_readers.indicator_rows(
        plan.pk
    ):
        if ident not in indicators:
            indicators[ident] = {
                "id": ident, "name": name, "kind": kind, "source": source, "unit": unit,
                "baseline": baseline, "kind_label": kinds.get(kind, kind), "sub_goals": [],
            }  # fmt: skip
            linked[ident] = []
        if sub_goal_id is not None:
            linked[ident].append(sub_goal_id)
    for indicator_id, indicator in indicators.items():  # in the plan's order of indicators
        for sub_goal_id in linked[indicator_id]:
            sub_goal = sub_goals[sub_goal_id]
            sub_goal["indicators"].append(indicator["name"])
            indicator["sub_goals"].append(
                {
                    "number": goal_numbers[sub_goal["goal_id"]],
                    "code": sub_goal["code"] or sub_goal["text"],
                }
            )
    # every year's values and targets, one query each, for the chart and its table
    values: dict[int, list[tuple[int, str | None, Decimal, str]]] = {}
    value_rows, target_rows = tree_readers.values_and_targets(plan.pk)
    for indicator_id, year, name, value, note in value_rows:
        values.setdefault(indicator_id, []).append((year, name, value, note))
    targets: dict[int, list[tuple[int, Decimal]]] = {}
    for indicator_id, year, value in target_rows:
        targets.setdefault(indicator_id, []).append((year, value))
    overview_texts = overview_words()
    for indicator_id, indicator in indicators.items():
        indicator["overview"] = indicator_overview(
            name=indicator["name"],
            unit=indicator["unit"],
            baseline=indicator["baseline"],
            values=values.get(indicator_id, []),
            targets=targets.get(indicator_id, []),
            ident=f"indikator-{indicator_id}-diagram",
            texts=overview_texts,
        )
        indicator["overview_html"] = tree_cells.overview(indicator["overview"], indicator_id, texts)
        indicator["sub_goals_text"] = tree_cells.indicator_sub_goals(indicator["sub_goals"])
    return list(indicators.values())


def county_current_plan(*, county: County, include_drafts: bool = True) -> ActionPlan | None:
    """The county's adopted plan (newest), else (for its coordinators, ``include_drafts``) its
    newest draft, else None."""
    return current_plan_among(ActionPlan.objects.filter(county=county), include_drafts)


def current_plan_among(
    plans: Iterable[ActionPlan], include_drafts: bool = True
) -> ActionPlan | None:
    """:func:`county_current_plan` of a county whose plans the caller has read already."""
    shown = [
        p
        for p in plans
        if p.status == ActionPlan.Status.ADOPTED
        or (include_drafts and p.status == ActionPlan.Status.DRAFT)
    ]
    # adopted before drafts; then the newest period, version and row
    shown.sort(
        key=lambda p: (p.status != ActionPlan.Status.ADOPTED, -p.period_start, -p.version, -p.pk)
    )
    return shown[0] if shown else None


# --- comparing two versions -------------------------------------------------------------------


@dataclass
class Change:
    kind: str  # "goal", "subgoal", "activity", "indicator"
    label: str
    status: str  # "added", "removed", "changed"
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)
    # the fields with display labels, set by the compare view
    rows: list[tuple[StrOrPromise, Any, Any]] = field(default_factory=list, compare=False)


@dataclass
class Comparison:
    old: ActionPlan
    new: ActionPlan
    changes: list[Change]

    def of_status(self, status: str) -> list[Change]:
        return [c for c in self.changes if c.status == status]

    @property
    def added(self) -> list[Change]:
        return self.of_status("added")

    @property
    def removed(self) -> list[Change]:
        return self.of_status("removed")

    @property
    def changed(self) -> list[Change]:
        return self.of_status("changed")


def _flatten(plan: ActionPlan) -> dict[tuple[Any, ...], tuple[str, str, dict[str, Any]]]:
    """Key → (kind, label, comparable values) for every part of a prefetched plan.

    Goals match by number; delmål by goal number and position (code as tiebreaker of meaning);
    activities by goal, delmål position and position; indicators by name.
    """
    items: dict[tuple[Any, ...], tuple[str, str, dict[str, Any]]] = {}
    for goal in plan.goals.all():
        goal_key = ("goal", goal.number)
        items[goal_key] = (
            "goal",
            f"Mål {goal.number}",
            {
                "title": goal.title,
                "description": goal.description,
                "national_goals": ", ".join(str(n.number) for n in goal.national_goals.all()),
            },
        )
        for position, sub_goal in enumerate(goal.sub_goals.all(), start=1):
            sub_key = ("subgoal", goal.number, position)
            code = sub_goal.code or f"#{position}"
            items[sub_key] = (
                "subgoal",
                f"Mål {goal.number}, delmål {code}",
                {"code": sub_goal.code, "text": sub_goal.text},
            )
            for act_pos, activity in enumerate(sub_goal.activities.all(), start=1):
                items[("activity", goal.number, position, act_pos)] = (
                    "activity",
                    f"Mål {goal.number}, delmål {code}, aktivitet {act_pos}",
                    {
                        "text": activity.text,
                        "responsible": ", ".join(o.name for o in activity.responsible.all()),
                    },
                )
    for indicator in plan.indicators.all():
        items[("indicator", indicator.name)] = (
            "indicator",
            f"Indikator {indicator.name}",
            {
                "kind": indicator.get_kind_display(),
                "source": indicator.source,
                "unit": indicator.unit,
                "baseline": indicator.baseline,
                "targets": "; ".join(f"{t.year}: {t.value}" for t in indicator.targets.all()),
                "sub_goals": ", ".join(
                    f"{s.goal.number}:{s.code or s.pk}" for s in indicator.sub_goals.all()
                ),
            },
        )
    return items


def plan_compare(*, old: ActionPlan, new: ActionPlan) -> Comparison:
    """What was added, removed and changed from ``old`` to ``new`` (both prefetched trees)."""
    before, after = _flatten(old), _flatten(new)
    changes: list[Change] = []
    for key, (kind, label, values) in after.items():
        if key not in before:
            changes.append(Change(kind, label, "added", [(k, None, v) for k, v in values.items()]))
            continue
        old_values = before[key][2]
        diff = [(k, old_values.get(k), v) for k, v in values.items() if old_values.get(k) != v]
        if diff:
            changes.append(Change(kind, label, "changed", diff))
    for key, (kind, label, values) in before.items():
        if key not in after:
            changes.append(
                Change(kind, label, "removed", [(k, v, None) for k, v in values.items()])
            )
    return Comparison(old=old, new=new, changes=changes)
