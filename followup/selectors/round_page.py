"""The response overview's written-out readers: the round with its plan, county and
lägesrapporter; the actor table's submissions with their e-mails.

Built with the ORM, the round with its plan and county (``select_related``, every column of the
three tables) and the round's reports are two queries whose compilation costs more CPU than
their execution, on every view of the page, cached fragment or not. Written out they are one
query reading only what the page shows. tests/followup/test_round_page.py checks both readers
against the ORM's reading."""

import datetime
import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from actionplans.models import ActionPlan
from followup.models import FollowUpRound, ReminderLog, ReportedActivity, StatusReport, Submission
from kvinnofrid.core.sql import table
from kvinnofrid.directory.models import County, Organisation

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


# --- the actor table: the round's submissions with their activity counts and e-mails ------------
# Built with the ORM, the submissions (joined to the organisation, their activities counted) and
# the e-mails logged for them are two queries that cost more CPU to build than to run; written
# out they are one. tests/followup/test_round_page.py checks it against the ORM's reading.


@functools.cache
def _round_submissions_sql() -> str:
    return (
        "SELECT s.id, s.organisation_id, o.name, o.kind, s.status, s.submitted_at, "  # noqa: S608 - names from model metadata, values are parameters
        "s.deadline_extended_to, s.personal_data_flagged, s.diarienummer, "
        f"(SELECT COUNT(*) FROM {table(ReportedActivity)} a WHERE a.submission_id = s.id), "
        f"l.kind, l.sent_at, l.recipients FROM {table(Submission)} s "
        f"JOIN {table(Organisation)} o ON o.id = s.organisation_id "
        f"LEFT JOIN {table(ReminderLog)} l ON l.submission_id = s.id "
        "WHERE s.round_id = %s ORDER BY o.name, s.id, l.sent_at, l.id"
    )


def _aware(value: datetime.datetime | None) -> datetime.datetime | None:
    """A datetime as the ORM gives it (SQLite hands back naive ones, in the connection's zone)."""
    if value is not None and settings.USE_TZ and timezone.is_naive(value):
        return timezone.make_aware(value, connection.timezone)
    return value


def round_submissions(
    *, round_id: int
) -> tuple[list[tuple[Any, ...]], dict[int, list[tuple[str, Any, str]]]]:
    """The round's submissions by organisation name, (id, organisation id, organisation name,
    organisation kind, status, submitted at, deadline extended to, personal data flagged,
    diarienummer, number of activities), and the e-mails logged for each, (kind, sent at,
    recipients) oldest first, by submission id, in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_round_submissions_sql(), [round_id])
        rows = cursor.fetchall()
    submissions: list[tuple[Any, ...]] = []
    reminders: dict[int, list[tuple[str, Any, str]]] = {}
    for row in rows:
        pk = row[0]
        if not submissions or submissions[-1][0] != pk:
            submissions.append((*row[:5], _aware(row[5]), *row[6:10]))
        if row[10] is not None:
            reminders.setdefault(pk, []).append((row[10], _aware(row[11]), row[12]))
    return submissions, reminders
