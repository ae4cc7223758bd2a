"""Follow-up rounds: create, update, open, close, reopen, mark reported; the round's questions."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.models import ActionPlan
from followup import permissions
from followup.exceptions import FollowUpError
from followup.models import (
    FollowUpRound,
    Question,
    StatusReport,
    Submission,
)
from followup.services._shared import (
    R,
    S,
    _county_id,
    _enqueue_after_commit,
)
from followup.states import assert_transition
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import audit_log
from kvinnofrid.core.forms import clean_text, validate_single_line
from kvinnofrid.core.locking import StaleObjectError, bump_version
from kvinnofrid.directory.models import Organisation


def _check_title(title: str) -> None:
    """A round's title heads every e-mail of the round: one line, no control characters."""
    try:
        clean_text(title)
        validate_single_line(title)
    except ValidationError as exc:
        raise FollowUpError(exc.messages[0]) from exc


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
    actor: Actor,
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
    _check_title(title)
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
    actor: Actor,
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
    _check_title(title)
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


def _log_created_submissions(round_: FollowUpRound, org_ids: list[int], actor: Actor) -> None:
    """One entry per new yttrande, so its history starts where it was created."""
    created = Submission.objects.filter(round=round_, organisation_id__in=org_ids)
    for submission in created.select_related("organisation", "round"):
        audit_log(
            actor=actor,
            action="followup.submission.created",
            target=submission,
            county_id=_county_id(round_),
            changes={"status": [None, submission.status]},
        )


def _round_transition(*, round_id: int, new: str, actor: Actor, action: str) -> FollowUpRound:
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
def round_open(*, round_id: int, actor: Actor) -> FollowUpRound:
    """Open a draft (or reopen a closed) round: one submission per invited organisation (status
    not_started) and, after commit, an invitation e-mail to each organisation's contacts."""
    from followup.tasks import send_round_invitations_task

    round_ = FollowUpRound.objects.select_for_update().get(pk=round_id)
    if round_.status == R.DRAFT and not round_.invited_organisations.exists():
        raise FollowUpError(_("Bjud in minst en aktör innan uppföljningen öppnas."))
    action = "followup.round.reopened" if round_.status == R.CLOSED else "followup.round.opened"
    round_ = _round_transition(round_id=round_id, new=R.OPEN, actor=actor, action=action)
    _log_created_submissions(round_, _create_submissions(round_), actor)
    _enqueue_after_commit(send_round_invitations_task, round_.pk)
    return round_


@transaction.atomic
def round_close(*, round_id: int, actor: Actor) -> FollowUpRound:
    """Close an open round; submissions can no longer be edited or submitted."""
    return _round_transition(
        round_id=round_id, new=R.CLOSED, actor=actor, action="followup.round.closed"
    )


@transaction.atomic
def round_reopen(*, round_id: int, actor: Actor) -> FollowUpRound:
    """Open a closed round again (closed → open)."""
    return round_open(round_id=round_id, actor=actor)


@transaction.atomic
def round_mark_reported(*, round_id: int, actor: Actor) -> FollowUpRound:
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
    actor: Actor,
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
