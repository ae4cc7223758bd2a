"""Reads of action plans that need more than one query: the plan tree, history and comparison."""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from actionplans.fragments import fingerprint, m2m_columns, table
from actionplans.fragments import fingerprint_row as _row
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorValue,
    NationalGoal,
    PlannedActivity,
    SubGoal,
)
from agreements.models import Agreement
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.models import County, Organisation


def plan_with_tree(*, plans: QuerySet[ActionPlan], pk: int) -> ActionPlan:
    """One plan with goals → delmål → activities → responsible, and indicators, prefetched.

    The number of queries does not depend on the size of the plan. Raises DoesNotExist.
    """
    return (
        plans.select_related("county", "agreement", "supersedes")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "number", "id")),
            "goals__national_goals",
            Prefetch("goals__sub_goals", queryset=SubGoal.objects.order_by("order", "id")),
            Prefetch(
                "goals__sub_goals__activities",
                queryset=PlannedActivity.objects.order_by("order", "id"),
            ),
            "goals__sub_goals__activities__responsible",
            Prefetch(
                "goals__sub_goals__indicators", queryset=Indicator.objects.order_by("order", "id")
            ),
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
                ),
            ),
        )
        .get(pk=pk)
    )


def plan_with_goals(*, pk: int) -> ActionPlan:
    """One plan with its goals and their national goals: what the county start page shows."""
    return (
        ActionPlan.objects.select_related("county")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("order", "number", "id")),
            "goals__national_goals",
        )
        .get(pk=pk)
    )


# --- fingerprints of cached fragments (see actionplans.fragments) -------------------------------


@functools.cache
def _plan_tree_sql() -> str:
    """Joins rather than nested ``IN`` subqueries: PostgreSQL plans them faster."""
    goal, sub, act, ind, val, org, ng = (
        table(m)
        for m in (
            Goal,
            SubGoal,
            PlannedActivity,
            Indicator,
            IndicatorValue,
            Organisation,
            NationalGoal,
        )
    )
    goal_ng, goal_col, ng_col = m2m_columns(Goal, "national_goals")
    resp, act_col, org_col = m2m_columns(PlannedActivity, "responsible")
    ind_sub, ind_col, sub_col = m2m_columns(Indicator, "sub_goals")
    # joins written one after the other (SQLite does not take nested ones)
    g = f"{goal} g"
    s = f"{sub} s JOIN {g} ON g.id = s.goal_id"
    a = f"{act} a JOIN {sub} s ON s.id = a.sub_goal_id JOIN {g} ON g.id = s.goal_id"
    v = f"{val} v JOIN {ind} i ON i.id = v.indicator_id"
    rows = [
        _row("goal", g, "g.plan_id = %s", changed="MAX(g.updated_at)", sum_="g.id"),
        # the links and the national goals they point to (reference data, edited in the admin)
        _row(
            "national_goal",
            f"{goal_ng} l JOIN {g} ON g.id = l.{goal_col} JOIN {ng} n ON n.id = l.{ng_col}",
            "g.plan_id = %s",
            changed="MAX(n.updated_at)",
            sum_="l.id",  # a changed link is a new row with a higher id: a swap shows
        ),
        _row("sub", s, "g.plan_id = %s", changed="MAX(s.updated_at)", sum_="s.id"),
        _row("act", a, "g.plan_id = %s", changed="MAX(a.updated_at)", sum_="a.id"),
        # the links and the organisations they point to (names)
        _row(
            "responsible",
            f"{resp} r JOIN {act} a ON a.id = r.{act_col} JOIN {sub} s ON s.id = a.sub_goal_id "
            f"JOIN {g} ON g.id = s.goal_id JOIN {org} o ON o.id = r.{org_col}",
            "g.plan_id = %s",
            changed="MAX(o.updated_at)",
            sum_="r.id",  # a changed link is a new row with a higher id: a swap shows
        ),
        _row("ind", f"{ind} i", "i.plan_id = %s", changed="MAX(i.updated_at)", sum_="i.id"),
        _row(
            "ind_sub",
            f"{ind_sub} l JOIN {ind} i ON i.id = l.{ind_col}",
            "i.plan_id = %s",
            changed="NULL",
            sum_="l.id",  # a changed link is a new row with a higher id: a swap shows
        ),
        _row("val", v, "i.plan_id = %s", changed="MAX(v.updated_at)", sum_="v.id"),
        _row(
            "val_org",
            f"{v} JOIN {org} o ON o.id = v.organisation_id",
            "i.plan_id = %s",
            changed="MAX(o.updated_at)",
            sum_="o.id",
        ),
        # every service write (also reorders, which touch no updated_at) audits on the plan
        _row(
            "audit",
            table(AuditEntry),
            "target_type_id = %s AND target_id = %s",
            changed="NULL",
            sum_="id",
        ),
    ]
    return " UNION ALL ".join(rows)


