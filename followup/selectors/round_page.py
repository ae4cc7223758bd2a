"""The response overview's round and its lägesrapporter: one written-out query.

Built with the ORM, the round with its plan and county (``select_related``, every column of the
three tables) and the round's reports are two queries whose compilation costs more CPU than
their execution, on every view of the page, cached fragment or not. Written out they are one
query reading only what the page shows. tests/followup/test_round_page.py checks it against the
ORM's reading."""

import functools
from dataclasses import dataclass

from django.db import connection

from actionplans.models import ActionPlan
from followup.models import FollowUpRound, StatusReport
from followup.selectors.form import table
from kvinnofrid.directory.models import County

# what the page reads of each model (round_overview: the round's year, deadline, plan and county;
# the templates: title, status, dates, the plan as text, the county's code and name)
ROUND_FIELDS = ("id", "plan_id", "year", "title", "opens_on", "deadline", "status")
PLAN_FIELDS = ("id", "county_id", "title", "period_start", "period_end")
COUNTY_FIELDS = ("id", "code", "name")


@dataclass(frozen=True)
class ReportLink:
    """A lägesrapport as the overview links to it."""

    pk: int
    status: str
    title: str


@functools.cache
def _round_page_sql() -> str:
    columns = ", ".join(
        [f"r.{f}" for f in ROUND_FIELDS]
        + [f"p.{f}" for f in PLAN_FIELDS[1:]]
        + [f"c.{f}" for f in COUNTY_FIELDS[1:]]
        + ["sr.id", "sr.status", "sr.title"]
    )
    return (
        f"SELECT {columns} FROM {table(FollowUpRound)} r "  # noqa: S608 - names from model metadata, values are parameters
        f"JOIN {table(ActionPlan)} p ON p.id = r.plan_id "
        f"JOIN {table(County)} c ON c.id = p.county_id "
        f"LEFT JOIN {table(StatusReport)} sr ON sr.round_id = r.id "
        "WHERE r.id = %s ORDER BY sr.finalised_at DESC, sr.id DESC"
    )


def round_page(*, round_id: int) -> tuple[FollowUpRound, list[ReportLink]] | None:
    """The round (only the fields above, with its plan and county, likewise) and its reports
    newest first (``order_by("-finalised_at", "-id")``), in one query; None if there is no such
    round. The caller checks that the user may see the round's county."""
    with connection.cursor() as cursor:
        cursor.execute(_round_page_sql(), [round_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    first = rows[0]
    n_round, n_plan = len(ROUND_FIELDS), len(PLAN_FIELDS) - 1
    round_ = FollowUpRound.from_db(connection.alias, ROUND_FIELDS, first[:n_round])
    plan_values = (first[1], *first[n_round : n_round + n_plan])
    plan = ActionPlan.from_db(connection.alias, PLAN_FIELDS, plan_values)
    county_values = (plan_values[1], *first[n_round + n_plan : n_round + n_plan + 2])
    plan.county = County.from_db(connection.alias, COUNTY_FIELDS, county_values)
    round_.plan = plan
    reports = [ReportLink(pk, status, title) for *_r, pk, status, title in rows if pk is not None]
    return round_, reports
