"""Confirmation e-mails of the yttrande's review steps (issue 13 item 3).

When a submission is submitted, sent back for completion ("skickad tillbaka för komplettering")
or accepted, its organisation hears of it: whoever submitted it, the organisation's reporters and
its functional mailbox get one Swedish e-mail (plain text and HTML). The services enqueue
``followup.send_submission_notice`` after commit; the task calls :func:`send_submission_notice`,
which sends each (submission, event, version) once, whatever the number of deliveries.
"""

import logging
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from followup.models import ReminderLog, Submission

logger = logging.getLogger(__name__)

SUBMITTED = "submitted"
RETURNED = "returned"
ACCEPTED = "accepted"
EVENTS = (SUBMITTED, RETURNED, ACCEPTED)


@dataclass(frozen=True)
class Notice:
    """One e-mail: subject, paragraphs, optional lists under headings and a link, rendered to
    text and HTML."""

    subject: str
    paragraphs: list[str]
    link_text: str
    link: str
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def text(self) -> str:
        return render_to_string("followup/email/notice.txt", {"notice": self})

    def html(self) -> str:
        return render_to_string("followup/email/notice.html", {"notice": self})


def notice_recipients(submission: Submission) -> list[str]:
    """Who submitted it, the organisation's active reporters and its functional mailbox."""
    from followup.services import submission_recipients

    emails = set(submission_recipients(submission))
    submitter = submission.submitted_by
    if submitter is not None and submitter.is_active and submitter.email:
        emails.add(submitter.email)
    return sorted(emails)


def build_notice(submission: Submission, event: str) -> Notice:
    """The Swedish e-mail for ``event`` (one of :data:`EVENTS`) about ``submission``."""
    round_ = submission.round
    values = {
        "org": submission.organisation.name,
        "title": round_.title,
        "board": round_.plan.county.board_name,
    }
    detail = settings.SITE_URL + reverse("followup:submission-detail", args=[submission.pk])
    if event == SUBMITTED:
        moment = timezone.localtime(submission.submitted_at or submission.updated_at)
        when = formats.date_format(moment, "j F Y")
        return Notice(
            subject=_("Yttrandet är inskickat: %(title)s") % values,
            paragraphs=[
                _("%(org)s har skickat in sitt yttrande i ”%(title)s” den %(date)s.")
                % {**values, "date": when},
                _("%(board)s går igenom yttrandet och hör av sig om något behöver kompletteras.")
                % values,
            ],
            link_text=_("Läs yttrandet"),
            link=detail,
        )
    if event == RETURNED:
        deadline = formats.date_format(submission.effective_deadline, "j F Y")
        return Notice(
            subject=_("Yttrandet behöver kompletteras: %(title)s") % values,
            paragraphs=[
                _(
                    "%(board)s har skickat tillbaka yttrandet från %(org)s i ”%(title)s” för "
                    "komplettering."
                )
                % values,
                _("Samordnarens kommentar: %(comment)s") % {"comment": submission.returned_comment},
                _("Komplettera yttrandet och skicka in det igen senast %(deadline)s.")
                % {"deadline": deadline},
            ],
            link_text=_("Komplettera yttrandet"),
            link=settings.SITE_URL + reverse("followup:submission-edit", args=[submission.pk]),
        )
    if event == ACCEPTED:
        return Notice(
            subject=_("Yttrandet är godkänt: %(title)s") % values,
            paragraphs=[
                _("%(board)s har godkänt yttrandet från %(org)s i ”%(title)s”.") % values,
                _("Tack för ert bidrag till uppföljningen."),
            ],
            link_text=_("Läs yttrandet"),
            link=detail,
        )
    raise ValueError(f"unknown event {event!r}")


def send_submission_notice(*, submission_id: int, event: str, version: int) -> bool:
    """Send the ``event`` e-mail for the submission's state at lock ``version``, once.

    The (submission, kind) row in ReminderLog is the guard: a second delivery of the task finds
    it and sends nothing. A mail server error is logged and leaves no row (False returned).
    """
    submission = (
        Submission.objects.select_related("organisation", "round__plan__county", "submitted_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or event not in EVENTS:
        return False
    recipients = notice_recipients(submission)
    if not recipients:
        return False
    with translation.override("sv"):
        notice = build_notice(submission, event)
        text, html = notice.text(), notice.html()
    message = EmailMultiAlternatives(notice.subject, text, None, recipients)
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                submission=submission,
                kind=f"{event}_v{version}"[:30],
                recipients=", ".join(recipients),
            )
            message.send()
    except IntegrityError:
        return False
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the %s e-mail of submission %s", event, submission_id)
        return False
    return True
