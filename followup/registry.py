"""The county's diarium: how incoming yttranden and final reports get their diarienummer."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from kvinnofrid.core.models import LockVersionedModel


class Registry(LockVersionedModel):
    """How a county registers incoming yttranden and final reports in its diarium (DESIGN §4).

    Automatic: the portal gives each a number of the county's yearly series, ``{prefix}{n}-{year}``
    (e.g. "851-12-2023"), when the yttrande is received or the report finalised. Manual: the
    county registers in its own diarium and the coordinator types the number in.
    """

    class Mode(models.TextChoices):
        AUTOMATIC = "automatic", _("Löpnummer i portalen")
        MANUAL = "manual", _("Manuellt (länets eget diarium)")

    county = models.OneToOneField(
        "directory.County", verbose_name=_("län"), on_delete=models.CASCADE, related_name="registry"
    )
    mode = models.CharField(_("diarieföring"), max_length=20, choices=Mode.choices)
    prefix = models.CharField(
        _("förled"),
        max_length=20,
        blank=True,
        help_text=_("Skrivs före löpnumret, t.ex. 851- (ger 851-12-2023)."),
    )

    class Meta:
        verbose_name = _("diarieinställning")
        verbose_name_plural = _("diarieinställningar")

    def __str__(self) -> str:
        return f"{self.county} ({self.get_mode_display()})"


class RegistryCounter(models.Model):
    """The last running number given in a county's series for one year (locked to allocate)."""

    county = models.ForeignKey(
        "directory.County", verbose_name=_("län"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    last_number = models.PositiveIntegerField(_("senaste löpnummer"), default=0)

    class Meta:
        verbose_name = _("diarieserie")
        verbose_name_plural = _("diarieserier")
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="registrycounter_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.year}: {self.last_number}"
