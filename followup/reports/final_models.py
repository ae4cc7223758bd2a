"""The final version of a lägesrapport: the PDF/A-2 file rendered once at "Fastställ" (what is
downloaded and archived, byte for byte) and the HTML version frozen at the same moment."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def final_upload_to(instance: "FinalReportVersion", filename: str) -> str:
    report = instance.report
    return f"reports/{report.round.plan.county.code}/{report.round.year}/final/{filename}"


class FinalReportVersion(models.Model):
    """Written once, when the report is finalised; never changed afterwards."""

    report = models.OneToOneField(
        "followup.StatusReport",
        verbose_name=_("lägesrapport"),
        on_delete=models.PROTECT,
        related_name="final_version",
    )
    pdf = models.FileField(_("PDF"), upload_to=final_upload_to)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64)
    page_count = models.PositiveIntegerField(_("antal sidor"))
    html = models.TextField(_("HTML-version"))
    source_digest = models.CharField(_("källsumma"), max_length=64)
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)

    class Meta:
        verbose_name = _("fastställd version")
        verbose_name_plural = _("fastställda versioner")

    def __str__(self) -> str:
        return f"{self.report} ({self.pdf_sha256[:12]})"
