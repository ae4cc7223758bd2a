"""The actor's form: save answers and indicator values, reported activities, copy from last
year, submit (with the required-answer and personal-data checks)."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplans.models import SubGoal
from followup import selectors
from followup.exceptions import FollowUpError, MissingAnswersError, PersonalDataWarning
from followup.models import (
    Answer,
    IndicatorAnswer,
    Question,
    ReportedActivity,
    Submission,
    ViolenceArea,
)
from followup.personal_data import scan_fields
from followup.services._shared import (
    SUBMITTED_STATUSES,
    S,
    _check_editable,
    _enqueue_after_commit,
    _lock_submission,
    _notice_task,
    _touch,
)
from followup.services.registry import submission_register
from followup.states import assert_transition
from kvinnofrid.accounts.models import Actor, User, recorded_user
from kvinnofrid.core.audit import audit_log, text_change
from kvinnofrid.core.locking import bump_version


def _jsonable_decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _answer_change(old: tuple[str, Any, str], new: tuple[str, Any, str]) -> dict[str, Any]:
    """The audit record of one answer's change: the choice and number as they were and are,
    the text only as its lengths (answers may hold personal data; DESIGN §4)."""
    change: dict[str, Any] = {}
    if old[0] != new[0]:
        change.update(text_change(old[0], new[0]))
    if old[1] != new[1]:
        change["number"] = [_jsonable_decimal(old[1]), _jsonable_decimal(new[1])]
    if old[2] != new[2]:
        change["choice"] = [old[2] or None, new[2] or None]
    return change


def _decimal(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    return Decimal(str(value))


@transaction.atomic
def submission_save(
    *,
    submission_id: int,
    lock_version: int | None,
    answers: dict[int, dict[str, Any]],
    indicator_values: dict[int, dict[str, Any]],
    actor: Actor,
) -> Submission:
    """Save the draft answers and indicator values of a submission (one atomic write).

    ``answers`` maps question id → {"text", "number", "choice"}; ``indicator_values`` maps
    indicator id → {"value", "note"}. A save that changes nothing writes nothing (the version
    stays). Raises StaleObjectError if ``lock_version`` is stale,
    PermissionDenied / FollowUpError if the form is not editable. Coordinators saving on behalf
    of an actor are logged as such.
    """
    submission = _lock_submission(submission_id, lock_version)
    _check_editable(submission, actor)
    changed: dict[str, Any] = {}
    questions, saved_answers = selectors.questions_with_answers(submission=submission)
    question_ids = {q.pk for q in questions}
    for qid, data in answers.items():
        if qid not in question_ids:
            continue
        ans = saved_answers.get(qid) or Answer(submission=submission, question_id=qid)
        new = (
            (data.get("text") or "").strip(),
            _decimal(data.get("number")),
            data.get("choice") or "",
        )
        old = (ans.text, ans.number, ans.choice)
        if ans.pk and old == new:
            continue
        if not ans.pk and new == ("", None, ""):
            continue
        ans.text, ans.number, ans.choice = new
        ans.save(update_fields=["text", "number", "choice", "updated_at"] if ans.pk else None)
        changed[f"question:{qid}"] = _answer_change(old, new)
    indicators, saved_values = selectors.indicators_with_answers(submission=submission)
    indicator_ids = {ind.pk for ind in indicators}
    for iid, data in indicator_values.items():
        if iid not in indicator_ids:
            continue
        ia = saved_values.get(iid) or IndicatorAnswer(submission=submission, indicator_id=iid)
        new_i = (_decimal(data.get("value")), (data.get("note") or "").strip())
        if (ia.pk and (ia.value, ia.note) == new_i) or (not ia.pk and new_i == (None, "")):
            continue
        old_i = (ia.value, ia.note)
        ia.value, ia.note = new_i
        ia.save(update_fields=["value", "note", "updated_at"] if ia.pk else None)
        changed[f"indicator:{iid}"] = {
            "value": [_jsonable_decimal(old_i[0]), _jsonable_decimal(new_i[0])],
            **text_change(old_i[1], new_i[1]),
        }
    if not changed and submission.status != S.NOT_STARTED:
        # Nothing new (an autosave after a blur, the save inside "Skicka in"): no write, and the
        # version stays, so a form open in another tab does not go stale for nothing.
        return submission
    _touch(submission, actor)
    audit_log(
        actor=actor,
        action="followup.submission.saved"
        if actor_reports_for(actor, submission)
        else "followup.submission.saved_on_behalf",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes=changed,
    )
    return submission


def actor_reports_for(actor: Actor, submission: Submission) -> bool:
    """Whether ``actor`` is a reporter of the submission's organisation."""
    return isinstance(actor, User) and actor.reports_for(submission.organisation_id)


