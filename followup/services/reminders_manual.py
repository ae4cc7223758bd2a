"""Reminders a coordinator sends from the round page, and the coordinators' daily summary
(issue 16 item 5).

"Skicka påminnelse nu" sends at most one reminder a day per actor: an actor that got any
reminder today (the daily job's or a coordinator's) is reported as already reminded and gets
nothing; the ``manual_<date>`` unique key of ReminderLog keeps two simultaneous clicks to one
e-mail. Each actor is sent to in a transaction of its own, so one refused mailbox never stops the
others and leaves nothing written for itself.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from followup import permissions
from followup.exceptions import FollowUpError
from followup.models import FollowUpRound, ReminderLog, RoundSummaryLog, Submission
from followup.reminder_emails import (
    ALREADY,
    SENT,
    SummaryRow,
    build_summary,
    deliver_logged,
)
from followup.reminder_log import manual_kind
from followup.services._shared import SUBMITTED_STATUSES, R
from followup.services.reminders import NO_RECIPIENTS, send_reminder
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import audit_log

# what counts as "reminded today" (not the invitation or the review notices)
REMINDER_KINDS_PREFIXES = ("before_", "due_today", "overdue", "escalation", "manual_")


@dataclass
class ReminderOutcome:
    """Organisation names per result of one "Skicka påminnelse nu"."""

    sent: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)
    no_recipients: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def reminder_targets(*, round_: FollowUpRound) -> list[Submission]:
    """The round's submissions that are not submitted (those "Skicka till alla" reminds)."""
    return list(
        round_.submissions.exclude(status__in=SUBMITTED_STATUSES)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def reminded_today(*, submission_ids: list[int], today: datetime.date) -> set[int]:
    """Those of ``submission_ids`` that got a reminder on ``today`` (local date)."""
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    rows = ReminderLog.objects.filter(
        submission_id__in=submission_ids, sent_at__gte=start, sent_at__lt=end
    ).values_list("submission_id", "kind")
    return {sid for sid, kind in rows if kind.startswith(REMINDER_KINDS_PREFIXES)}


def reminder_send_now(
    *,
    round_id: int,
    actor: Actor,
    submission_ids: list[int] | None = None,
    today: datetime.date | None = None,
) -> ReminderOutcome:
    """Send a reminder now to the given submissions of the round (``None``: every one not
    submitted), at most one a day per actor, audited as ``followup.reminder.sent``.

    Raises PermissionDenied unless ``actor`` coordinates the round's county, Submission.DoesNotExist
    for an id outside the round, and FollowUpError when the round is not open. Submitted
    actors are skipped, as are those already reminded today; the outcome names each group.
    """
    round_ = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)
    if not permissions.can_manage_round(actor, round_):
        raise PermissionDenied
    if round_.status != R.OPEN:
        raise FollowUpError(
            translation.gettext("Påminnelser kan bara skickas medan uppföljningen är öppen.")
        )
    today = today or timezone.localdate()
    submissions = list(
        round_.submissions.select_related("organisation").order_by("organisation__name")
    )
    if submission_ids is not None:
        wanted = set(submission_ids)
        submissions = [s for s in submissions if s.pk in wanted]
        if len(submissions) != len(wanted):
            raise Submission.DoesNotExist
    outcome = ReminderOutcome()
    done_today = reminded_today(submission_ids=[s.pk for s in submissions], today=today)
    for submission in submissions:
        submission.round = round_
        name = submission.organisation.name
        if submission.status in SUBMITTED_STATUSES:
            outcome.submitted.append(name)
            continue
        if submission.pk in done_today:
            outcome.already.append(name)
            continue
        result = send_reminder(
            submission=submission, kind=manual_kind(today), today=today, actor=actor
        )
        {
            SENT: outcome.sent,
            ALREADY: outcome.already,
            NO_RECIPIENTS: outcome.no_recipients,
        }.get(result, outcome.failed).append(name)
    return outcome


def county_coordinator_emails(county_id: int) -> list[str]:
    """The e-mail addresses of the county's active coordinators."""
    from kvinnofrid.accounts.models import Membership, Role

    emails = Membership.objects.filter(
        role=Role.COORDINATOR, organisation__county_id=county_id, user__is_active=True
    ).values_list("user__email", flat=True)
    return sorted({e for e in emails if e})


def round_summaries_send(*, today: datetime.date | None = None) -> int:
    """The daily summary to the county's coordinators of every open round past its deadline
    with an actor still missing: who has and has not submitted and the reminders sent. Once a
    round and day (RoundSummaryLog); audited as ``followup.round.summary_sent``. Returns the
    number of summaries sent."""
    today = today or timezone.localdate()
    rounds = FollowUpRound.objects.filter(status=R.OPEN, deadline__lt=today).select_related(
        "plan__county"
    )
    sent = 0
    for round_ in rounds:
        if RoundSummaryLog.objects.filter(round=round_, sent_on=today).exists():
            continue
        sent += _send_summary(round_, today) == SENT
    return sent


def _send_summary(round_: FollowUpRound, today: datetime.date) -> str | None:
    submissions = list(
        round_.submissions.select_related("organisation").order_by("organisation__name")
    )
    if all(s.status in SUBMITTED_STATUSES for s in submissions):
        return None
    recipients = county_coordinator_emails(round_.plan.county_id)
    if not recipients:
        return None
    logs: dict[int, list[ReminderLog]] = defaultdict(list)
    for log in ReminderLog.objects.filter(submission__round=round_).exclude(kind="invitation"):
        if log.kind.startswith(REMINDER_KINDS_PREFIXES):
            logs[log.submission_id].append(log)
    labels = dict(Submission.Status.choices)
    with translation.override("sv"):
        rows = [
            SummaryRow(
                organisation=s.organisation.name,
                status_label=str(labels[s.status]),
                submitted=s.status in SUBMITTED_STATUSES,
                reminders=logs[s.pk],
            )
            for s in submissions
        ]
        notice = build_summary(round_, rows, today, since=timezone.now() - datetime.timedelta(1))

    def write_log() -> None:
        RoundSummaryLog.objects.create(
            round=round_, sent_on=today, recipients=", ".join(recipients)
        )
        audit_log(
            actor=None,
            action="followup.round.summary_sent",
            target=round_,
            changes={"recipients": [None, len(recipients)]},
            county_id=round_.plan.county_id,
        )

    return deliver_logged(notice=notice, recipients=recipients, write_log=write_log)
