"""Who exists: Sweden's counties (län) and the organisations (aktörer) in them.

The bottom of the domain: accounts, agreements, action plans and the follow-up all point at a
county or an organisation, so these live below every app that uses them (DESIGN §3).
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kvinnofrid.core.models import TimeStampedModel
from kvinnofrid.directory.scopes import Reader, county_scope_q


class CountyQuerySet(models.QuerySet["County"]):
    def visible_to(self, user: Reader) -> "CountyQuerySet":
        return self.filter(county_scope_q(user, "pk"))


def county_logo_upload_to(instance: "County", filename: str) -> str:
    return f"county-logos/{instance.code}/{filename}"


class County(models.Model):
    """One of Sweden's 21 län; reference data from a data migration."""

    code = models.CharField(_("länskod"), max_length=2, unique=True)
    letter = models.CharField(_("länsbokstav"), max_length=2, unique=True)
    name = models.CharField(_("namn"), max_length=100, unique=True)
    board_name = models.CharField(_("länsstyrelse"), max_length=100)
    # Checked by kvinnofrid.directory.logo before it is stored (SVG or PNG).
    logo = models.FileField(_("logotyp"), upload_to=county_logo_upload_to, blank=True)

    objects = CountyQuerySet.as_manager()

    class Meta:
        verbose_name = _("län")
        verbose_name_plural = _("län")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """One of Sweden's 290 municipalities (SCB's kommunkoder); reference data from a data
    migration that reads ``fixtures/reference/municipalities.csv``."""

    code = models.CharField(_("kommunkod"), max_length=4, unique=True)
    name = models.CharField(_("namn"), max_length=100)
    county = models.ForeignKey(
        County, verbose_name=_("län"), on_delete=models.PROTECT, related_name="municipalities"
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class OrganisationKind(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    REGION = "region", _("Region")
    LANSSTYRELSE = "lansstyrelse", _("Länsstyrelse")
    POLIS = "polis", _("Polismyndigheten")
    AKLAGARE = "aklagare", _("Åklagarmyndigheten")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
    KRIMINALVARDEN = "kriminalvarden", _("Kriminalvården")
    KVINNOJOUR = "kvinnojour", _("Kvinnojour/tjejjour")
    BROTTSOFFERJOUR = "brottsofferjour", _("Brottsofferjour")
    IDEELL = "ideell", _("Annan ideell organisation")
    TROSSAMFUND = "trossamfund", _("Trossamfund")
    LAROSATE = "larosate", _("Lärosäte")
    KOMMUNFORBUND = "kommunforbund", _("Kommunförbund/nätverk")
    MYNDIGHET = "myndighet", _("Annan myndighet")
    ANNAN = "annan", _("Annan")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active_on(self, day: datetime.date) -> "OrganisationQuerySet":
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=day)).filter(
            Q(active_until__isnull=True) | Q(active_until__gte=day)
        )

    def visible_to(self, user: Reader) -> "OrganisationQuerySet":
        return self.filter(county_scope_q(user, "county"))


class Organisation(TimeStampedModel):
    """An aktör: a municipality, the region, an authority or a civil-society organisation.

    National bodies (e.g. Jämställdhetsmyndigheten for observers) have no county.
    """

    county = models.ForeignKey(
        County,
        verbose_name=_("län"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av aktör"), max_length=30, choices=OrganisationKind.choices)
    municipality_code = models.CharField(_("kommunkod"), max_length=4, blank=True)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        blank=True,
        help_text=_("Tio siffror, till exempel 212000-0142."),
    )
    # the organisation's functional mailbox (e.g. kommun@…), where the yttrande invitations go
    email = models.EmailField(_("funktionsadress"), blank=True)
    active_from = models.DateField(_("aktiv från"), null=True, blank=True)
    active_until = models.DateField(_("aktiv till"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")
        ordering = ["county__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="organisation_unique_name"),
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~Q(municipality_code=""),
                name="organisation_unique_municipality_code",
            ),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_until__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="organisation_active_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