def _validate_activity(data: dict[str, Any], plan_id: int) -> tuple[dict[str, Any], list[int]]:
    title = (data.get("title") or "").strip()
    if not title:
        raise FollowUpError(_("Aktiviteten måste ha en rubrik."))
    sub_goal_ids = [int(x) for x in data.get("sub_goals") or []]
    valid = set(
        SubGoal.objects.filter(goal__plan_id=plan_id, pk__in=sub_goal_ids).values_list(
            "pk", flat=True
        )
    )
    if not sub_goal_ids:
        raise FollowUpError(_("Välj minst ett delmål som aktiviteten bidrar till."))
    if set(sub_goal_ids) - valid:
        raise FollowUpError(_("Ett valt delmål hör inte till planen."))
    areas = [a for a in data.get("areas") or [] if a in ViolenceArea.values]
    fields = {
        "title": title[:300],
        "description": (data.get("description") or "").strip(),
        "prevention_level": data.get("prevention_level") or "",
        "areas": areas,
        "target_groups": (data.get("target_groups") or "").strip()[:500],
        "partners": (data.get("partners") or "").strip()[:500],
        "status": data.get("status") or ReportedActivity.Status.GENOMFORD,
    }
    return fields, sorted(valid)


@transaction.atomic
def activity_save(
    *,
    submission_id: int,
    activity_id: int | None,
    lock_version: int | None,
    data: dict[str, Any],
    actor: Actor,
) -> ReportedActivity:
    """Add or edit a reported activity (title, description, delmål, prevention level, areas,
    target groups, partners, status). Bumps the submission's ``lock_version``."""
    submission = _lock_submission(submission_id, lock_version)
    _check_editable(submission, actor)
    fields, sub_goal_ids = _validate_activity(data, submission.round.plan_id)
    if activity_id:
        activity = ReportedActivity.objects.get(pk=activity_id, submission=submission)
        for name, value in fields.items():
            setattr(activity, name, value)
        activity.save()
    else:
        order = submission.activities.count()
        activity = ReportedActivity.objects.create(submission=submission, order=order, **fields)
    activity.sub_goals.set(sub_goal_ids)
    _touch(submission, actor)
    audit_log(
        actor=actor,
        action="followup.activity.saved",
        target=activity,
        county_id=submission.round.plan.county_id,
        changes={"_submission": submission.pk},  # context: the yttrande's history finds it
    )
    return activity


@transaction.atomic
def activity_delete(
    *, submission_id: int, activity_id: int, lock_version: int | None, actor: Actor
) -> None:
    """Delete a reported activity of an editable submission."""
    submission = _lock_submission(submission_id, lock_version)
    _check_editable(submission, actor)
    activity = ReportedActivity.objects.get(pk=activity_id, submission=submission)
    audit_log(
        actor=actor,
        action="followup.activity.deleted",
        target=activity,
        county_id=submission.round.plan.county_id,
        changes={"_submission": submission.pk},  # context: the yttrande's history finds it
    )
    activity.delete()
    _touch(submission, actor)


