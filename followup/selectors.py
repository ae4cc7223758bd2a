"""Non-trivial reads for the follow-up. Return plain data, never lazy querysets."""

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from actionplans.fragments import fingerprint, fingerprint_row, m2m_columns, subquery, table
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


def round_summary(*, round_id: int) -> RoundSummary:
    """Invited, submitted (submitted or accepted), on time vs late, by actor kind, and the
    previous year's submitted count. A fixed number of queries whatever the round's size."""
    from kvinnofrid.directory.models import OrganisationKind

    round_ = FollowUpRound.objects.select_related("plan").get(pk=round_id)
    submissions = list(
        Submission.objects.filter(round_id=round_id).values(
            "status", "submitted_at", "deadline_extended_to", "organisation__kind"
        )
    )
    invited = len(submissions)
    submitted = on_time = 0
    kinds: dict[str, list[int]] = {}
    for row in submissions:
        counts = kinds.setdefault(row["organisation__kind"], [0, 0])
        counts[0] += 1
        if row["status"] in SUBMITTED_STATUSES:
            submitted += 1
            counts[1] += 1
            deadline = max(filter(None, [round_.deadline, row["deadline_extended_to"]]))
            if row["submitted_at"] is None or timezone.localdate(row["submitted_at"]) <= deadline:
                on_time += 1
    labels = dict(OrganisationKind.choices)
    order = [k for k, _label in OrganisationKind.choices]
    by_kind = [
        KindCount(kind=k, label=str(labels.get(k, k)), invited=v[0], submitted=v[1])
        for k, v in sorted(
            kinds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
        )
    ]
    prev = (
        FollowUpRound.objects.filter(plan__county_id=round_.plan.county_id, year=round_.year - 1)
        .annotate(n=Count("submissions", filter=Q(submissions__status__in=SUBMITTED_STATUSES)))
        .order_by("-id")
        .values_list("n", flat=True)
        .first()
    )
    return RoundSummary(
        year=round_.year,
        invited=invited,
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


def round_overview(*, round_id: int) -> RoundOverview:
    """The response overview: summary (see :func:`round_summary`), one row per invited actor
    with last year's status beside it, and the delmål × actor coverage matrix (activities of
    submitted and accepted submissions). A fixed number of queries whatever the round's size."""
    from actionplans.models import SubGoal
    from followup.models import ReportedActivity

    round_ = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)
    summary = round_summary(round_id=round_id)
    submissions = list(
        Submission.objects.filter(round_id=round_id)
        .select_related("organisation")
        .annotate(n_activities=Count("activities"))
        .order_by("organisation__name")
    )
    prev = previous_round(round_=round_)
    prev_status = (
        dict(Submission.objects.filter(round=prev).values_list("organisation_id", "status"))
        if prev
        else {}
    )
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


# --- fingerprints of cached fragments (see actionplans.fragments) -------------------------------


def _county_rounds() -> str:
    """The county's rounds (alias ``r``), joined with their plans (``p``)."""
    from actionplans.models import ActionPlan

    return f"{table(FollowUpRound)} r JOIN {table(ActionPlan)} p ON p.id = r.plan_id"


def _county_rounds_row() -> str:
    """The fingerprint row of a county's rounds (parameter: the county id)."""
    return fingerprint_row(
        "round",
        _county_rounds(),
        "p.county_id = %s",
        changed="MAX(r.updated_at)",
        sum_="r.lock_version",
    )


@functools.cache
def _county_panel_sql() -> str:
    newest = subquery(
        _county_rounds(), "p.county_id = %s ORDER BY r.year DESC, r.id DESC LIMIT 1", "r.id"
    )
    return " UNION ALL ".join(
        [
            _county_rounds_row(),
            fingerprint_row(
                "submission", table(Submission), f"round_id = ({newest})", sum_="lock_version"
            ),
        ]
    )


def county_panel_version(*, county_id: int) -> tuple:
    """What the start page's follow-up panel depends on, in one query: the county's rounds
    and the submissions of its newest round (counts, newest changes, lock version sums)."""
    sql = _county_panel_sql()
    return (county_id, fingerprint(sql, [county_id] * sql.count("%s")))


