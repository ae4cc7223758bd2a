"""Non-trivial reads for the follow-up. Return plain data, never lazy querysets."""

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from actionplans.models import Goal, Indicator, SubGoal
from followup.models import (
    Answer,
    FollowUpRound,
    IndicatorAnswer,
    Question,
    ReportedActivity,
    Submission,
)

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


def previous_statuses(*, round_: FollowUpRound) -> dict[int, str] | None:
    """The submissions' statuses by organisation id in the county's round of the year before
    (the newest, if several), in one query; None when there was no such round."""
    rows = FollowUpRound.objects.filter(
        plan__county_id=round_.plan.county_id, year=round_.year - 1
    ).values_list("id", "submissions__organisation_id", "submissions__status")
    rows = list(rows)
    if not rows:
        return None
    newest = max(row[0] for row in rows)
    return {org: status for rid, org, status in rows if rid == newest and org is not None}


def _summarise(
    round_: FollowUpRound, submissions: list[tuple[Any, ...]], previous: dict[int, str] | None
) -> RoundSummary:
    """The figures of ``submissions``: (status, submitted_at, deadline_extended_to, kind)."""
    from agreements.models import OrganisationKind

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


def rounds_visible_to(*, user: Any) -> list[FollowUpRound]:
    """Rounds of the counties the user may see, newest first, with their response counts."""
    return list(
        FollowUpRound.objects.visible_to(user)
        .select_related("plan__county")
        .annotate(
            n_invited=Count("submissions", distinct=True),
            n_submitted=Count(
                "submissions",
                filter=Q(submissions__status__in=SUBMITTED_STATUSES),
                distinct=True,
            ),
        )
        .order_by("-year", "plan__county__code")
    )


def reporter_submissions(*, user: Any) -> list[Submission]:
    """The submissions of the user's own organisations (reporter role) in rounds past draft."""
    org_ids = user.reporter_organisation_ids() if getattr(user, "is_authenticated", False) else []
    return list(
        Submission.objects.filter(organisation_id__in=org_ids)
        .exclude(round__status=FollowUpRound.Status.DRAFT)
        .select_related("round__plan__county", "organisation")
        .order_by("-round__year", "organisation__name")
    )


@dataclass
class SubmissionFormData:
    questions: list[Any]
    answers: dict[int, Any]
    indicators: list[Any]
    indicator_answers: dict[int, Any]
    activities: list[Any]


# --- the form's questions and indicators with the saved answers: hand-written SQL ----------------
# Every reporter opens the form, and every save and submit reads what is saved. Built with the
# ORM (a FilteredRelation join), these queries cost about ten times more CPU to build than to
# run; written out (model rows through ``raw()``), they cost a fraction of a millisecond.
# tests/followup/test_services.py checks them against the ORM's reading.


def table(model: Any) -> str:
    """The quoted table name of ``model`` (for the written-out joins below)."""
    return connection.ops.quote_name(model._meta.db_table)


def m2m_columns(model: Any, name: str) -> tuple[str, str, str]:
    """(through table, column of ``model``, column of the other side) of an m2m field."""
    f = model._meta.get_field(name)
    return table(f.remote_field.through), f.m2m_column_name(), f.m2m_reverse_name()


@functools.cache
def _questions_with_answers_sql() -> str:
    order = connection.ops.quote_name("order")
    return (
        "SELECT q.*, a.id AS answer_pk, a.text AS answer_text, a.number AS answer_number, "  # noqa: S608 - names from model metadata, values are parameters
        f"a.choice AS answer_choice FROM {table(Question)} q LEFT JOIN {table(Answer)} a "
        "ON a.question_id = q.id AND a.submission_id = %s "
        f"WHERE q.round_id = %s ORDER BY q.{order}, q.id"
    )


@functools.cache
def _indicators_with_answers_sql() -> str:
    order = connection.ops.quote_name("order")
    return (
        "SELECT i.*, v.id AS answer_pk, v.value AS answer_value, v.note AS answer_note "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(Indicator)} i LEFT JOIN {table(IndicatorAnswer)} v "
        "ON v.indicator_id = i.id AND v.submission_id = %s "
        f"WHERE i.plan_id = %s AND i.kind = %s ORDER BY i.{order}, i.id"
    )