def previous_submissions(submission: Submission) -> QuerySet[Submission]:
    """The same organisation's earlier submissions in the county that hold something to start
    from (an activity or an answer), newest round first."""
    return (
        Submission.objects.filter(
            organisation_id=submission.organisation_id,
            round__plan__county_id=submission.round.plan.county_id,
            round__year__lt=submission.round.year,
        )
        .filter(
            Exists(ReportedActivity.objects.filter(submission=OuterRef("pk")))
            | Exists(Answer.objects.filter(submission=OuterRef("pk")))
        )
        .order_by("-round__year", "-round_id")
    )


def previous_submission(submission: Submission) -> Submission | None:
    """The organisation's submission in the county's latest earlier round that has content
    (not necessarily the year before: a county may skip a year, an actor may skip a round)."""
    return previous_submissions(submission).select_related("round").first()


def _map_sub_goals(old_plan_id: int, new_plan_id: int, ids: list[int]) -> list[int]:
    if old_plan_id == new_plan_id:
        return ids
    old = SubGoal.objects.filter(pk__in=ids).values_list("goal__number", "code")
    wanted = {(n, c) for n, c in old if c}
    if not wanted:
        return []
    candidates = SubGoal.objects.filter(goal__plan_id=new_plan_id).values_list(
        "pk", "goal__number", "code"
    )
    return [pk for pk, n, c in candidates if (n, c) in wanted]


@transaction.atomic
def submission_start_from_last_year(
    *, submission_id: int, lock_version: int | None, actor: Actor
) -> Submission:
    """Copy last year's activities and answers into this draft as an editable starting point.

    Only empty answers are filled; activities are added (titles already present are skipped).
    Delmål are matched by id in the same plan, else by goal number and code.
    """
    submission = _lock_submission(submission_id, lock_version)
    _check_editable(submission, actor)
    prev = previous_submission(submission)
    if prev is None:
        raise FollowUpError(_("Det finns inget yttrande från förra året att utgå från."))
    titles = set(submission.activities.values_list("title", flat=True))
    order = len(titles)
    for old in prev.activities.prefetch_related("sub_goals"):
        if old.title in titles:
            continue
        new = ReportedActivity.objects.create(
            submission=submission,
            title=old.title,
            description=old.description,
            prevention_level=old.prevention_level,
            areas=old.areas,
            target_groups=old.target_groups,
            partners=old.partners,
            status=old.status,
            order=order,
        )
        order += 1
        new.sub_goals.set(
            _map_sub_goals(
                prev.round.plan_id,
                submission.round.plan_id,
                [sg.pk for sg in old.sub_goals.all()],
            )
        )
    questions = list(submission.round.questions.all())
    by_key = {q.key: q for q in questions if q.key}
    by_text = {q.text.strip(): q for q in questions}
    have = {
        a.question_id: a
        for a in submission.answers.all()
        if a.text or a.number is not None or a.choice
    }
    for old_answer in prev.answers.select_related("question"):
        q = by_key.get(old_answer.question.key) if old_answer.question.key else None
        q = q or by_text.get(old_answer.question.text.strip())
        if q is None or q.pk in have:
            continue
        Answer.objects.update_or_create(
            submission=submission,
            question=q,
            defaults={
                "text": old_answer.text,
                "number": old_answer.number,
                "choice": old_answer.choice,
            },
        )
    _touch(submission, actor)
    audit_log(
        actor=actor,
        action="followup.submission.copied_from_last_year",
        target=submission,
        county_id=submission.round.plan.county_id,
        message=str(prev.pk),
    )
    return submission


def _questions_and_answers(submission: Submission) -> list[tuple[Question, Answer | None]]:
    """The round's questions in order, each with this submission's answer (one query)."""
    questions, answers = selectors.questions_with_answers(submission=submission)
    return [(q, answers.get(q.pk)) for q in questions]


