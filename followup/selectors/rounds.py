"""Reads of rounds for the follow-up pages: response figures, the response overview, the index
and the start page's panel. Return plain data, never lazy querysets."""

import functools
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from actionplans.models import ActionPlan, Goal, SubGoal
from followup.models import (
    FollowUpRound,
    ReportedActivity,
    Submission,
)
from followup.reminder_log import kind_label
from followup.selectors.round_page import round_submissions
from kvinnofrid.core.sql import m2m_columns, table
from kvinnofrid.directory.models import OrganisationKind

SUBMITTED_STATUSES = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    invited: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0


@dataclass(frozen=True)
class RoundSummary:
    """Response figures of one round, the shape of DESIGN §9's ``summary``."""

    year: int
    invited: int
    submitted: int
    on_time: int
    late: int
    by_kind: list[KindCount] = field(default_factory=list)
    previous_year: int | None = None
    previous_year_submitted: int | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used by ``export_round``."""
        return {
            "invited": self.invited,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "late": self.late,
            "by_kind": {
                k.kind: {"invited": k.invited, "submitted": k.submitted} for k in self.by_kind
            },
            "previous_year_submitted": self.previous_year_submitted,
        }


def previous_round(*, round_: FollowUpRound) -> FollowUpRound | None:
    """The same county's round of the year before (any plan version), if there was one."""
    return (
        FollowUpRound.objects.filter(plan__county_id=round_.plan.county_id, year=round_.year - 1)
        .order_by("-id")
        .first()
    )


def submitted_count(*, round_id: int) -> int:
    return Submission.objects.filter(round_id=round_id, status__in=SUBMITTED_STATUSES).count()


def round_summary(*, round_id: int, round_: FollowUpRound | None = None) -> RoundSummary:
    """Invited, submitted (submitted or accepted), on time vs late, by actor kind, and the
    previous year's submitted count, in two queries (three without ``round_``, the round with
    its plan)."""
    if round_ is None:
        round_ = FollowUpRound.objects.select_related("plan").get(pk=round_id)
    submissions = Submission.objects.filter(round_id=round_.pk).values_list(
        "status", "submitted_at", "deadline_extended_to", "organisation__kind"
    )
    return _summarise(round_, list(submissions), previous_statuses(round_=round_))


@functools.cache
def _previous_statuses_sql() -> str:
    return (
        "SELECT r.id, s.organisation_id, s.status "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(FollowUpRound)} r JOIN {table(ActionPlan)} p ON p.id = r.plan_id "
        f"LEFT JOIN {table(Submission)} s ON s.round_id = r.id "
        "WHERE p.county_id = %s AND r.year = %s"
    )


def previous_statuses(*, round_: FollowUpRound) -> dict[int, str] | None:
    """The submissions' statuses by organisation id in the county's round of the year before
    (the newest, if several), in one written-out query (every response overview and start page
    reads it; tests/followup/test_coverage.py checks it against the ORM); None when there was
    no such round."""
    with connection.cursor() as cursor:
        cursor.execute(_previous_statuses_sql(), [round_.plan.county_id, round_.year - 1])
        rows = cursor.fetchall()
    if not rows:
        return None
    newest = max(row[0] for row in rows)
    return {org: status for rid, org, status in rows if rid == newest and org is not None}


def _summarise(
    round_: FollowUpRound, submissions: list[tuple[Any, ...]], previous: dict[int, str] | None
) -> RoundSummary:
    """The figures of ``submissions``: (status, submitted_at, deadline_extended_to, kind)."""
    submitted = on_time = 0
    kinds: dict[str, list[int]] = {}
    for status, submitted_at, extended_to, kind in submissions:
        counts = kinds.setdefault(kind, [0, 0])
        counts[0] += 1
        if status in SUBMITTED_STATUSES:
            submitted += 1
            counts[1] += 1
            deadline = max(filter(None, [round_.deadline, extended_to]))
            if submitted_at is None or timezone.localdate(submitted_at) <= deadline:
                on_time += 1
    labels = dict(OrganisationKind.choices)
    order = [k for k, _label in OrganisationKind.choices]
    by_kind = [
        KindCount(kind=k, label=str(labels.get(k, k)), invited=v[0], submitted=v[1])
        for k, v in sorted(
            kinds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
        )
    ]
    prev = None
    if previous is not None:
        prev = sum(1 for status in previous.values() if status in SUBMITTED_STATUSES)
    return RoundSummary(
        year=round_.year,
        invited=len(submissions),
        submitted=submitted,
        on_time=on_time,
        late=submitted - on_time,
        by_kind=by_kind,
        previous_year=round_.year - 1 if prev is not None else None,
        previous_year_submitted=prev,
    )


# --- pages of issue 4 ---------------------------------------------------------------------------


