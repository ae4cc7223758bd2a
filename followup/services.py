"""Every write of the follow-up (DESIGN §4–6): rounds, submissions, activities, review.

Each state-changing service: lock the row → check permission → check state → validate → write →
audit → side effects after commit. Domain refusals raise :class:`FollowUpError` with a Swedish
message; stale saves raise ``StaleObjectError``.
"""

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplans.models import ActionPlan, IndicatorValue, SubGoal
from followup import permissions, selectors
from followup.exceptions import FollowUpError, MissingAnswersError, PersonalDataWarning
from followup.models import (
    Answer,
    FollowUpRound,
    IndicatorAnswer,
    Question,
    ReportedActivity,
    StatusReport,
    Submission,
    ViolenceArea,
)
from followup.personal_data import scan_fields
from followup.states import assert_transition
from kvinnofrid.core.audit import audit_log
from kvinnofrid.core.locking import StaleObjectError, bump_version
from kvinnofrid.directory.models import Organisation

logger = logging.getLogger(__name__)

S = Submission.Status
R = FollowUpRound.Status
SUBMITTED_STATUSES = (S.SUBMITTED, S.ACCEPTED)


def _enqueue_after_commit(task: Any, *args: Any) -> None:
    """Send ``task(*args)`` after commit; a broker outage is logged, never raised."""
    from kvinnofrid.core.tasks import enqueue_on_commit

    enqueue_on_commit(task, *args)


def _notice_task() -> Any:
    """The confirmation e-mail task (followup/emails.py), imported late like the others."""
    from followup.tasks import send_submission_notice_task

    return send_submission_notice_task


def _county_id(round_: FollowUpRound) -> int:
    return round_.plan.county_id


# --- rounds -------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    plan_id: int,
    year: int,
    title: str,
    instructions: str,
    opens_on: datetime.date | None,
    deadline: datetime.date,
    organisation_ids: Iterable[int],
    actor: Any,
) -> FollowUpRound:
    """Create a draft round for ``plan`` and ``year`` with the standard questions copied in.

    Invited organisations must be active organisations of the plan's county. Raises
    PermissionDenied unless ``actor`` coordinates the county, FollowUpError if the plan already
    has a round for the year or the dates are in the wrong order.
    """
    from followup.standard_questions import STANDARD_QUESTIONS

    plan = ActionPlan.objects.select_for_update().get(pk=plan_id)
    if not permissions.can_edit_county(actor, plan.county_id):
        raise PermissionDenied
    if opens_on and deadline < opens_on:
        raise FollowUpError(_("Sista svarsdag kan inte vara före öppningsdagen."))
    if FollowUpRound.objects.filter(plan=plan, year=year).exists():
        raise FollowUpError(
            _("Det finns redan en uppföljning för %(year)s av den här planen.") % {"year": year}
        )
    orgs = list(
        Organisation.objects.filter(county_id=plan.county_id, pk__in=list(organisation_ids))
    )
    round_ = FollowUpRound.objects.create(
        plan=plan,
        year=year,
        title=title,
        instructions=instructions,
        opens_on=opens_on,
        deadline=deadline,
    )
    round_.invited_organisations.set(orgs)
    Question.objects.bulk_create(
        Question(
            round=round_,
            key=q["key"],
            text=str(q["text"]),
            help_text=str(q.get("help_text", "")),
            kind=q.get("kind", Question.Kind.TEXT),
            required=q.get("required", False),
            order=q.get("order", i),
        )
        for i, q in enumerate(STANDARD_QUESTIONS)
    )
    audit_log(
        actor=actor,
        action="followup.round.created",
        target=round_,
        county_id=plan.county_id,
        changes={"invited": [None, sorted(o.name for o in orgs)]},
    )
    return round_