@functools.cache
def _county_reports_sql() -> str:
    from actionplans.models import ActionPlan
    from followup.models import StatusReport

    return " UNION ALL ".join(
        [
            _county_rounds_row(),
            fingerprint_row(
                "report",
                f"{table(StatusReport)} t JOIN {table(FollowUpRound)} r ON r.id = t.round_id "
                f"JOIN {table(ActionPlan)} p ON p.id = r.plan_id",
                "p.county_id = %s",
                changed="MAX(t.updated_at)",
                sum_="t.lock_version",
            ),
        ]
    )


def county_reports_version(*, county: Any) -> tuple:
    """What the county's report list depends on, in one query: its rounds and their status
    reports (counts, newest changes, lock version sums)."""
    sql = _county_reports_sql()
    return (county.pk, county.name, fingerprint(sql, [county.pk] * sql.count("%s")))


PLAN_OUTLINE_ROWS = ("goal", "sub_goal", "audit")


def _plan_outline_rows() -> list[str]:
    """The fingerprint rows of a plan's goals and delmål (parameters: the plan id, the plan's
    content type id, the plan id), labelled as in PLAN_OUTLINE_ROWS."""
    from kvinnofrid.core.models import AuditEntry

    return [
        fingerprint_row("goal", table(Goal), "plan_id = %s"),
        fingerprint_row(
            "sub_goal",
            f"{table(SubGoal)} d JOIN {table(Goal)} g ON g.id = d.goal_id",
            "g.plan_id = %s",
            changed="MAX(d.updated_at)",
            sum_="d.id",
        ),
        # goal and delmål reorders touch no updated_at but audit on the plan
        fingerprint_row(
            "audit", table(AuditEntry), "target_type_id = %s AND target_id = %s", changed="NULL"
        ),
    ]


@functools.cache
def _round_overview_sql() -> str:
    """Joins rather than nested ``IN`` subqueries: PostgreSQL plans them faster."""
    from actionplans.models import ActionPlan
    from followup.models import ReportedActivity
    from kvinnofrid.directory.models import Organisation

    act_sub, act_col, sub_col = m2m_columns(ReportedActivity, "sub_goals")
    # joins written one after the other (SQLite does not take nested ones)
    s = f"{table(Submission)} s"
    a = f"{table(ReportedActivity)} a JOIN {s} ON s.id = a.submission_id"
    prev = (
        f"{s} JOIN {table(FollowUpRound)} r ON r.id = s.round_id "
        f"JOIN {table(ActionPlan)} p ON p.id = r.plan_id"
    )
    return " UNION ALL ".join(
        [
            fingerprint_row(
                "submission",
                s,
                "s.round_id = %s",
                changed="MAX(s.updated_at)",
                sum_="s.lock_version",
            ),
            # the actors' names and kinds
            fingerprint_row(
                "organisation",
                f"{s} JOIN {table(Organisation)} o ON o.id = s.organisation_id",
                "s.round_id = %s",
                changed="MAX(o.updated_at)",
                sum_="o.id",
            ),
            fingerprint_row(
                "activity", a, "s.round_id = %s", changed="MAX(a.updated_at)", sum_="a.id"
            ),
            fingerprint_row(
                "activity_sub",
                f"{act_sub} l JOIN {table(ReportedActivity)} a ON a.id = l.{act_col} "
                f"JOIN {s} ON s.id = a.submission_id",
                "s.round_id = %s",
                changed="NULL",
                sum_="l.id",  # a changed link is a new row with a higher id: a swap shows
            ),
            # last year's rounds of the county and their submissions
            fingerprint_row(
                "prev_round",
                _county_rounds(),
                "r.year = %s AND p.county_id = %s",
                changed="MAX(r.updated_at)",
                sum_="r.id",
            ),
            fingerprint_row(
                "prev_submission",
                prev,
                "r.year = %s AND p.county_id = %s",
                changed="MAX(s.updated_at)",
                sum_="s.lock_version",
            ),
            *_plan_outline_rows(),
        ]
    )


