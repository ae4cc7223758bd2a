"""The coordinator's review of a submission: return, accept, reopen, extend the deadline."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import IndicatorValue
from followup import permissions
from followup.exceptions import FollowUpError
from followup.models import (
    Submission,
)
from followup.services._shared import (
    S,
    _enqueue_after_commit,
    _lock_submission,
    _notice_task,
)
from followup.states import assert_transition
from kvinnofrid.accounts.models import Actor, recorded_user
from kvinnofrid.core.audit import audit_log, text_change
from kvinnofrid.core.locking import bump_version


def _review_lock(submission_id: int, actor: Actor) -> Submission:
    submission = _lock_submission(submission_id)
    if not permissions.can_review_submission(actor, submission):
        raise PermissionDenied
    return submission


@transaction.atomic
def submission_return(*, submission_id: int, comment: str, actor: Actor) -> Submission:
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
        # the comment is free text (it may name people): only its length is kept
        changes={
            "status": [S.SUBMITTED, S.RETURNED],
            "returned_comment": text_change("", comment.strip()),
        },
    )
    _enqueue_after_commit(_notice_task(), submission.pk, "returned", submission.lock_version)
    return submission


@transaction.atomic
def submission_accept(*, submission_id: int, actor: Actor) -> Submission:
    """Accept a submitted submission and write its indicator answers into ``IndicatorValue``
    (indicator, round year, organisation), linking each answer to its value."""
    submission = _review_lock(submission_id, actor)
    assert_transition(Submission, submission.status, S.ACCEPTED)
    for ia in submission.indicator_answers.filter(value__isnull=False):
        if ia.value is None:  # excluded by the filter; tells the type checker
            continue
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
    submission.accepted_by = recorded_user(actor)
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
def submission_reopen(*, submission_id: int, actor: Actor) -> Submission:
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
    *, submission_id: int, new_deadline: datetime.date | None, actor: Actor
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
