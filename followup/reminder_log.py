"""What e-mail went out when: one row per (yttrande, kind) and one per (round, day) summary.

The unique keys make the daily job and repeated clicks idempotent: a manual reminder is logged
with the kind ``manual_<date>`` (at most one a day per actor), the escalation after the deadline
as ``escalation`` (once), the coordinators' daily summary as one :class:`RoundSummaryLog` row a
day. A row is written only together with its e-mail: a mail that fails rolls it back.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

MANUAL_PREFIX = "manual_"
ESCALATION = "escalation"


def manual_kind(day: datetime.date) -> str:
    """The ReminderLog kind of a manual reminder sent on ``day``."""
    return f"{MANUAL_PREFIX}{day.isoformat()}"


def kind_label(kind: str) -> str:
    """The Swedish name of a ReminderLog kind, as the round page and the summary show it."""
    if kind.startswith("before_") and kind[7:].isdigit():
        days = int(kind[7:])
        return ngettext(
            "Påminnelse %(n)d dag före sista svarsdag",
            "Påminnelse %(n)d dagar före sista svarsdag",
            days,
        ) % {"n": days}
    if kind.startswith(MANUAL_PREFIX):
        return gettext("Påminnelse skickad av samordnare")
    labels = {
        "invitation": gettext("Inbjudan"),
        "due_today": gettext("Påminnelse på sista svarsdagen"),
        "overdue": gettext("Påminnelse efter sista svarsdagen"),
        ESCALATION: gettext("Eskalering efter sista svarsdagen"),
        "submitted": gettext("Kvitto: inskickat"),
        "returned": gettext("Besked: skickat tillbaka för komplettering"),
        "accepted": gettext("Besked: godkänt"),
    }
    return str(labels.get(kind.split("_v")[0], kind))


class ReminderLog(models.Model):
    """One reminder sent for one submission; the unique key makes the daily job idempotent."""

    submission = models.ForeignKey(
        "followup.Submission",
        verbose_name=_("yttrande"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("typ"), max_length=30)
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    recipients = models.TextField(_("mottagare"), blank=True)

    class Meta:
        app_label = "followup"
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="reminderlog_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.submission} {self.kind}"

    @property
    def recipient_count(self) -> int:
        return len([r for r in self.recipients.split(",") if r.strip()])


class RoundSummaryLog(models.Model):
    """The daily summary of a round sent to its county's coordinators, once a day."""

    round = models.ForeignKey(
        "followup.FollowUpRound",
        verbose_name=_("uppföljning"),
        on_delete=models.CASCADE,
        related_name="summaries",
    )
    sent_on = models.DateField(_("dag"))
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    recipients = models.TextField(_("mottagare"), blank=True)

    class Meta:
        app_label = "followup"
        verbose_name = _("daglig sammanställning")
        verbose_name_plural = _("dagliga sammanställningar")
        constraints = [
            models.UniqueConstraint(fields=["round", "sent_on"], name="roundsummarylog_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.sent_on}"
