"""Which goal chapters of the lägesrapport show a reported activity as an example.

An activity that serves several goals (through its delmål) may be highlighted under each of them,
at its own position per goal. ``ReportedActivity.highlighted`` and ``highlight_order`` are kept
as a summary (highlighted under any goal; the smallest position) for the exports and the national
report-back, and are written by the same service.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportedActivityHighlight(models.Model):
    """One reported activity shown under one goal of the report, at ``order``."""

    activity = models.ForeignKey(
        "followup.ReportedActivity",
        verbose_name=_("aktivitet"),
        on_delete=models.CASCADE,
        related_name="goal_highlights",
    )
    goal = models.ForeignKey(
        "actionplans.Goal",
        verbose_name=_("mål"),
        on_delete=models.CASCADE,
        related_name="activity_highlights",
    )
    order = models.PositiveIntegerField(_("ordning i lägesrapporten"), default=0)

    class Meta:
        verbose_name = _("framlyft aktivitet")
        verbose_name_plural = _("framlyfta aktiviteter")
        ordering = ["goal_id", "order", "activity_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "goal"], name="reportedactivityhighlight_unique_goal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.goal_id}"