def round_overview_version(*, round_: FollowUpRound) -> tuple:
    """What the response overview fragment depends on, in one query: the round's submissions,
    their activities and the activities' delmål, the actors' names, last year's rounds and
    submissions of the county, and the plan's goals and delmål (with its newest audit entry).
    ``round_`` comes with ``plan__county`` (their own fields are read from it)."""
    from actionplans.models import ActionPlan

    plan = round_.plan
    prev = [round_.year - 1, plan.county_id]
    params = [
        *[round_.pk] * 4,  # submission, organisation, activity, activity_sub
        *prev,  # prev_round
        *prev,  # prev_submission
        plan.pk,  # goal
        plan.pk,  # sub_goal
        ContentType.objects.get_for_model(ActionPlan).pk,
        plan.pk,  # audit
    ]
    return (
        round_.pk,
        round_.lock_version,
        str(round_.updated_at),
        plan.pk,
        plan.lock_version,
        str(plan.updated_at),
        plan.county.name,
        fingerprint(_round_overview_sql(), params),
    )


@functools.cache
def _submission_form_sql() -> str:
    from actionplans.models import ActionPlan

    link, activity_col, sub_col = m2m_columns(ReportedActivity, "sub_goals")
    plan_county = subquery(table(ActionPlan), "id = %s", "county_id")
    return " UNION ALL ".join(
        [
            fingerprint_row("question", table(Question), "round_id = %s"),
            fingerprint_row("answer", table(Answer), "submission_id = %s"),
            fingerprint_row("indicator", table(Indicator), "plan_id = %s"),
            fingerprint_row("indicator_answer", table(IndicatorAnswer), "submission_id = %s"),
            *_plan_outline_rows(),
            fingerprint_row("activity", table(ReportedActivity), "submission_id = %s"),
            fingerprint_row(
                "activity_sub",
                f"{link} l JOIN {table(ReportedActivity)} a ON a.id = l.{activity_col}",
                "a.submission_id = %s",
                changed="NULL",
                sum_="l.id",  # a changed link is a new row with a higher id: a swap shows
            ),
            # last year's submission of the organisation in the county ("start from last year";
            # services._previous_submissions reads the same)
            fingerprint_row(
                "previous",
                f"{table(Submission)} s JOIN {table(FollowUpRound)} r ON r.id = s.round_id "
                f"JOIN {table(ActionPlan)} p ON p.id = r.plan_id",
                f"s.organisation_id = %s AND r.year = %s AND p.county_id = ({plan_county})",
                changed="NULL",
                sum_="s.id",
            ),
        ]
    )


@dataclass(frozen=True)
class SubmissionFormVersion:
    key: tuple  # everything the form shows
    plan_key: tuple  # its goals and delmål section (shared by the plan's reporters)
    has_previous: bool


def submission_form_version(*, submission: Submission) -> SubmissionFormVersion:
    """What the actor's form shows beyond the submission and round rows, in one query: the
    round's questions, the plan's indicators, goals and delmål (with its newest audit entry), the
    submission's answers, indicator values and activities with their delmål, and whether the
    organisation has last year's submission in the county (row counts, newest changes, id sums).
    ``submission`` comes with ``round`` and ``organisation``."""
    from actionplans.models import ActionPlan

    round_ = submission.round
    plan_id = round_.plan_id
    params = [
        round_.pk,  # question
        submission.pk,  # answer
        plan_id,  # indicator
        submission.pk,  # indicator_answer
        plan_id,  # goal
        plan_id,  # sub_goal
        ContentType.objects.get_for_model(ActionPlan).pk,
        plan_id,  # audit
        submission.pk,  # activity
        submission.pk,  # activity_sub
        submission.organisation_id,
        round_.year - 1,
        plan_id,  # previous
    ]
    rows = fingerprint(_submission_form_sql(), params)
    previous = next(row for row in rows if row[0] == "previous")
    key = (
        submission.pk,
        submission.lock_version,
        str(submission.updated_at),
        submission.status,
        str(submission.deadline_extended_to),
        submission.organisation.name,
        round_.pk,
        round_.lock_version,
        str(round_.updated_at),
        rows,
    )
    plan_key = (plan_id, tuple(row for row in rows if row[0] in PLAN_OUTLINE_ROWS))
    return SubmissionFormVersion(key=key, plan_key=plan_key, has_previous=previous[1] != "0")
