"""Reads of the actor's form: questions and indicators with the saved answers, the plan's goals
with delmål and the reported activities with delmål (written-out joins, pinned to the ORM by
tests/followup/test_form_readers.py)."""

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db import connection

from actionplans.models import ActionPlan, Goal, Indicator, SubGoal
from followup.models import (
    Answer,
    FollowUpRound,
    IndicatorAnswer,
    Question,
    ReportedActivity,
    Submission,
)
from followup.selectors.model_rows import from_row, model_columns
from kvinnofrid.core.sql import m2m_columns, table

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


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
# run; written out, they cost a fraction of a millisecond. The model objects are built from the
# rows by followup.selectors.model_rows (``raw()``'s machinery cost more than the query).
# tests/followup/test_services.py checks them against the ORM's reading.


@functools.cache
def _questions_with_answers_sql() -> str:
    order = connection.ops.quote_name("order")
    return (
        f"SELECT {model_columns(Question, 'q')}, a.id, a.text, a.number, a.choice "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(Question)} q LEFT JOIN {table(Answer)} a "
        "ON a.question_id = q.id AND a.submission_id = %s "
        f"WHERE q.round_id = %s ORDER BY q.{order}, q.id"
    )


@functools.cache
def _indicators_with_answers_sql() -> str:
    order = connection.ops.quote_name("order")
    return (
        f"SELECT {model_columns(Indicator, 'i')}, v.id, v.value, v.note "  # noqa: S608 - names from model metadata, values are parameters
        f"FROM {table(Indicator)} i LEFT JOIN {table(IndicatorAnswer)} v "
        "ON v.indicator_id = i.id AND v.submission_id = %s "
        f"WHERE i.plan_id = %s AND i.kind = %s ORDER BY i.{order}, i.id"
    )


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def questions_with_answers(*, submission: Submission) -> tuple[list[Question], dict[int, Answer]]:
    """The round's questions in order and the submission's saved answers by question id, in one
    query. The answers carry what the form shows and a save compares (text, number, choice);
    save them with ``update_fields``."""
    questions: list[Question] = []
    answers: dict[int, Answer] = {}
    number_field = Answer._meta.get_field("number")
    for row in _rows(_questions_with_answers_sql(), [submission.pk, submission.round_id]):
        q = from_row(Question, row)
        questions.append(q)
        answer_pk, text, number, choice = row[-4:]
        if answer_pk is not None:
            answers[q.pk] = Answer(
                pk=answer_pk,
                submission=submission,
                question=q,
                text=text,
                number=_decimal_or_none(number, number_field),
                choice=choice,
            )
    return questions, answers


def indicators_with_answers(
    *, submission: Submission
) -> tuple[list[Indicator], dict[int, IndicatorAnswer]]:
    """The plan's quantitative indicators in order and the submission's values by indicator id,
    in one query (value and note; save them with ``update_fields``)."""
    indicators: list[Indicator] = []
    answers: dict[int, IndicatorAnswer] = {}
    value_field = IndicatorAnswer._meta.get_field("value")
    params = [submission.pk, submission.round.plan_id, Indicator.Kind.QUANTITATIVE.value]
    for row in _rows(_indicators_with_answers_sql(), params):
        ind = from_row(Indicator, row)
        indicators.append(ind)
        answer_pk, value, note = row[-3:]
        if answer_pk is not None:
            answers[ind.pk] = IndicatorAnswer(
                pk=answer_pk,
                submission=submission,
                indicator=ind,
                value=_decimal_or_none(value, value_field),
                note=note,
            )
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


# --- whether there is last year's to start from: one written-out query ---------------------------
# The form offers "Utgå från förra årets svar" when followup.services.previous_submissions finds
# something. Built with the ORM (two Exists under an OR, joined to the plan), asking costs more
# CPU than the answer; written out it is a fraction. tests/followup/test_form_readers.py checks
# it against the ORM's reading.


@functools.cache
def _has_previous_sql() -> str:
    return (
        f"SELECT 1 FROM {table(Submission)} s JOIN {table(FollowUpRound)} r ON r.id = s.round_id "  # noqa: S608 - names from model metadata, values are parameters
        f"JOIN {table(ActionPlan)} p ON p.id = r.plan_id "
        "WHERE s.organisation_id = %s AND p.county_id = %s AND r.year < %s AND ("
        f"EXISTS (SELECT 1 FROM {table(ReportedActivity)} a WHERE a.submission_id = s.id) OR "
        f"EXISTS (SELECT 1 FROM {table(Answer)} x WHERE x.submission_id = s.id)) LIMIT 1"
    )