def round_years_visible_to(*, user: Any) -> list[int]:
    """The years of the rounds the user may see, newest first."""
    return list(
        FollowUpRound.objects.visible_to(user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def reporter_submissions(*, user: Any) -> list[Submission]:
    """The submissions of the user's own organisations (reporter role) in rounds past draft."""
    org_ids = user.reporter_organisation_ids() if getattr(user, "is_authenticated", False) else []
    if not org_ids:
        return []  # no query to build: most who open the page report for no organisation
    return list(
        Submission.objects.filter(organisation_id__in=org_ids)
        .exclude(round__status=FollowUpRound.Status.DRAFT)
        .select_related("round__plan__county", "organisation")
        .order_by("-round__year", "organisation__name")
    )


@dataclass
class ActorRow:
    submission_id: int
    organisation: str
    kind: str
    status: str
    status_label: str
    submitted_at: Any
    deadline: Any
    late: bool
    flagged: bool
    activity_count: int
    previous_status: str | None
    # the e-mails that went out to the actor: (kind label, sent at, number of recipients)
    reminders: list[tuple[str, Any, int]] = field(default_factory=list)
    may_remind: bool = False
    diarienummer: str = ""


@dataclass
class RoundOverview:
    round: FollowUpRound
    summary: RoundSummary
    rows: list[ActorRow]
    matrix_columns: list[str]
    matrix_rows: list[tuple[Any, list[int]]]
    goal_coverage: list[tuple[Any, int, int]]


def round_overview(*, round_id: int, round_: FollowUpRound | None = None) -> RoundOverview:
    """The response overview: summary (see :func:`round_summary`), one row per invited actor
    with last year's status beside it, and the delmål × actor coverage matrix (activities of
    submitted and accepted submissions). Three queries whatever the round's size (four without
    ``round_``, the round with its plan and county); each reads only the columns shown."""

    if round_ is None:
        round_ = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)
    round_id = round_.pk
    # the submissions and their e-mails: one written-out query (followup.selectors.round_page)
    submissions, logged = round_submissions(round_id=round_id)
    prev_status = previous_statuses(round_=round_)
    summary = _summarise(round_, [(s[4], s[5], s[6], s[3]) for s in submissions], prev_status)
    prev_status = prev_status or {}
    labels = {value: str(label) for value, label in Submission.Status.choices}
    kinds = {value: str(label) for value, label in OrganisationKind.choices}
    reminders = _label_reminders(logged)
    rows = []
    columns = []
    for pk, org_id, name, kind, status, submitted_at, extended_to, flagged, dnr, n in submissions:
        deadline = max(filter(None, [round_.deadline, extended_to]))
        submitted = status in SUBMITTED_STATUSES
        rows.append(
            ActorRow(
                submission_id=pk,
                organisation=name,
                kind=kinds.get(kind, kind),
                status=status,
                status_label=labels[status],
                submitted_at=submitted_at,
                deadline=deadline,
                # Submission.is_late, on the columns read here
                late=bool(submitted and submitted_at)
                and timezone.localdate(submitted_at) > deadline,
                flagged=flagged,
                activity_count=n,
                previous_status=labels[prev_status[org_id]] if org_id in prev_status else None,
                reminders=reminders.get(pk, []),
                may_remind=not submitted,
                diarienummer=dnr,
            )
        )
        if submitted:
            columns.append((org_id, name))
    matrix_rows, goal_coverage = _coverage(round_, [oid for oid, _name in columns])
    return RoundOverview(
        round=round_,
        summary=summary,
        rows=rows,
        matrix_columns=[name for _oid, name in columns],
        matrix_rows=matrix_rows,
        goal_coverage=goal_coverage,
    )


def _label_reminders(
    logged: dict[int, list[tuple[str, Any, str]]],
) -> dict[int, list[tuple[str, Any, int]]]:
    """Per submission, the e-mails logged for it (oldest first), labelled, with their number of
    recipients."""
    labels: dict[str, str] = {}
    found: dict[int, list[tuple[str, Any, int]]] = {}
    for submission_id, logs in logged.items():
        rows = found[submission_id] = []
        for kind, sent_at, recipients in logs:
            label = labels.get(kind)
            if label is None:
                label = labels[kind] = kind_label(kind)
            # ReminderLog.recipient_count, on the column read here
            rows.append((label, sent_at, len([r for r in recipients.split(",") if r.strip()])))
    return found


@dataclass(frozen=True)
class CoverageGoal:
    """A goal as the coverage list shows it."""

    number: Any


@dataclass(frozen=True)
class CoverageSubGoal:
    """A delmål as the coverage matrix shows it."""

    pk: int
    goal_id: int
    code: str
    text: str


# --- the coverage matrix's figures: one written-out query ----------------------------------------
# Built with the ORM, the delmål and the counts per delmål and organisation are two queries that
# cost more CPU to build than to run; written out they are one. tests/followup/test_coverage.py
# checks it against the ORM's reading.


@functools.cache
def _coverage_sql() -> str:
    order = connection.ops.quote_name("order")
    link, activity_col, sub_col = m2m_columns(ReportedActivity, "sub_goals")
    return (
        "SELECT s.id, s.goal_id, s.code, s.text, g.number, c.org, c.n "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(SubGoal)} s JOIN {table(Goal)} g ON g.id = s.goal_id LEFT JOIN ("
        f"SELECT l.{sub_col} AS sg, x.organisation_id AS org, COUNT(l.id) AS n FROM {link} l "
        f"JOIN {table(ReportedActivity)} a ON a.id = l.{activity_col} "
        f"JOIN {table(Submission)} x ON x.id = a.submission_id "
        "WHERE x.round_id = %s AND x.status IN (%s, %s) "
        f"GROUP BY l.{sub_col}, x.organisation_id) c ON c.sg = s.id "
        f"WHERE g.plan_id = %s ORDER BY g.{order}, g.number, s.{order}, s.id"
    )


def coverage_counts(
    *, plan_id: int, round_id: int
) -> tuple[list[tuple[int, int, str, str, int]], dict[tuple[int, int], int]]:
    """The plan's delmål in plan order, (id, goal id, code, text, goal number), and the number
    of their links to activities of the round's submitted and accepted submissions, by (delmål
    id, organisation id), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_coverage_sql(), [round_id, *SUBMITTED_STATUSES, plan_id])
        rows = cursor.fetchall()
    sub_goals: list[tuple[int, int, str, str, int]] = []
    counts: dict[tuple[int, int], int] = {}
    for pk, goal_id, code, text, number, org, n in rows:
        if not sub_goals or sub_goals[-1][0] != pk:
            sub_goals.append((pk, goal_id, code, text, number))
        if org is not None:
            counts[(pk, org)] = n
    return sub_goals, counts


def _coverage(
    round_: FollowUpRound, organisation_ids: list[int]
) -> tuple[list[tuple[Any, list[int]]], list[tuple[Any, int, int]]]:
    """The delmål × actor matrix (activities of submitted and accepted submissions, one column
    per organisation in ``organisation_ids``) and, per goal, its delmål covered and in all."""

    sub_goals, counts = coverage_counts(plan_id=round_.plan_id, round_id=round_.pk)
    matrix_rows: list[tuple[Any, list[int]]] = []
    per_goal: dict[int, list[Any]] = {}
    for pk, goal_id, code, text, number in sub_goals:
        values = [counts.get((pk, oid), 0) for oid in organisation_ids]
        matrix_rows.append((CoverageSubGoal(pk, goal_id, code, text), values))
        entry = per_goal.setdefault(goal_id, [CoverageGoal(number), 0, 0])
        entry[2] += 1
        if any(values):
            entry[1] += 1
    return matrix_rows, [tuple(v) for v in per_goal.values()]


@dataclass(frozen=True)
class Responses:
    """How many actors a round invited and how many have submitted (or been accepted)."""

    invited: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0


@functools.cache
def _county_current_round_sql() -> str:
    return (
        f"SELECT {', '.join('r.' + name for name in _panel_fields())}, COUNT(s.id), "  # noqa: S608 - names from model metadata, values are parameters
        "COUNT(CASE WHEN s.status IN (%s, %s) THEN 1 END) "
        f"FROM {table(FollowUpRound)} r JOIN {table(ActionPlan)} p ON p.id = r.plan_id "
        f"LEFT JOIN {table(Submission)} s ON s.round_id = r.id WHERE p.county_id = %s "
        "GROUP BY r.id, r.title, r.status, r.deadline, r.year ORDER BY r.year DESC, r.id DESC "
        "LIMIT 1"
    )


def county_current_round(*, county_id: int) -> tuple[FollowUpRound, Responses] | None:
    """The county's newest round (any plan) and its response figures, for the start-page
    panel, in one written-out query (every miss of the start page reads it, and the ORM's
    compilation of the counting annotation cost more than the query;
    tests/followup/test_panel_reader.py checks it against the ORM). The round carries only what
    the panel shows: its title, status and deadline."""
    with connection.cursor() as cursor:
        cursor.execute(_county_current_round_sql(), [*SUBMITTED_STATUSES, county_id])
        row = cursor.fetchone()
    if row is None:
        return None
    fields = _panel_fields()
    round_ = FollowUpRound.from_db(connection.alias, fields, row[: len(fields)])
    return round_, Responses(invited=row[-2], submitted=row[-1])


@functools.cache
def _panel_fields() -> list[str]:
    """The columns the panel shows, in the model's order (``from_db`` reads them so)."""
    shown = {"id", "title", "status", "deadline"}
    return [f.attname for f in FollowUpRound._meta.concrete_fields if f.attname in shown]
