"""E-mail: invitations when a round opens, deadline reminders and the escalation after the
deadline; each sent once (ReminderLog)."""

import datetime
import logging
import smtplib

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from followup.models import (
    FollowUpRound,
    Submission,
)
from followup.reminder_emails import SENT, build_reminder, deliver_logged
from followup.reminder_log import ESCALATION, MANUAL_PREFIX
from followup.services._shared import (
    R,
    S,
)
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import audit_log

NO_RECIPIENTS = "no_recipients"
REMINDER_SENT = "followup.reminder.sent"

logger = logging.getLogger(__name__)


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
    """Send one e-mail for ``(submission, kind)`` unless it was already sent (ReminderLog).

    A failure to send (a refused header, an unreachable mail server) is logged and rolls the
    log row back, so the next run retries this submission; it never stops the others.
    """
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
            send_mail(" ".join(subject.split()), body, None, recipients)
    except IntegrityError:
        return False
    except (smtplib.SMTPException, OSError, ValueError):  # ValueError: a refused header
        logger.exception(
            "E-mail %s for submission %s not sent; retried next run", kind, submission.pk
        )
        return False
    return True


def _submission_link(submission: Submission) -> str:
    from django.conf import settings
    from django.urls import reverse

    site_url: str = settings.SITE_URL
    return site_url + reverse("followup:submission-edit", kwargs={"pk": submission.pk})


def round_send_invitations(*, round_id: int) -> int:
    """E-mail every invited organisation's contacts a link to its form; once per submission.

    An organisation with no reporter yet gets, in the same e-mail to its functional mailbox, a
    one-time invitation link (issue 13 item 3), so a new actor can answer its first yttrande the
    same day; the invitation is rolled back with the e-mail if the mail cannot be sent.
    """
    from followup.models import ReminderLog

    round_ = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)
    if round_.status != R.OPEN:
        return 0
    sent = 0
    for submission in round_.submissions.select_related("organisation", "round"):
        if ReminderLog.objects.filter(submission=submission, kind="invitation").exists():
            continue
        with transaction.atomic():
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
            body += _first_person_invitation(submission)
            delivered = _send_logged(
                submission=submission,
                kind="invitation",
                subject=_("Inbjudan: %(title)s") % {"title": round_.title},
                body=body,
            )
            if not delivered:
                transaction.set_rollback(True)  # no dangling invitation without its e-mail
        sent += delivered
    return sent


def _first_person_invitation(submission: Submission) -> str:
    """For an organisation with no active reporter but a functional mailbox: a paragraph with a
    one-time link that makes the reader its reporter (empty otherwise, or when an invitation
    for the mailbox is already pending: that e-mail carries the link)."""
    from kvinnofrid.accounts.models import Membership, Role
    from kvinnofrid.accounts.services import InvitationError, invitation_create, invitation_url

    organisation = submission.organisation
    has_reporter = Membership.objects.filter(
        organisation=organisation, role=Role.REPORTER, user__is_active=True
    ).exists()
    if has_reporter or not organisation.email:
        return ""
    try:
        _invitation, token = invitation_create(
            actor=None,
            organisation_id=organisation.pk,
            email=organisation.email,
            role=Role.REPORTER,
            skip_permission_checks=True,
            send_email=False,
        )
    except InvitationError:
        return ""
    return _(
        "\n%(org)s har ingen rapportör i Kvinnofrid ännu. Skapa ett konto med den här länken "
        "(gäller en gång, i 14 dagar) och svara direkt: %(link)s\n"
    ) % {"org": organisation.name, "link": invitation_url(token)}


def reminder_kind(
    *, submission: Submission, today: datetime.date, days_before: list[int]
) -> str | None:
    """Which reminder (if any) is due: ``before_N`` for the nearest N with 0 < days left <= N,
    ``due_today`` on the deadline and the escalation (:data:`ESCALATION`) after it."""
    days_left = (submission.effective_deadline - today).days
    if days_left < 0:
        return ESCALATION
    if days_left == 0:
        return "due_today"
    for n in sorted(days_before):
        if days_left <= n:
            return f"before_{n}"
    return None


def reminders_send(*, today: datetime.date | None = None) -> int:
    """The daily job: e-mail the contacts of every invited organisation that has not submitted
    in an open round N days before the deadline (settings.REMINDER_DAYS_BEFORE) and on the day;
    after it, once, the escalation to the organisation's functional mailbox and all its
    reporters (audited as ``followup.reminder.escalated``); then the coordinators' daily summary
    of each open round past its deadline (:func:`round_summaries_send`). Each (submission, kind)
    is sent once (ReminderLog) and each summary once a day: running twice sends once."""
    from django.conf import settings

    from followup.services.reminders_manual import round_summaries_send

    today = today or timezone.localdate()
    days_before = list(settings.REMINDER_DAYS_BEFORE)
    sent = 0
    submissions = Submission.objects.filter(
        round__status=R.OPEN, status__in=[S.NOT_STARTED, S.DRAFT, S.RETURNED]
    ).select_related("round__plan__county", "organisation")
    for submission in submissions:
        if submission.round.opens_on and today < submission.round.opens_on:
            continue
        kind = reminder_kind(submission=submission, today=today, days_before=days_before)
        if kind is None or (kind == ESCALATION and _escalated_before(submission)):
            continue
        sent += send_reminder(submission=submission, kind=kind, today=today, actor=None) == SENT
    round_summaries_send(today=today)
    return sent


def _escalated_before(submission: Submission) -> bool:
    """Rows of the job before the escalation existed ("overdue") count as the escalation."""
    return submission.reminders.filter(kind__in=[ESCALATION, "overdue"]).exists()


def send_reminder(*, submission: Submission, kind: str, today: datetime.date, actor: Actor) -> str:
    """E-mail the reminder ``kind`` to the organisation's reporters and functional mailbox,
    logged as (submission, kind); manual reminders and escalations also in the audit trail.
    Returns ``SENT``, ``ALREADY`` (logged before), ``FAILED`` (mail server; nothing written)
    or ``NO_RECIPIENTS``."""
    from followup.models import ReminderLog

    recipients = submission_recipients(submission)
    if not recipients:
        return NO_RECIPIENTS
    with translation.override("sv"):
        notice = build_reminder(submission, kind, today)

    def write_log() -> None:
        log = ReminderLog.objects.create(
            submission=submission, kind=kind, recipients=", ".join(recipients)
        )
        if kind == ESCALATION or kind.startswith(MANUAL_PREFIX):
            audit_log(
                actor=actor,
                action="followup.reminder.escalated" if kind == ESCALATION else REMINDER_SENT,
                target=submission,
                changes={"kind": [None, kind], "recipients": [None, log.recipient_count]},
                county_id=submission.round.plan.county_id,
            )

    return deliver_logged(notice=notice, recipients=recipients, write_log=write_log)