def plan_tree_version(*, plan: ActionPlan) -> tuple[Any, ...]:
    """What the plan tree fragment depends on, in one query: the plan's own row and, for its
    goals, national goals, delmål, activities, responsible organisations, indicators and their
    delmål and values, row counts, newest changes and id sums, plus its newest audit entry."""
    sql = _plan_tree_sql()
    params = [plan.pk] * (sql.count("%s") - 1)
    params.insert(-1, ContentType.objects.get_for_model(ActionPlan).pk)
    return (plan.pk, plan.lock_version, str(plan.updated_at), fingerprint(sql, params))


@functools.cache
def _county_start_sql() -> str:
    plan, goal, goal_ng = table(ActionPlan), table(Goal), m2m_columns(Goal, "national_goals")
    g = f"{goal} g JOIN {plan} p ON p.id = g.plan_id"
    rows = [
        _row("agreement", table(Agreement), "county_id = %s", sum_="lock_version"),
        _row("plan", plan, "county_id = %s", sum_="lock_version"),
        _row("goal", g, "p.county_id = %s", changed="MAX(g.updated_at)", sum_="g.id"),
        # the links and the national goals they point to (reference data, edited in the admin)
        _row(
            "national_goal",
            f"{goal_ng[0]} l JOIN {goal} g ON g.id = l.{goal_ng[1]} JOIN {plan} p "
            f"ON p.id = g.plan_id JOIN {table(NationalGoal)} n ON n.id = l.{goal_ng[2]}",
            "p.county_id = %s",
            changed="MAX(n.updated_at)",
            sum_="l.id",  # a changed link is a new row with a higher id: a swap shows
        ),
        # reorders touch no updated_at but every service write audits on the plan
        _row(
            "audit",
            f"{table(AuditEntry)} a JOIN {plan} p ON p.id = a.target_id",
            "a.target_type_id = %s AND p.county_id = %s",
            changed="NULL",
            sum_="a.id",
        ),
    ]
    return " UNION ALL ".join(rows)


def county_start_version(*, county: County) -> tuple[Any, ...]:
    """What the county start page's agreement and plan sections depend on, in one query: the
    county's agreements and plans, the goals of its plans with their national goals, and the
    newest audit entry of its plans. (The follow-up panel has its own fragment.)"""
    sql = _county_start_sql()
    params = [county.pk] * (sql.count("%s") - 1)
    params.insert(-1, ContentType.objects.get_for_model(ActionPlan).pk)
    return (county.pk, county.code, county.name, fingerprint(sql, params))


def county_current_plan(*, county: County) -> ActionPlan | None:
    """The county's adopted plan (newest), else its newest draft, else None."""
    return (
        ActionPlan.objects.filter(county=county)
        .current()
        .order_by("status", "-period_start", "-version", "-id")
        .first()
    )


def plan_history(*, plan: ActionPlan, limit: int = 200) -> list[AuditEntry]:
    """The audit entries of a plan and its parts, newest first."""
    content_type = ContentType.objects.get_for_model(ActionPlan)
    return list(
        AuditEntry.objects.filter(target_type=content_type, target_id=plan.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


# --- comparing two versions -------------------------------------------------------------------


@dataclass
class Change:
    kind: str  # "goal", "subgoal", "activity", "indicator"
    label: str
    status: str  # "added", "removed", "changed"
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)


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
                "target": indicator.target,
                "target_year": indicator.target_year,
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
