"""The regional agreements (överenskommelser) and what they hold: parties, målområden, meetings."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.models import LockVersionedModel
from kvinnofrid.directory.models import County, Organisation
from kvinnofrid.directory.scopes import county_scope_q


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def visible_to(self, user: Actor) -> "AgreementQuerySet":
        return self.filter(county_scope_q(user, "county"))


class Agreement(LockVersionedModel):
    """A regional överenskommelse, signed by the county's authorities."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        IN_FORCE = "in_force", _("Gäller")
        EXPIRED = "expired", _("Har upphört")

    county = models.ForeignKey(
        County, verbose_name=_("län"), on_delete=models.PROTECT, related_name="agreements"
    )
    title = models.CharField(_("titel"), max_length=300)
    governing_body = models.CharField(_("ledningsgrupp"), max_length=200, blank=True)
    meetings_per_year = models.PositiveSmallIntegerField(
        _("sammanträden per år"), null=True, blank=True
    )
    purpose = models.TextField(_("syfte"), blank=True)
    vision = models.TextField(_("vision"), blank=True)
    scope_text = models.TextField(_("omfattning"), blank=True)
    signed_on = models.DateField(_("undertecknad"), null=True, blank=True)
    signed_place = models.CharField(_("ort"), max_length=100, blank=True)
    valid_from = models.DateField(_("gäller från"), null=True, blank=True)
    valid_until = models.DateField(_("gäller till och med"), null=True, blank=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=50, blank=True)
    objects = AgreementQuerySet.as_manager()
    previous = models.ForeignKey(
        "self",
        verbose_name=_("föregående överenskommelse"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
    )

    class Meta:
        verbose_name = _("regional överenskommelse")
        verbose_name_plural = _("regionala överenskommelser")
        ordering = ["county__code", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("Slutdatumet kan inte ligga före startdatumet.")}
            )

    def status_on(self, day: datetime.date) -> str:
        """Draft until signed, then in force until ``valid_until``, then expired."""
        return self.status_of(self.signed_on, self.valid_from, self.valid_until, day)

    @classmethod
    def status_of(
        cls,
        signed_on: datetime.date | None,
        valid_from: datetime.date | None,
        valid_until: datetime.date | None,
        day: datetime.date,
    ) -> str:
        """:meth:`status_on` of an agreement read as plain values."""
        if not signed_on or (valid_from and day < valid_from):
            return cls.Status.DRAFT
        if valid_until and day > valid_until:
            return cls.Status.EXPIRED
        return cls.Status.IN_FORCE

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def days_left(self) -> int | None:
        if not self.valid_until:
            return None
        return (self.valid_until - timezone.localdate()).days


class Party(models.Model):
    """A signatory of an agreement: the organisation and the person who signed for it."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("överenskommelse"),
        on_delete=models.CASCADE,
        related_name="parties",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="parties",
    )
    signatory_name = models.CharField(_("undertecknare"), max_length=200, blank=True)
    signatory_title = models.CharField(_("titel"), max_length=200, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parter")
        ordering = ["agreement_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organisation"], name="party_unique_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.signatory_name})"


class Commitment(models.Model):
    """A målområde of an agreement, optionally tied to a national goal."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("överenskommelse"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    heading = models.CharField(_("målområde"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    national_goal = models.ForeignKey(
        "actionplans.NationalGoal",
        verbose_name=_("nationell målsättning"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    indicator_hint = models.CharField(_("indikator"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("målområde")
        verbose_name_plural = _("målområden")
        ordering = ["agreement_id", "order", "id"]

    def __str__(self) -> str:
        return self.heading


class Meeting(models.Model):
    """A meeting of the agreement's governing body (ledningsgrupp / chefsråd)."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("överenskommelse"),
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    date = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=200, blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    decisions = models.TextField(_("beslut"), blank=True)

    class Meta:
        verbose_name = _("sammanträde")
        verbose_name_plural = _("sammanträden")
        ordering = ["agreement_id", "-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"