@transaction.atomic
def round_update(
    *,
    round_id: int,
    lock_version: int | None,
    title: str,
    instructions: str,
    opens_on: datetime.date | None,
    deadline: datetime.date,
    organisation_ids: Iterable[int],
    actor: Any,
) -> FollowUpRound:
    """Edit a round's texts, dates and invitations. Newly invited organisations of an open
    round get their submission (and invitation) at once; nobody is un-invited once opened."""
    round_ = (
        FollowUpRound.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=round_id)
    )
    if lock_version is not None and round_.lock_version != lock_version:
        raise StaleObjectError(round_, lock_version)
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied
    if round_.status == R.REPORTED:
        raise FollowUpError(_("En rapporterad uppföljning kan inte ändras."))
    if opens_on and deadline < opens_on:
        raise FollowUpError(_("Sista svarsdag kan inte vara före öppningsdagen."))
    orgs = set(
        Organisation.objects.filter(
            county_id=round_.plan.county_id, pk__in=list(organisation_ids)
        ).values_list("pk", flat=True)
    )
    if round_.status != R.DRAFT:
        orgs |= set(round_.submissions.values_list("organisation_id", flat=True))
    round_.title, round_.instructions = title, instructions
    round_.opens_on, round_.deadline = opens_on, deadline
    bump_version(round_)
    round_.save()
    round_.invited_organisations.set(orgs)
    if round_.status == R.OPEN:
        _create_submissions(round_)
    audit_log(
        actor=actor, action="followup.round.updated", target=round_, county_id=_county_id(round_)
    )
    return round_


def _create_submissions(round_: FollowUpRound) -> list[int]:
    existing = set(round_.submissions.values_list("organisation_id", flat=True))
    new = [
        Submission(round=round_, organisation_id=org_id, status=S.NOT_STARTED)
        for org_id in round_.invited_organisations.values_list("pk", flat=True)
        if org_id not in existing
    ]
    Submission.objects.bulk_create(new, ignore_conflicts=True)
    return [s.organisation_id for s in new]


def _round_transition(*, round_id: int, new: str, actor: Any, action: str) -> FollowUpRound:
    round_ = (
        FollowUpRound.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=round_id)
    )
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied
    old = round_.status
    assert_transition(FollowUpRound, old, new)
    round_.status = new
    bump_version(round_)
    round_.save(update_fields=["status", "lock_version", "updated_at"])
    audit_log(
        actor=actor,
        action=action,
        target=round_,
        county_id=_county_id(round_),
        changes={"status": [old, new]},
    )
    return round_


@transaction.atomic
def round_open(*, round_id: int, actor: Any) -> FollowUpRound:
    """Open a draft (or reopen a closed) round: one submission per invited organisation (status
    not_started) and, after commit, an invitation e-mail to each organisation's contacts."""
    from followup.tasks import send_round_invitations_task

    round_ = FollowUpRound.objects.select_for_update().get(pk=round_id)
    if round_.status == R.DRAFT and not round_.invited_organisations.exists():
        raise FollowUpError(_("Bjud in minst en aktör innan uppföljningen öppnas."))
    action = "followup.round.reopened" if round_.status == R.CLOSED else "followup.round.opened"
    round_ = _round_transition(round_id=round_id, new=R.OPEN, actor=actor, action=action)
    _create_submissions(round_)
    _enqueue_after_commit(send_round_invitations_task, round_.pk)
    return round_


@transaction.atomic
def round_close(*, round_id: int, actor: Any) -> FollowUpRound:
    """Close an open round; submissions can no longer be edited or submitted."""
    return _round_transition(
        round_id=round_id, new=R.CLOSED, actor=actor, action="followup.round.closed"
    )


@transaction.atomic
def round_reopen(*, round_id: int, actor: Any) -> FollowUpRound:
    """Open a closed round again (closed → open)."""
    return round_open(round_id=round_id, actor=actor)


@transaction.atomic
def round_mark_reported(*, round_id: int, actor: Any) -> FollowUpRound:
    """A closed round whose lägesrapport is final becomes ``reported``; without a final report
    it is refused (FollowUpError)."""
    round_ = FollowUpRound.objects.select_related("plan").get(pk=round_id)
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied
    final = StatusReport.objects.filter(round_id=round_id, status=StatusReport.Status.FINAL)
    if not final.exists():
        raise FollowUpError(
            _("Fastställ lägesrapporten innan uppföljningen markeras som rapporterad.")
        )
    return _round_transition(
        round_id=round_id, new=R.REPORTED, actor=actor, action="followup.round.reported"
    )


