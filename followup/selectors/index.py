"""The follow-up index's rounds: one written-out query (every miss of the index reads it, and
the ORM's compilation of the joins and the counting annotations cost more than the query;
tests/followup/test_index_rounds.py checks it against the ORM's reading)."""

import functools
from typing import Any

from django.db import connection

from actionplans.models import ActionPlan
from followup.models import FollowUpRound, Submission
from followup.selectors.rounds import SUBMITTED_STATUSES
from kvinnofrid.core.sql import table
from kvinnofrid.directory.models import County
from kvinnofrid.directory.scopes import visible_county_ids

# what the index shows, in each model's field order (``from_db`` reads them so)
_ROUND = ("id", "plan_id", "year", "title", "status")
_PLAN = ("id", "county_id")
_COUNTY = ("id", "code", "name")


@functools.cache
def _fields(model: Any, shown: tuple[str, ...]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname in shown]


@functools.cache
def _sql(with_year: bool, n_counties: int | None) -> str:
    columns = [f"r.{c}" for c in _fields(FollowUpRound, _ROUND)]
    columns += [f"p.{c}" for c in _fields(ActionPlan, _PLAN)]
    columns += [f"c.{c}" for c in _fields(County, _COUNTY)]
    where = ["1 = 1"]
    if with_year:
        where.append("r.year = %s")
    if n_counties is not None:
        where.append(f"p.county_id IN ({', '.join(['%s'] * n_counties)})")
    return (
        f"SELECT {', '.join(columns)}, COUNT(s.id), "  # noqa: S608 - names from model metadata, values are parameters
        "COUNT(CASE WHEN s.status IN (%s, %s) THEN 1 END) "
        f"FROM {table(FollowUpRound)} r JOIN {table(ActionPlan)} p ON p.id = r.plan_id "
        f"JOIN {table(County)} c ON c.id = p.county_id "
        f"LEFT JOIN {table(Submission)} s ON s.round_id = r.id WHERE {' AND '.join(where)} "
        f"GROUP BY {', '.join(columns)} ORDER BY r.year DESC, c.code, r.id DESC"
    )


def rounds_visible_to(*, user: Any, year: int | None = None) -> list[FollowUpRound]:
    """Rounds of the counties the user may see (of ``year`` if given), newest first, with
    their response counts (``n_invited``, ``n_submitted``), in one query. Only what the list
    shows is read: the round's title, year and status, its plan's county (id, code and name),
    as ``select_related("plan__county").only(...)`` would."""
    ids = visible_county_ids(user)
    if ids is not None and not ids:
        return []
    params: list[Any] = [*SUBMITTED_STATUSES]
    if year is not None:
        params.append(year)
    if ids is not None:
        params += sorted(ids)
    with connection.cursor() as cursor:
        cursor.execute(_sql(year is not None, None if ids is None else len(ids)), params)
        rows = cursor.fetchall()
    round_fields = _fields(FollowUpRound, _ROUND)
    plan_fields, county_fields = _fields(ActionPlan, _PLAN), _fields(County, _COUNTY)
    a, b = len(round_fields), len(round_fields) + len(plan_fields)
    c = b + len(county_fields)
    alias = connection.alias
    rounds = []
    for row in rows:
        round_ = FollowUpRound.from_db(alias, round_fields, row[:a])
        plan = ActionPlan.from_db(alias, plan_fields, row[a:b])
        county = County.from_db(alias, county_fields, row[b:c])
        ActionPlan.county.field.set_cached_value(plan, county)
        FollowUpRound.plan.field.set_cached_value(round_, plan)
        round_.n_invited, round_.n_submitted = row[c], row[c + 1]  # type: ignore[attr-defined]
        rounds.append(round_)
    return rounds