def has_previous_submission(*, submission: Submission) -> bool:
    """Whether the organisation has an earlier submission in the county that holds something to
    start from (an activity or an answer): ``services.previous_submissions(...).exists()``."""
    round_ = submission.round
    with connection.cursor() as cursor:
        cursor.execute(
            _has_previous_sql(), [submission.organisation_id, round_.plan.county_id, round_.year]
        )
        return cursor.fetchone() is not None


# --- goals with delmål, activities with delmål: one written-out join each -----------------------
# The ORM's prefetch (two queries, plus building both) cost about 3 ms of CPU per list; one join
# grouped here costs a tenth of that. The plan's outline is plain values (a model object per row
# cost more than the query): OutlineGoal with its delmål in ``outline_sub_goals``. The activities
# are ReportedActivity objects (followup.selectors.model_rows, one per activity, not one per
# row of the join), their delmål SubGoal rows holding id, goal, code, text and
# order in ``activity.tagged_sub_goals``. tests/followup/test_form_readers.py checks both against
# the ORM.


@functools.cache
def _plan_outline_sql() -> str:
    order = connection.ops.quote_name("order")
    return (
        f"SELECT g.id, g.number, g.title, g.description, g.{order}, s.id, s.code, s.text, "  # noqa: S608 - names from model metadata, values are parameters
        f"s.{order} FROM {table(Goal)} g LEFT JOIN {table(SubGoal)} s ON s.goal_id = g.id "
        f"WHERE g.plan_id = %s ORDER BY g.{order}, g.number, g.id, s.{order}, s.id"
    )


@functools.cache
def _reported_activities_sql() -> str:
    order = connection.ops.quote_name("order")
    link, activity_col, sub_col = m2m_columns(ReportedActivity, "sub_goals")
    return (
        f"SELECT {model_columns(ReportedActivity, 'a')}, s.id, s.goal_id, s.code, s.text, "  # noqa: S608 - names from model metadata, values are parameters
        f"s.{order} FROM {table(ReportedActivity)} a "
        f"LEFT JOIN {link} l ON l.{activity_col} = a.id "
        f"LEFT JOIN {table(SubGoal)} s ON s.id = l.{sub_col} "
        f"LEFT JOIN {table(Goal)} g ON g.id = s.goal_id "
        f"WHERE a.submission_id = %s "
        f"ORDER BY a.{order}, a.id, g.{order}, g.number, s.{order}, s.id"
    )


class _TaggedColumns(TypedDict):
    tagged_sub_goals: list[SubGoal]


if TYPE_CHECKING:
    TaggedActivity = WithAnnotations[ReportedActivity, _TaggedColumns]


@dataclass(slots=True)
class OutlineSubGoal:
    """A delmål of the plan's outline: what the form and its choices show of a SubGoal."""

    pk: int
    goal_id: int
    code: str
    text: str
    order: int

    def __str__(self) -> str:  # SubGoal.__str__
        return f"{self.code} {self.text}".strip()


@dataclass(slots=True)
class OutlineGoal:
    """A goal of the plan's outline with its delmål in order."""

    pk: int
    number: int
    title: str
    description: str
    order: int
    outline_sub_goals: list[OutlineSubGoal]


def plan_outline(*, plan_id: int) -> list[OutlineGoal]:
    """The plan's goals in order, each with its delmål in order (``outline_sub_goals``), as
    plain values read in one query."""
    with connection.cursor() as cursor:
        cursor.execute(_plan_outline_sql(), [plan_id])
        rows = cursor.fetchall()
    goals: list[OutlineGoal] = []
    goal = None
    for pk, number, title, description, order, sub_pk, code, text, sub_order in rows:
        if goal is None or goal.pk != pk:
            goal = OutlineGoal(pk, number, title, description, order, [])
            goals.append(goal)
        if sub_pk is not None:
            goal.outline_sub_goals.append(OutlineSubGoal(sub_pk, pk, code, text, sub_order))
    return goals


def reported_activities(*, submission_id: int) -> "list[TaggedActivity]":
    """A submission's reported activities in order, each with the delmål it is tagged with, in
    the plan's order (``tagged_sub_goals``: SubGoal rows holding id, goal, code, text, order)."""
    activities: list[TaggedActivity] = []
    for row in _rows(_reported_activities_sql(), [submission_id]):
        if not activities or activities[-1].pk != row[0]:
            activity = cast("TaggedActivity", from_row(ReportedActivity, row))
            activity.tagged_sub_goals = []
            activities.append(activity)
        sub_pk, goal_id, code, text, order = row[-5:]
        if sub_pk is not None:
            activities[-1].tagged_sub_goals.append(
                SubGoal(pk=sub_pk, goal_id=goal_id, code=code, text=text, order=order)
            )
    return activities