@transaction.atomic
def question_save(
    *,
    round_id: int,
    question_id: int | None,
    text: str,
    help_text: str,
    kind: str,
    required: bool,
    order: int,
    actor: Any,
) -> Question:
    """Add or edit a question of a round that is not yet reported."""
    round_ = (
        FollowUpRound.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=round_id)
    )
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied
    if round_.status == R.REPORTED:
        raise FollowUpError(_("En rapporterad uppföljning kan inte ändras."))
    if not text.strip():
        raise FollowUpError(_("Frågan måste ha en text."))
    if question_id:
        q = Question.objects.get(pk=question_id, round=round_)
    else:
        q = Question(round=round_)
    q.text, q.help_text, q.kind, q.required, q.order = text, help_text, kind, required, order
    q.save()
    audit_log(actor=actor, action="followup.question.saved", target=q, county_id=_county_id(round_))
    return q


# --- submissions: the actor's form --------------------------------------------------------------


def _lock_submission(submission_id: int, lock_version: int | None = None) -> Submission:
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("round__plan", "organisation")
        .get(pk=submission_id)
    )
    if lock_version is not None and submission.lock_version != lock_version:
        raise StaleObjectError(submission, lock_version)
    return submission


def submission_is_locked_by_deadline(
    submission: Submission, today: datetime.date | None = None
) -> bool:
    """After the effective (per-actor) deadline the form is locked, unless the coordinator has
    returned it for completion (a returned submission may always be completed)."""
    today = today or timezone.localdate()
    return submission.status != S.RETURNED and today > submission.effective_deadline


def _check_editable(submission: Submission, actor: Any) -> None:
    if not permissions.can_edit_submission(actor, submission):
        if submission.status in SUBMITTED_STATUSES:
            raise FollowUpError(_("Yttrandet är inskickat och kan inte längre ändras."))
        raise PermissionDenied
    if submission.round.status != R.OPEN:
        raise FollowUpError(
            _("Uppföljningen för %(year)s är inte öppen.") % {"year": submission.round.year}
        )
    if submission_is_locked_by_deadline(submission):
        raise FollowUpError(
            _(
                "Sista svarsdag (%(date)s) har passerat. Kontakta Länsstyrelsen om du behöver "
                "förlängd svarstid."
            )
            % {"date": submission.effective_deadline.isoformat()}
        )


def _touch(submission: Submission, actor: Any) -> None:
    """Bump the version and move not_started → draft on the first save."""
    fields = ["lock_version", "updated_at"]
    if submission.status == S.NOT_STARTED:
        assert_transition(Submission, submission.status, S.DRAFT)
        submission.status = S.DRAFT
        fields.append("status")
    bump_version(submission)
    submission.save(update_fields=fields)


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
    actor: Any,
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
    changed: dict[str, list[Any]] = {}
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
        changed[f"question:{qid}"] = [old[0][:200] if old[0] else None, new[0][:200]]
    indicators, saved_values = selectors.indicators_with_answers(submission=submission)
    indicator_ids = {ind.pk for ind in indicators}
    for iid, data in indicator_values.items():
        if iid not in indicator_ids:
            continue
        ia = saved_values.get(iid) or IndicatorAnswer(submission=submission, indicator_id=iid)
        new_i = (_decimal(data.get("value")), (data.get("note") or "").strip())
        if (ia.pk and (ia.value, ia.note) == new_i) or (not ia.pk and new_i == (None, "")):
            continue
        ia.value, ia.note = new_i
        ia.save(update_fields=["value", "note", "updated_at"] if ia.pk else None)
        changed[f"indicator:{iid}"] = [None, str(new_i[0])]
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


def actor_reports_for(actor: Any, submission: Submission) -> bool:
    return bool(
        getattr(actor, "reports_for", None) and actor.reports_for(submission.organisation_id)
    )


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
    actor: Any,
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
    )
    return activity


@transaction.atomic
def activity_delete(
    *, submission_id: int, activity_id: int, lock_version: int | None, actor: Any
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
    )
    activity.delete()
    _touch(submission, actor)


def _previous_submissions(submission: Submission) -> QuerySet[Submission]:
    return Submission.objects.filter(
        organisation_id=submission.organisation_id,
        round__plan__county_id=submission.round.plan.county_id,
        round__year=submission.round.year - 1,
    )