def submission_missing_answers(
    *,
    submission: Submission,
    questions_and_answers: list[tuple[Question, Answer | None]] | None = None,
) -> list[str]:
    """The texts of required questions without an answer."""
    if questions_and_answers is None:
        questions_and_answers = _questions_and_answers(submission)
    return [
        q.text
        for q, a in questions_and_answers
        if q.required and (a is None or not (a.text.strip() or a.number is not None or a.choice))
    ]


def submission_free_text(
    submission: Submission,
    questions_and_answers: list[tuple[Question, Answer | None]] | None = None,
) -> list[tuple[str, str]]:
    """``(field label, text)`` pairs of every free-text field, for the personal-data guard."""
    if questions_and_answers is None:
        questions_and_answers = _questions_and_answers(submission)
    fields: list[tuple[str, str]] = [
        (_("Svar på ”%(q)s”") % {"q": q.text[:80]}, a.text)
        for q, a in questions_and_answers
        if a is not None and a.text
    ]
    for act in ReportedActivity.objects.filter(submission=submission).order_by("order", "id"):
        label = _("Aktivitet ”%(t)s”") % {"t": act.title[:60]}
        fields.extend(
            [
                (label + " – " + _("rubrik"), act.title),
                (label + " – " + _("beskrivning"), act.description),
                (label + " – " + _("målgrupper"), act.target_groups),
                (label + " – " + _("samverkanspartner"), act.partners),
            ]
        )
    for ia in (
        IndicatorAnswer.objects.filter(submission=submission)
        .exclude(note="")
        .select_related("indicator")
        .order_by("indicator__order", "indicator_id")
    ):
        fields.append((_("Kommentar till ”%(i)s”") % {"i": ia.indicator.name[:60]}, ia.note))
    return fields


@transaction.atomic
def submission_submit(
    *, submission_id: int, actor: Actor, confirm_personal_data: bool = False
) -> Submission:
    """Move a draft/returned submission to submitted.

    Locks the row, so a double click (or two concurrent requests) submits once: the second call
    finds the status ``submitted`` and raises FollowUpError. Raises MissingAnswersError listing
    required questions without an answer, FollowUpError after the (effective) deadline, and
    PersonalDataWarning when free text looks personal unless ``confirm_personal_data``; a
    confirmed submission is flagged for the coordinator.
    """
    submission = _lock_submission(submission_id)
    if submission.status in SUBMITTED_STATUSES:
        raise FollowUpError(_("Yttrandet är redan inskickat."))
    _check_editable(submission, actor)
    questions_and_answers = _questions_and_answers(submission)
    missing = submission_missing_answers(
        submission=submission, questions_and_answers=questions_and_answers
    )
    if missing:
        raise MissingAnswersError(
            ngettext(
                "%(count)d obligatorisk fråga saknar svar.",
                "%(count)d obligatoriska frågor saknar svar.",
                len(missing),
            )
            % {"count": len(missing)},
            missing,
        )
    assert_transition(Submission, submission.status, S.SUBMITTED)
    findings = scan_fields(submission_free_text(submission, questions_and_answers))
    if findings and not confirm_personal_data:
        raise PersonalDataWarning(
            _(
                "Texten ser ut att innehålla uppgifter om enskilda personer. Ändra texten eller "
                "bekräfta att uppgifterna ska skickas in."
            ),
            [f.as_dict() for f in findings],
        )
    old = submission.status
    submission.status = S.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = recorded_user(actor)
    submission.personal_data_flagged = bool(findings)
    submission.personal_data_findings = [f.as_dict() for f in findings]
    submission_register(submission)  # received: a public document gets its diarienummer
    bump_version(submission)
    submission.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "personal_data_flagged",
            "personal_data_findings",
            "diarienummer",
            "lock_version",
            "updated_at",
        ]
    )
    audit_log(
        actor=actor,
        action="followup.submission.submitted",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes={"status": [old, S.SUBMITTED]},
    )
    _enqueue_after_commit(_notice_task(), submission.pk, "submitted", submission.lock_version)
    return submission
