"""The plan tree's reads (:func:`actionplans.selectors.plan_tree`) and the plan view's
read of the plans revising an adopted plan, written out.

Built by the ORM, each of these joins cost some ten times more CPU to compile than PostgreSQL
takes to run it; written out once (per process) they cost a fraction, and the values and
targets are one statement. Each gives the rows its ORM reading gives, in the same order and
with the same Python values (the fields' converters applied, so decimals are decimals on every
database): tests/actionplans/test_tree_readers.py checks each against the ORM query it stands
for.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.db import connection, models

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
from kvinnofrid.core.sql import m2m_columns, table
from kvinnofrid.directory.models import County, Organisation


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


@functools.cache
def _goals_sql() -> str:
    link, goal_col, national_col = m2m_columns(Goal, "national_goals")
    return (
        "SELECT g.id, g.number, g.title, g.description, n.id, n.number, n.short_title, "  # noqa: S608 - names from model metadata, values are parameters
        f"n.title, s.id, s.code, s.text FROM {table(Goal)} g "
        f"LEFT JOIN {link} l ON l.{goal_col} = g.id "
        f"LEFT JOIN {table(NationalGoal)} n ON n.id = l.{national_col} "
        f"LEFT JOIN {table(SubGoal)} s ON s.goal_id = g.id "
        f"LEFT JOIN {table(NationalStrategy)} ns ON ns.id = n.strategy_id "
        f"WHERE g.plan_id = %s ORDER BY g.{_q('order')}, g.number, g.id, ns.valid_from DESC, "
        f"ns.name, n.number, s.{_q('order')}, s.id"
    )


@functools.cache
def _activities_sql() -> str:
    link, activity_col, org_col = m2m_columns(PlannedActivity, "responsible")
    return (
        "SELECT a.id, a.sub_goal_id, a.text, o.name "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(PlannedActivity)} a JOIN {table(SubGoal)} s ON s.id = a.sub_goal_id "
        f"JOIN {table(Goal)} g ON g.id = s.goal_id "
        f"LEFT JOIN {link} l ON l.{activity_col} = a.id "
        f"LEFT JOIN {table(Organisation)} o ON o.id = l.{org_col} "
        f"LEFT JOIN {table(County)} c ON c.id = o.county_id "
        f"WHERE g.plan_id = %s ORDER BY a.sub_goal_id, a.{_q('order')}, a.id, c.code, o.name"
    )


@functools.cache
def _indicators_sql() -> str:
    link, indicator_col, sub_col = m2m_columns(Indicator, "sub_goals")
    return (
        "SELECT i.id, i.name, i.kind, i.source, i.unit, i.baseline, l."  # noqa: S608 - names from model metadata, values are parameters
        f"{sub_col} FROM {table(Indicator)} i LEFT JOIN {link} l ON l.{indicator_col} = i.id "
        f"LEFT JOIN {table(SubGoal)} s ON s.id = l.{sub_col} "
        f"LEFT JOIN {table(Goal)} g ON g.id = s.goal_id "
        f"WHERE i.plan_id = %s ORDER BY i.{_q('order')}, i.id, g.{_q('order')}, s.{_q('order')}, "
        f"l.{sub_col}"
    )


@functools.cache
def _values_and_targets_sql() -> str:
    # one statement for both (a round trip less): a value row (0, indicator, year, the
    # organisation's name or NULL, value, note) or a target row (1, indicator, year, NULL,
    # value, ''), each kind in its ORM order
    return (
        "SELECT 0, v.indicator_id, v.year, o.name, v.value, v.note "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(IndicatorValue)} v JOIN {table(Indicator)} i ON i.id = v.indicator_id "
        f"LEFT JOIN {table(Organisation)} o ON o.id = v.organisation_id WHERE i.plan_id = %s "
        "UNION ALL SELECT 1, t.indicator_id, t.year, NULL, t.value, '' "
        f"FROM {table(IndicatorTarget)} t JOIN {table(Indicator)} i ON i.id = t.indicator_id "
        "WHERE i.plan_id = %s ORDER BY 1, 2, 3, 4"
    )


@functools.cache
def _revisions_sql() -> str:
    return (
        f"SELECT p.id, p.status, p.version FROM {table(ActionPlan)} p "  # noqa: S608 - names from model metadata, values are parameters
        f"JOIN {table(County)} c ON c.id = p.county_id WHERE p.supersedes_id = %s "
        "ORDER BY c.code, p.period_start DESC, p.version DESC"
    )


Converter = Callable[[Any, Any, Any], Any]


@functools.cache
def _converters(field: models.Field[Any, Any]) -> tuple[Any, list[Converter]]:
    """The column of ``field`` and the converters the ORM applies to its values (none for most
    fields on PostgreSQL; decimals on SQLite)."""
    col = field.get_col(field.model._meta.db_table)
    return col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)


def _rows(sql: str, plan_id: int, decimal: models.Field[Any, Any] | None, at: int) -> list[Any]:
    """The rows of ``sql`` for the plan, with the value at position ``at`` converted as the
    ORM converts ``decimal``'s values."""
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan_id])
        rows: list[Any] = cursor.fetchall()
    if decimal is not None:
        col, converters = _converters(decimal)
        if converters:
            for i, row in enumerate(rows):
                value = row[at]
                for converter in converters:
                    value = converter(value, col, connection)
                rows[i] = (*row[:at], value, *row[at + 1 :])
    return rows


