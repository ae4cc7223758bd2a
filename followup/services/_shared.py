"""Helpers shared by the follow-up services: status shorthands, the submission lock and
the editable check every write of the actor's form runs."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from followup import permissions
from followup.exceptions import FollowUpError
from followup.models import (
    FollowUpRound,
    Submission,
)
from followup.states import assert_transition
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.locking import StaleObjectError, bump_version

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


def _check_editable(submission: Submission, actor: Actor) -> None:
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


def _touch(submission: Submission, actor: Actor) -> None:
    """Bump the version and move not_started → draft on the first save."""
    fields = ["lock_version", "updated_at"]
    if submission.status == S.NOT_STARTED:
        assert_transition(Submission, submission.status, S.DRAFT)
        submission.status = S.DRAFT
        fields.append("status")
    bump_version(submission)
    submission.save(update_fields=fields)