def previous_submission(submission: Submission) -> Submission | None:
    """The same organisation's submission in the county's round of the year before."""
    return _previous_submissions(submission).select_related("round").order_by("-round_id").first()


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
    *, submission_id: int, lock_version: int | None, actor: Any
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
    *, submission_id: int, actor: Any, confirm_personal_data: bool = False
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
    submission.submitted_by = actor if getattr(actor, "pk", None) else None
    submission.personal_data_flagged = bool(findings)
    submission.personal_data_findings = [f.as_dict() for f in findings]
    bump_version(submission)
    submission.save(
        update_fields=[
            "status",
            "submitted_at",
            "submitted_by",
            "personal_data_flagged",
            "personal_data_findings",
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


def _review_lock(submission_id: int, actor: Any) -> Submission:
    submission = _lock_submission(submission_id)
    if not permissions.can_review_submission(actor, submission):
        raise PermissionDenied
    return submission


@transaction.atomic
def submission_return(*, submission_id: int, comment: str, actor: Any) -> Submission:
    """Return a submitted submission to the actor with a comment (required)."""
    submission = _review_lock(submission_id, actor)
    assert_transition(Submission, submission.status, S.RETURNED)
    if not comment.strip():
        raise FollowUpError(_("Skriv en kommentar om vad som behöver kompletteras."))
    submission.status = S.RETURNED
    submission.returned_comment = comment.strip()
    bump_version(submission)
    submission.save(update_fields=["status", "returned_comment", "lock_version", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.submission.returned",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes={"status": [S.SUBMITTED, S.RETURNED]},
        message=comment.strip(),
    )
    _enqueue_after_commit(_notice_task(), submission.pk, "returned", submission.lock_version)
    return submission


@transaction.atomic
def submission_accept(*, submission_id: int, actor: Any) -> Submission:
    """Accept a submitted submission and write its indicator answers into ``IndicatorValue``
    (indicator, round year, organisation), linking each answer to its value."""
    submission = _review_lock(submission_id, actor)
    assert_transition(Submission, submission.status, S.ACCEPTED)
    for ia in submission.indicator_answers.filter(value__isnull=False):
        value, _created = IndicatorValue.objects.update_or_create(
            indicator_id=ia.indicator_id,
            year=submission.round.year,
            organisation_id=submission.organisation_id,
            defaults={"value": ia.value, "note": ia.note},
        )
        if ia.indicator_value_id != value.pk:
            ia.indicator_value = value
            ia.save(update_fields=["indicator_value", "updated_at"])
    submission.status = S.ACCEPTED
    submission.accepted_at = timezone.now()
    submission.accepted_by = actor if getattr(actor, "pk", None) else None
    bump_version(submission)
    submission.save(
        update_fields=["status", "accepted_at", "accepted_by", "lock_version", "updated_at"]
    )
    audit_log(
        actor=actor,
        action="followup.submission.accepted",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes={"status": [S.SUBMITTED, S.ACCEPTED]},
    )
    _enqueue_after_commit(_notice_task(), submission.pk, "accepted", submission.lock_version)
    return submission


@transaction.atomic
def submission_reopen(*, submission_id: int, actor: Any) -> Submission:
    """The coordinator's "reopen": an accepted submission becomes a draft again."""
    submission = _review_lock(submission_id, actor)
    assert_transition(Submission, submission.status, S.DRAFT)
    if submission.status != S.ACCEPTED:
        raise FollowUpError(_("Bara ett godkänt yttrande kan öppnas igen."))
    submission.status = S.DRAFT
    bump_version(submission)
    submission.save(update_fields=["status", "lock_version", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.submission.reopened",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes={"status": [S.ACCEPTED, S.DRAFT]},
    )
    return submission


@transaction.atomic
def submission_extend_deadline(
    *, submission_id: int, new_deadline: datetime.date | None, actor: Any
) -> Submission:
    """Give one actor a later deadline (``None`` removes the extension)."""
    submission = _review_lock(submission_id, actor)
    if new_deadline is not None and new_deadline <= submission.round.deadline:
        raise FollowUpError(_("Den förlängda svarstiden måste vara efter sista svarsdag."))
    old = submission.deadline_extended_to
    submission.deadline_extended_to = new_deadline
    bump_version(submission)
    submission.save(update_fields=["deadline_extended_to", "lock_version", "updated_at"])
    audit_log(
        actor=actor,
        action="followup.submission.deadline_extended",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes={
            "deadline_extended_to": [
                str(old) if old else None,
                str(new_deadline) if new_deadline else None,
            ]
        },
    )
    return submission


# --- e-mail: invitations and reminders ----------------------------------------------------------


def submission_recipients(submission: Submission) -> list[str]:
    """The organisation's reporters' e-mail addresses plus its function address."""
    from kvinnofrid.accounts.models import Membership, Role

    emails = set(
        Membership.objects.filter(
            organisation_id=submission.organisation_id, role=Role.REPORTER, user__is_active=True
        ).values_list("user__email", flat=True)
    )
    if submission.organisation.email:
        emails.add(submission.organisation.email)
    return sorted(e for e in emails if e)


def _send_logged(*, submission: Submission, kind: str, subject: str, body: str) -> bool:
    """Send one e-mail for ``(submission, kind)`` unless it was already sent (ReminderLog)."""
    from django.core.mail import send_mail

    from followup.models import ReminderLog

    recipients = submission_recipients(submission)
    if not recipients:
        return False
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                submission=submission, kind=kind, recipients=", ".join(recipients)
            )
            send_mail(subject, body, None, recipients)
    except IntegrityError:
        return False
    return True


def _submission_link(submission: Submission) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("followup:submission-edit", kwargs={"pk": submission.pk})


def round_send_invitations(*, round_id: int) -> int:
    """E-mail every invited organisation's contacts a link to its form; once per submission."""
    round_ = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)
    if round_.status != R.OPEN:
        return 0
    sent = 0
    for submission in round_.submissions.select_related("organisation", "round"):
        body = _(
            "Hej!\n\n%(board)s bjuder in %(org)s att lämna yttrande i ”%(title)s”.\n"
            "Sista svarsdag: %(deadline)s.\n\nFyll i formuläret här: %(link)s\n"
        ) % {
            "board": round_.plan.county.board_name,
            "org": submission.organisation.name,
            "title": round_.title,
            "deadline": submission.effective_deadline.isoformat(),
            "link": _submission_link(submission),
        }
        sent += _send_logged(
            submission=submission,
            kind="invitation",
            subject=_("Inbjudan: %(title)s") % {"title": round_.title},
            body=body,
        )
    return sent


def reminder_kind(
    *, submission: Submission, today: datetime.date, days_before: list[int]
) -> str | None:
    """Which reminder (if any) is due: ``before_N`` for the nearest N with 0 < days left <= N,
    ``due_today`` on the deadline and ``overdue`` after it."""
    days_left = (submission.effective_deadline - today).days
    if days_left < 0:
        return "overdue"
    if days_left == 0:
        return "due_today"
    for n in sorted(days_before):
        if days_left <= n:
            return f"before_{n}"
    return None


def reminders_send(*, today: datetime.date | None = None) -> int:
    """E-mail the contacts of every invited organisation that has not submitted in an open
    round: N days before the deadline (settings.REMINDER_DAYS_BEFORE), on the day and after
    it. Each (submission, kind) is sent once (ReminderLog); running twice sends once."""
    from django.conf import settings

    today = today or timezone.localdate()
    days_before = list(settings.REMINDER_DAYS_BEFORE)
    sent = 0
    submissions = Submission.objects.filter(
        round__status=R.OPEN, status__in=[S.NOT_STARTED, S.DRAFT, S.RETURNED]
    ).select_related("round", "organisation")
    for submission in submissions:
        if submission.round.opens_on and today < submission.round.opens_on:
            continue
        kind = reminder_kind(submission=submission, today=today, days_before=days_before)
        if kind is None:
            continue
        deadline = submission.effective_deadline.isoformat()
        if kind == "overdue":
            text = _("Sista svarsdag (%(d)s) har passerat och vi saknar ert yttrande.")
        elif kind == "due_today":
            text = _("I dag (%(d)s) är sista svarsdag för ert yttrande.")
        else:
            text = _("Påminnelse: sista svarsdag för ert yttrande är %(d)s.")
        body = (
            f"{text % {'d': deadline}}\n\n{submission.round.title}: "
            f"{submission.organisation.name}\n\n{_submission_link(submission)}\n"
        )
        sent += _send_logged(
            submission=submission,
            kind=kind,
            subject=_("Påminnelse: %(title)s") % {"title": submission.round.title},
            body=body,
        )
    return sent