def goal_rows(plan_id: int) -> list[tuple[Any, ...]]:
    """``Goal.objects.filter(plan=…).order_by("order", "number", "id",
    "national_goals__strategy", "national_goals__number", "sub_goals__order", "sub_goals__id")
    .values_list("id", "number", "title", "description", "national_goals__id",
    "national_goals__number", "national_goals__short_title", "national_goals__title",
    "sub_goals__id", "sub_goals__code", "sub_goals__text")``."""
    return _rows(_goals_sql(), plan_id, None, 0)


def activity_rows(plan_id: int) -> list[tuple[Any, ...]]:
    """``PlannedActivity.objects.filter(sub_goal__goal__plan=…).order_by("sub_goal_id", "order",
    "id", "responsible__county__code", "responsible__name").values_list("id", "sub_goal_id",
    "text", "responsible__name")``."""
    return _rows(_activities_sql(), plan_id, None, 0)


def indicator_rows(plan_id: int) -> list[tuple[Any, ...]]:
    """``Indicator.objects.filter(plan=…).order_by("order", "id", "sub_goals__goal__order",
    "sub_goals__order", "sub_goals__id").values_list("id", "name", "kind", "source", "unit",
    "baseline", "sub_goals__id")``."""
    return _rows(_indicators_sql(), plan_id, Indicator._meta.get_field("baseline"), 5)


def values_and_targets(plan_id: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The plan's indicator values, ``IndicatorValue.objects.filter(indicator__plan=…)
    .order_by("indicator_id", "year", "organisation__name").values_list("indicator_id",
    "year", "organisation__name", "value", "note")``, and targets,
    ``IndicatorTarget.objects.filter(indicator__plan=…).order_by("indicator_id", "year")
    .values_list("indicator_id", "year", "value")``, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_values_and_targets_sql(), [plan_id, plan_id])
        rows = cursor.fetchall()
    values: list[tuple[Any, ...]] = []
    targets: list[tuple[Any, ...]] = []
    value_col, value_converters = _converters(IndicatorValue._meta.get_field("value"))
    target_col, target_converters = _converters(IndicatorTarget._meta.get_field("value"))
    for kind, indicator_id, year, name, value, note in rows:
        if kind == 0:
            for converter in value_converters:
                value = converter(value, value_col, connection)
            values.append((indicator_id, year, name, value, note))
        else:
            for converter in target_converters:
                value = converter(value, target_col, connection)
            targets.append((indicator_id, year, value))
    return values, targets


def revisions(plan_id: int) -> list[dict[str, Any]]:
    """The plans revising the plan (``pk``, ``status``, ``version``) in the plans' order:
    ``plan.superseded_by.values("pk", "status", "version")``."""
    return [
        {"pk": pk, "status": status, "version": version}
        for pk, status, version in _rows(_revisions_sql(), plan_id, None, 0)
    ]


# the plan view's reading of a plan: its header's fields, with its county's code and name
_DETAIL_FIELDS = (
    "id", "county_id", "kind", "title", "period_start", "period_end", "version", "status",
    "adopted_on", "diarienummer", "vision", "purpose", "target_groups",
)  # fmt: skip


@functools.cache
def _in_model_order(model: Any, names: tuple[str, ...]) -> list[str]:
    # Model.from_db takes a subset of the fields' values in the model's order
    return [f.attname for f in model._meta.concrete_fields if f.attname in names]


def _plan_fields() -> list[str]:
    return _in_model_order(ActionPlan, _DETAIL_FIELDS)


def _county_fields() -> list[str]:
    return _in_model_order(County, ("id", "code", "name"))


def _column(model: Any, attname: str) -> str:
    return str(next(f.column for f in model._meta.concrete_fields if f.attname == attname))


@functools.cache
def _detail_sql() -> str:
    columns = ", ".join(
        [f"p.{_q(_column(ActionPlan, f))}" for f in _plan_fields()]
        + [f"c.{_q(_column(County, f))}" for f in _county_fields()]
    )
    return (
        f"SELECT {columns} FROM {table(ActionPlan)} p "  # noqa: S608 - names from model metadata, values are parameters
        f"JOIN {table(County)} c ON c.id = p.county_id WHERE p.id = %s AND c.code = %s"
    )


@functools.cache
def _detail_converters() -> list[tuple[Any, list[Converter]]]:
    fields = [ActionPlan._meta.get_field(f) for f in _plan_fields()]
    fields += [County._meta.get_field(f) for f in _county_fields()]
    return [_converters(f) for f in fields]


def plan_for_detail(pk: int, county_code: str) -> ActionPlan | None:
    """The plan ``pk`` of the county ``county_code`` with only the plan view's fields and its
    county's code and name, or None: ``ActionPlan.objects.select_related("county")
    .only(*_DETAIL_FIELDS, "county__code", "county__name").filter(pk=…, county__code=…)``.

    An id out of the column's range is no plan (as the ORM's lookup has it)."""
    low, high = connection.ops.integer_field_range(ActionPlan._meta.pk.get_internal_type())
    if (low is not None and pk < low) or (high is not None and pk > high):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_detail_sql(), [pk, county_code])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (col, converters) in zip(row, _detail_converters(), strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        values.append(value)
    n = len(_plan_fields())
    plan = ActionPlan.from_db(connection.alias, _plan_fields(), values[:n])
    county = County.from_db(connection.alias, _county_fields(), values[n:])
    plan.county = county
    return plan
