"""The national overview's written-out queries: every miss of the overview reads one county's
row again, and the ORM's compilation of these queries cost more than the queries themselves.
Each is checked against the ORM's reading it replaced by tests/followup/test_national_rounds.py.
Names come from the models' metadata; values are always parameters."""

import functools
from typing import Any

from django.db import connection

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorValue,
    NationalStrategy,
    SubGoal,
)
from agreements.models import Agreement
from followup.models import FollowUpRound, ReportedActivity, StatusReport, Submission
from kvinnofrid.core.sql import table

_AGREEMENT_COLUMNS = ("pk", "county_id", "signed_on", "valid_from", "valid_until")
_PLAN_COLUMNS = (
    "pk",
    "county_id",
    "title",
    "strategy__name",
    "status",
    "period_start",
    "period_end",
)


@functools.cache
def agreements_and_plans_sql() -> str:
    """The counties' agreements (kind 0; by county, newest ``valid_from`` first) and their
    plans other than a status (kind 1; by county, newest period and version first) in one
    statement. The agreements come first: SQLite gives a compound select's columns the types of
    its first (the dates)."""
    return (
        "SELECT 0, a.id, a.county_id, a.signed_on, a.valid_from, a.valid_until, NULL, NULL, "  # noqa: S608 - names from model metadata, values are parameters
        "NULL, NULL, NULL, NULL "
        f"FROM {table(Agreement)} a WHERE a.county_id IN ({{0}}) "
        "UNION ALL SELECT 1, p.id, p.county_id, NULL, NULL, NULL, p.title, s.name, p.status, "
        "p.period_start, p.period_end, p.version "
        f"FROM {table(ActionPlan)} p "
        f"LEFT JOIN {table(NationalStrategy)} s ON s.id = p.strategy_id "
        "WHERE NOT (p.status = %s) AND p.county_id IN ({0}) "
        "ORDER BY 1, 3, 5 DESC, 10 DESC, 12 DESC, 2 DESC"
    )


def agreements_and_plans(
    county_ids: list[int], exclude_status: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The counties' agreements ({"pk", "county_id", "signed_on", "valid_from",
    "valid_until"}, by county, newest first) and their plans not of ``exclude_status`` ({"pk",
    "county_id", "title", "strategy__name", "status", "period_start", "period_end"}, by county,
    newest period and version first): one round trip."""
    if not county_ids:
        return [], []
    ids = ", ".join(["%s"] * len(county_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            agreements_and_plans_sql().format(ids), [*county_ids, exclude_status, *county_ids]
        )
        rows = cursor.fetchall()
    agreements = [dict(zip(_AGREEMENT_COLUMNS, r[1:6], strict=True)) for r in rows if r[0] == 0]
    plans = [
        dict(zip(_PLAN_COLUMNS, (r[1], r[2], *r[6:11]), strict=True)) for r in rows if r[0] == 1
    ]
    return agreements, plans


def dicts(sql: str, params: list[Any], ids: list[int]) -> list[dict[str, Any]]:
    """The rows of ``sql`` as dicts by column name; its ``IN ({})`` takes ``ids``, after
    ``params``."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql.format(", ".join(["%s"] * len(ids))), [*params, *ids])
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@functools.cache
def rounds_sql() -> str:
    rounds, plans = table(FollowUpRound), table(ActionPlan)
    reports, submissions = table(StatusReport), table(Submission)
    return (
        "SELECT r.id, r.year, r.plan_id, p.county_id, r.deadline, "  # noqa: S608 - names from model metadata, values are parameters
        f"(SELECT f.id FROM {reports} f WHERE f.round_id = r.id AND f.status = %s "
        "ORDER BY f.finalised_at DESC, f.id DESC LIMIT 1), "
        "s.id, s.status, s.submitted_at, s.deadline_extended_to "
        f"FROM {rounds} r JOIN {plans} p ON p.id = r.plan_id "
        f"LEFT JOIN {submissions} s ON s.round_id = r.id "
        "WHERE r.year IN (%s, %s) AND p.county_id IN ({}) "
        "ORDER BY p.county_id, r.year, p.version DESC, r.id DESC"
    )