def questions_with_answers(*, submission: Submission) -> tuple[list[Question], dict[int, Answer]]:
    """The round's questions in order and the submission's saved answers by question id, in one
    query. The answers carry what the form shows and a save compares (text, number, choice);
    save them with ``update_fields``."""
    questions = list(
        Question.objects.raw(_questions_with_answers_sql(), [submission.pk, submission.round_id])
    )
    answers = {
        q.pk: Answer(
            pk=q.answer_pk,
            submission=submission,
            question=q,
            text=q.answer_text,
            number=_decimal_or_none(q.answer_number, Answer._meta.get_field("number")),
            choice=q.answer_choice,
        )
        for q in questions
        if q.answer_pk is not None
    }
    return questions, answers


def indicators_with_answers(
    *, submission: Submission
) -> tuple[list[Indicator], dict[int, IndicatorAnswer]]:
    """The plan's quantitative indicators in order and the submission's values by indicator id,
    in one query (value and note; save them with ``update_fields``)."""
    indicators = list(
        Indicator.objects.raw(
            _indicators_with_answers_sql(),
            [submission.pk, submission.round.plan_id, Indicator.Kind.QUANTITATIVE.value],
        )
    )
    answers = {
        ind.pk: IndicatorAnswer(
            pk=ind.answer_pk,
            submission=submission,
            indicator=ind,
            value=_decimal_or_none(ind.answer_value, IndicatorAnswer._meta.get_field("value")),
            note=ind.answer_note,
        )
        for ind in indicators
        if ind.answer_pk is not None
    }
    return indicators, answers


