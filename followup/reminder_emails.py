"""The reminder e-mails (issue 16 item 5): reminders before, on and after the deadline, the
coordinator's manual reminder, the escalation after the deadline and the coordinators' daily
summary of a round. Swedish, plain text and HTML (the :class:`~followup.emails.Notice`
templates), with the deadline as a Swedish date and an absolute link to the page to act on.

:func:`deliver_logged` sends one of them together with its log row: the row is written only
when the mail went out (a failure rolls it back, so the next run or click tries again).
"""

import datetime
import logging
import smtplib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from followup.emails import Notice
from followup.models import FollowUpRound, ReminderLog, Submission
from followup.reminder_log import ESCALATION, kind_label

logger = logging.getLogger(__name__)

SENT = "sent"
ALREADY = "already"
FAILED = "failed"


def swedish_date(day: datetime.date | datetime.datetime) -> str:
    """``day`` as "1 december 2026" (the Swedish format whatever the active language)."""
    with translation.override("sv"):
        return str(formats.date_format(day, "j F Y"))


def swedish_moment(moment: datetime.datetime) -> str:
    """``moment`` in local time as "1 december 2026 kl. 08.05"."""
    with translation.override("sv"):
        return str(formats.date_format(timezone.localtime(moment), "j F Y \\k\\l. H.i"))


def _form_link(submission: Submission) -> str:
    site_url: str = settings.SITE_URL
    return site_url + reverse("followup:submission-edit", kwargs={"pk": submission.pk})


def build_reminder(submission: Submission, kind: str, today: datetime.date) -> Notice:
    """The reminder of ``kind`` (``before_N``, ``due_today``, ``manual_<date>`` or
    :data:`ESCALATION`) to the organisation of ``submission``, written for ``today``."""
    round_ = submission.round
    values = {
        "org": submission.organisation.name,
        "title": round_.title,
        "board": round_.plan.county.board_name,
        "deadline": swedish_date(submission.effective_deadline),
    }
    days_left = (submission.effective_deadline - today).days
    locked = _(
        "Formuläret är låst efter sista svarsdag. Kontakta %(board)s om ni behöver förlängd "
        "svarstid."
    )
    if kind == ESCALATION:
        paragraphs = [
            _(
                "Sista svarsdag för yttrandet från %(org)s i ”%(title)s” var %(deadline)s, och "
                "%(board)s har ännu inte fått det."
            ),
            _(
                "Det här meddelandet går till organisationens funktionsadress och till alla dess "
                "rapportörer i Kvinnofrid."
            ),
            locked,
        ]
        subject = _("Yttrande saknas efter sista svarsdag: %(title)s")
    elif days_left < 0:
        paragraphs = [
            _(
                "Sista svarsdag (%(deadline)s) har passerat och %(board)s saknar yttrandet från "
                "%(org)s i ”%(title)s”."
            ),
            locked,
        ]
        subject = _("Påminnelse: %(title)s")
    elif days_left == 0:
        paragraphs = [
            _("I dag, %(deadline)s, är sista svarsdag för yttrandet från %(org)s i ”%(title)s”.")
        ]
        subject = _("Påminnelse: %(title)s")
    else:
        paragraphs = [
            _(
                "%(board)s påminner om yttrandet från %(org)s i ”%(title)s”. Sista svarsdag är "
                "%(deadline)s."
            ),
            _("Yttrandet är inte inskickat ännu."),
        ]
        subject = _("Påminnelse: %(title)s")
    return Notice(
        subject=subject % values,
        paragraphs=[p % values for p in paragraphs],
        link_text=_("Öppna yttrandet"),
        link=_form_link(submission),
    )


@dataclass(frozen=True)
class SummaryRow:
    """One invited actor in the daily summary."""

    organisation: str
    status_label: str
    submitted: bool
    reminders: Sequence[ReminderLog]


def build_summary(
    round_: FollowUpRound,
    rows: Sequence[SummaryRow],
    today: datetime.date,
    since: datetime.datetime,
) -> Notice:
    """The coordinators' daily summary of ``round_``: who has and has not submitted, and the
    reminders sent since ``since``."""
    missing = [r for r in rows if not r.submitted]
    done = [r for r in rows if r.submitted]

    def missing_item(row: SummaryRow) -> str:
        count = len(row.reminders)
        if not count:
            return _("%(org)s – %(status)s – ingen påminnelse") % {
                "org": row.organisation,
                "status": row.status_label,
            }
        last = max(row.reminders, key=lambda log: log.sent_at)
        return ngettext(
            "%(org)s – %(status)s – %(n)d påminnelse, senast %(when)s",
            "%(org)s – %(status)s – %(n)d påminnelser, senast %(when)s",
            count,
        ) % {
            "org": row.organisation,
            "status": row.status_label,
            "n": count,
            "when": swedish_date(timezone.localtime(last.sent_at)),
        }

    recent = [
        f"{row.organisation}: {kind_label(log.kind)}, {swedish_moment(log.sent_at)}"
        for row in rows
        for log in sorted(row.reminders, key=lambda log: log.sent_at)
        if log.sent_at >= since
    ]
    values = {
        "title": round_.title,
        "today": swedish_date(today),
        "deadline": swedish_date(round_.deadline),
        "done": len(done),
        "invited": len(rows),
    }
    return Notice(
        subject=_("Daglig sammanställning: %(title)s") % values,
        paragraphs=[
            _(
                "Sammanställning den %(today)s av ”%(title)s” (sista svarsdag %(deadline)s): "
                "%(done)d av %(invited)d aktörer har skickat in sitt yttrande."
            )
            % values
        ],
        link_text=_("Öppna svarsläget"),
        link=f"{settings.SITE_URL}{reverse('followup:round-detail', kwargs={'pk': round_.pk})}",
        sections=(
            (
                _("Har inte skickat in (%(n)d)") % {"n": len(missing)},
                tuple(map(missing_item, missing)),
            ),
            (
                _("Har skickat in (%(n)d)") % {"n": len(done)},
                tuple(f"{r.organisation} – {r.status_label}" for r in done),
            ),
            (_("Påminnelser det senaste dygnet"), tuple(recent)),
        ),
    )


def deliver_logged(
    *, notice: Notice, recipients: Sequence[str], write_log: Callable[[], object]
) -> str:
    """Send ``notice`` to ``recipients`` in one transaction with ``write_log()`` (the log row and
    the audit entry): :data:`SENT`; :data:`ALREADY` when the log row exists (its unique key);
    :data:`FAILED` when the mail server refused it (logged; nothing is written)."""
    with translation.override("sv"):
        text, html = notice.text(), notice.html()
    subject = " ".join(notice.subject.split())  # a line break in a title never reaches a header
    message = EmailMultiAlternatives(subject, text, None, list(recipients))
    message.attach_alternative(html, "text/html")
    try:
        with transaction.atomic():
            write_log()
            message.send()
    except IntegrityError:
        return ALREADY
    except (smtplib.SMTPException, OSError, ValueError):  # ValueError: a refused header
        logger.exception("E-mail %r not sent; nothing logged, tried again later", subject)
        return FAILED
    return SENT
