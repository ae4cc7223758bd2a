"""The county's yearly report-back (återrapportering) to Jämställdhetsmyndigheten."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.models import LockVersionedModel
from kvinnofrid.directory.scopes import county_scope_q


class ReportBackQuerySet(models.QuerySet["ReportBack"]):
    def visible_to(self, user: Actor) -> "ReportBackQuerySet":
        return self.filter(county_scope_q(user, "county"))


class ReportBack(LockVersionedModel):
    """A county's yearly report-back (återrapportering) to Jämställdhetsmyndigheten: generated
    per national goal from the plan and the round; the coordinator writes ``texts`` (one per
    national goal, keyed by the goal's number) and finalises it like the lägesrapport."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        FINAL = "final", _("Fastställd")

    county = models.ForeignKey(
        "directory.County",
        verbose_name=_("län"),
        on_delete=models.PROTECT,
        related_name="report_backs",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    round = models.ForeignKey(
        "followup.FollowUpRound",
        verbose_name=_("uppföljning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_backs",
    )
    texts = models.JSONField(_("texter per nationell målsättning"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    finalised_at = models.DateTimeField(_("fastställd"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fastställd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReportBackQuerySet.as_manager()

    class Meta:
        verbose_name = _("återrapportering")
        verbose_name_plural = _("återrapporteringar")
        ordering = ["county__code", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="reportback_unique_county_year",
                violation_error_message=_(
                    "Det finns redan en återrapportering för länet och året."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"Återrapportering {self.year} – {self.county}"