def _decimal_or_none(value: Any, field: Any) -> Decimal | None:
    """A saved decimal of ``field`` as the ORM would give it (SQLite hands back floats)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-field.decimal_places))


def submission_form_data(*, submission: Submission, light: bool = False) -> SubmissionFormData:
    """What the actor's form and the read-only submission show, in three queries: the round's
    questions and answers, the quantitative indicators and their values, and the reported
    activities with their delmål (:func:`reported_activities`). ``light`` loads only the
    questions and indicators (a save needs only the form's fields). The plan's goals and delmål
    come from :func:`plan_outline`."""
    if light:  # plain queries: cheaper to build than the ones that join the answers
        questions = list(
            Question.objects.filter(round_id=submission.round_id).order_by("order", "id")
        )
        indicators = list(
            Indicator.objects.filter(
                plan_id=submission.round.plan_id, kind=Indicator.Kind.QUANTITATIVE
            ).order_by("order", "id")
        )
        return SubmissionFormData(questions, {}, indicators, {}, [])
    questions, answers = questions_with_answers(submission=submission)
    indicators, indicator_answers = indicators_with_answers(submission=submission)
    return SubmissionFormData(
        questions,
        answers,
        indicators,
        indicator_answers,
        reported_activities(submission_id=submission.pk),
    )


# --- goals with delmål, activities with delmål: one written-out join each -----------------------
# The ORM's prefetch (two queries, plus building both) cost about 3 ms of CPU per list; one join
# read through ``raw()`` and grouped here costs a tenth of that. The delmål come as SubGoal rows
# holding id, goal, code, text and order, in ``goal.outline_sub_goals`` and
# ``activity.tagged_sub_goals``. tests/followup/test_form_readers.py checks them against the ORM.


@functools.cache
def _plan_outline_sql() -> str:
    order = connection.ops.quote_name("order")
    return (
        "SELECT g.*, s.id AS sub_pk, s.code AS sub_code, s.text AS sub_text, "  # noqa: S608 - names from model metadata, values are parameters
        f"s.{order} AS sub_order FROM {table(Goal)} g "
        f"LEFT JOIN {table(SubGoal)} s ON s.goal_id = g.id "
        f"WHERE g.plan_id = %s ORDER BY g.{order}, g.number, g.id, s.{order}, s.id"
    )


@functools.cache
def _reported_activities_sql() -> str:
    order = connection.ops.quote_name("order")
    link, activity_col, sub_col = m2m_columns(ReportedActivity, "sub_goals")
    return (
        "SELECT a.*, s.id AS sub_pk, s.goal_id AS sub_goal_id, s.code AS sub_code, "  # noqa: S608 - names from model metadata, values are parameters
        f"s.text AS sub_text, s.{order} AS sub_order FROM {table(ReportedActivity)} a "
        f"LEFT JOIN {link} l ON l.{activity_col} = a.id "
        f"LEFT JOIN {table(SubGoal)} s ON s.id = l.{sub_col} "
        f"LEFT JOIN {table(Goal)} g ON g.id = s.goal_id "
        f"WHERE a.submission_id = %s "
        f"ORDER BY a.{order}, a.id, g.{order}, g.number, s.{order}, s.id"
    )


def _sub_goal(row: Any, goal_id: int) -> SubGoal:
    return SubGoal(
        pk=row.sub_pk, goal_id=goal_id, code=row.sub_code, text=row.sub_text, order=row.sub_order
    )


def plan_outline(*, plan_id: int) -> list[Goal]:
    """The plan's goals in order, each with its delmål in order (``outline_sub_goals``)."""
    goals: dict[int, Goal] = {}
    for row in Goal.objects.raw(_plan_outline_sql(), [plan_id]):
        goal = goals.get(row.pk)
        if goal is None:
            goal = goals[row.pk] = row
            goal.outline_sub_goals = []
        if row.sub_pk is not None:
            goal.outline_sub_goals.append(_sub_goal(row, row.pk))
    return list(goals.values())


def reported_activities(*, submission_id: int) -> list[ReportedActivity]:
    """A submission's reported activities in order, each with the delmål it is tagged with, in
    the plan's order (``tagged_sub_goals``)."""
    activities: dict[int, ReportedActivity] = {}
    for row in ReportedActivity.objects.raw(_reported_activities_sql(), [submission_id]):
        activity = activities.get(row.pk)
        if activity is None:
            activity = activities[row.pk] = row
            activity.tagged_sub_goals = []
        if row.sub_pk is not None:
            activity.tagged_sub_goals.append(_sub_goal(row, row.sub_goal_id))
    return list(activities.values())


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
    submitted and accepted submissions). Four queries whatever the round's size (five without
    ``round_``, the round with its plan and county)."""
    from actionplans.models import SubGoal
    from followup.models import ReportedActivity

    if round_ is None:
        round_ = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)
    round_id = round_.pk
    submissions = list(
        Submission.objects.filter(round_id=round_id)
        .select_related("organisation")
        .annotate(n_activities=Count("activities"))
        .order_by("organisation__name")
    )
    for s in submissions:
        s.round = round_  # is_late reads the round's deadline
    prev_status = previous_statuses(round_=round_)
    summary = _summarise(
        round_,
        [
            (s.status, s.submitted_at, s.deadline_extended_to, s.organisation.kind)
            for s in submissions
        ],
        prev_status,
    )
    prev_status = prev_status or {}
    labels = dict(Submission.Status.choices)
    rows = [
        ActorRow(
            submission_id=s.pk,
            organisation=s.organisation.name,
            kind=s.organisation.get_kind_display(),
            status=s.status,
            status_label=str(labels[s.status]),
            submitted_at=s.submitted_at,
            deadline=max(filter(None, [round_.deadline, s.deadline_extended_to])),
            late=s.is_late if s.status in SUBMITTED_STATUSES else False,
            flagged=s.personal_data_flagged,
            activity_count=s.n_activities,
            previous_status=(
                str(labels[prev_status[s.organisation_id]])
                if s.organisation_id in prev_status
                else None
            ),
        )
        for s in submissions
    ]
    sub_goals = list(
        SubGoal.objects.filter(goal__plan_id=round_.plan_id)
        .select_related("goal")
        .order_by("goal__order", "goal__number", "order", "id")
    )
    through = ReportedActivity.sub_goals.through
    cells = (
        through.objects.filter(
            reportedactivity__submission__round_id=round_id,
            reportedactivity__submission__status__in=SUBMITTED_STATUSES,
        )
        .values("subgoal_id", "reportedactivity__submission__organisation_id")
        .annotate(n=Count("id"))
    )
    counts: dict[tuple[int, int], int] = {}
    orgs_with: set[int] = set()
    for c in cells:
        org = c["reportedactivity__submission__organisation_id"]
        counts[(c["subgoal_id"], org)] = c["n"]
        orgs_with.add(org)
    columns = [
        (s.organisation_id, s.organisation.name)
        for s in submissions
        if s.status in SUBMITTED_STATUSES
    ]
    matrix_rows = [(sg, [counts.get((sg.pk, oid), 0) for oid, _n in columns]) for sg in sub_goals]
    per_goal: dict[int, list[Any]] = {}
    for sg, values in matrix_rows:
        entry = per_goal.setdefault(sg.goal_id, [sg.goal, 0, 0])
        entry[2] += 1
        if any(values):
            entry[1] += 1
    return RoundOverview(
        round=round_,
        summary=summary,
        rows=rows,
        matrix_columns=[name for _oid, name in columns],
        matrix_rows=matrix_rows,
        goal_coverage=[tuple(v) for v in per_goal.values()],
    )


def county_current_round(*, county_id: int) -> FollowUpRound | None:
    """The county's newest round (any plan), for the start-page panel."""
    return (
        FollowUpRound.objects.filter(plan__county_id=county_id)
        .select_related("plan")
        .order_by("-year", "-id")
        .first()
    )