@functools.cache
def reported_activities_sql() -> str:
    q = connection.ops.quote_name
    linked, national = ReportedActivity.sub_goals.field, Goal.national_goals.field
    ra, sg = q(linked.m2m_column_name()), q(linked.m2m_reverse_name())
    goal, ng = q(national.m2m_column_name()), q(national.m2m_reverse_name())
    links = table(ReportedActivity.sub_goals.through)
    goal_links = table(Goal.national_goals.through)
    return (
        f"SELECT DISTINCT s.round_id, a.id, l.{sg}, g.plan_id, n.{ng} "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(ReportedActivity)} a "
        f"JOIN {table(Submission)} s ON s.id = a.submission_id "
        f"LEFT JOIN {links} l ON l.{ra} = a.id "
        f"LEFT JOIN {table(SubGoal)} sg ON sg.id = l.{sg} "
        f"LEFT JOIN {table(Goal)} g ON g.id = sg.goal_id "
        f"LEFT JOIN {goal_links} n ON n.{goal} = g.id "
        "WHERE s.status IN (%s, %s) AND s.round_id IN ({})"
    )


@functools.cache
def goal_links_sql() -> str:
    """(plan id, goal id, national goal id) of the plans' goal links."""
    q = connection.ops.quote_name
    national = Goal.national_goals.field
    goal, ng = q(national.m2m_column_name()), q(national.m2m_reverse_name())
    return (
        f"SELECT g.plan_id, l.{goal}, l.{ng} "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(Goal.national_goals.through)} l "
        f"JOIN {table(Goal)} g ON g.id = l.{goal} WHERE g.plan_id IN ({{}})"
    )


@functools.cache
def sub_goal_plans_sql() -> str:
    """The plan id of each delmål of the plans (and two NULLs, the columns of
    ``goal_links_sql``)."""
    return (
        f"SELECT g.plan_id, NULL, NULL FROM {table(SubGoal)} s "  # noqa: S608 - names from model metadata, values are parameters
        f"JOIN {table(Goal)} g ON g.id = s.goal_id WHERE g.plan_id IN ({{}})"
    )


def plan_links(plan_ids: list[int]) -> tuple[list[tuple[int, int, int]], list[int]]:
    """The plans' (plan id, goal id, national goal id) goal links and the plan id of each of
    their delmål: ``goal_links_sql`` and ``sub_goal_plans_sql`` in one statement (one round
    trip), told apart by the goal id (never NULL in a link)."""
    if not plan_ids:
        return [], []
    ids = ", ".join(["%s"] * len(plan_ids))
    sql = f"{goal_links_sql()} UNION ALL {sub_goal_plans_sql()}".format(ids, ids)
    links: list[tuple[int, int, int]] = []
    delmal: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [*plan_ids, *plan_ids])
        for plan_id, goal_id, national_goal_id in cursor.fetchall():
            if goal_id is None:
                delmal.append(plan_id)
            else:
                links.append((plan_id, goal_id, national_goal_id))
    return links, delmal


def tuples(sql: str, ids: list[int]) -> list[tuple[Any, ...]]:
    """The rows of ``sql``, whose ``IN ({})`` takes ``ids``."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql.format(", ".join(["%s"] * len(ids))), ids)
        return list(cursor.fetchall())


@functools.cache
def _indicator_values_sql() -> str:
    q = connection.ops.quote_name
    return (
        "SELECT v.indicator_id, i.plan_id AS indicator__plan_id, i.name AS indicator__name, "  # noqa: S608 - names from model metadata, values are parameters
        "i.unit AS indicator__unit, v.organisation_id, v.value "
        f"FROM {table(IndicatorValue)} v "
        f"JOIN {table(Indicator)} i ON i.id = v.indicator_id "
        "WHERE v.year = %s AND i.plan_id IN ({}) "
        f"ORDER BY i.plan_id, i.{q('order')}, v.indicator_id"
    )


def indicator_values(year: int, plan_ids: list[int]) -> list[dict[str, Any]]:
    """The plans' indicator values of ``year`` ({"indicator_id", "indicator__plan_id",
    "indicator__name", "indicator__unit", "organisation_id", "value"}), in the plans' and the
    indicators' order; ``value`` converted as the ORM converts it (a Decimal of the field's
    places, also on SQLite)."""
    rows = dicts(_indicator_values_sql(), [year], plan_ids)
    col = IndicatorValue._meta.get_field("value").cached_col
    converters = connection.ops.get_db_converters(col) + col.field.get_db_converters(connection)
    for row in rows:
        for convert in converters:
            row["value"] = convert(row["value"], col, connection)
    return rows


@functools.cache
def round_years_sql() -> str:
    """The years with a round anywhere, newest first."""
    rounds = table(FollowUpRound)
    return f"SELECT DISTINCT year FROM {rounds} ORDER BY year DESC"  # noqa: S608 - names from model metadata
