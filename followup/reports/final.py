"""The final version of a lägesrapport: rendered once at "Fastställ" as tagged PDF/A-2 with the
PDF/UA-1 identification, stored with its SHA-256 next to the frozen HTML version.

The download of a final report serves exactly the stored file; the web version serves exactly the
stored HTML (it is never rendered again).
"""

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext as _

from followup.exceptions import FollowUpError
from followup.models import FinalReportVersion, StatusReport
from followup.reports.context import report_data
from followup.reports.pdf import ReportRenderer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class FinalRender:
    pdf: bytes
    html: str
    page_count: int
    source_digest: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def render_final(*, report_id: int, renderer: ReportRenderer | None = None) -> FinalRender:
    """The report as it reads now (finalised: no draft mark) as PDF and as its web version."""
    renderer = renderer or ReportRenderer()
    data = report_data(report_id=report_id)
    rendered = renderer.render_pdf(renderer.render_html(data))
    html = renderer.render_html(
        data,
        preview=True,
        extra={
            "web_version": True,
            "back_url": reverse("followup:report-detail", args=[report_id]),
            # The unhashed name: a stylesheet renamed by a later deployment stays reachable.
            "stylesheet_href": f"{settings.STATIC_URL}report/{renderer.stylesheet}",
        },
    )
    return FinalRender(
        pdf=rendered.content,
        html=html,
        page_count=rendered.page_count,
        source_digest=data.digest(),
    )


def store_final_version(
    report: StatusReport, *, renderer: ReportRenderer | None = None
) -> FinalReportVersion:
    """Render and store the final version; called by ``report_finalise`` inside its transaction,
    after the report became final. A failure raises FollowUpError (the caller's transaction rolls
    back, so the report stays a draft) and leaves no file behind."""
    try:
        final = render_final(report_id=report.pk, renderer=renderer)
    except Exception as exc:
        logger.exception("Final version of report %s could not be rendered", report.pk)
        raise FollowUpError(
            _(
                "Den fastställda PDF:en kunde inte skapas, så lägesrapporten är inte fastställd. "
                "Försök igen; om felet kvarstår, kontakta support."
            )
        ) from exc
    version = FinalReportVersion(
        report=report,
        pdf_sha256=final.sha256,
        page_count=final.page_count,
        html=final.html,
        source_digest=final.source_digest,
    )
    filename = f"lagesrapport-{report.round.plan.county.code}-{report.round.year}.pdf"
    version.pdf.save(filename, ContentFile(final.pdf), save=False)
    stored_name = version.pdf.name or ""
    try:
        version.save()
    except Exception:
        version.pdf.storage.delete(stored_name)
        raise
    return version


def final_version(report: StatusReport) -> FinalReportVersion | None:
    """The stored final version of a final report, or None (a draft, or a report finalised
    before final versions were stored)."""
    if report.status != StatusReport.Status.FINAL:
        return None
    return FinalReportVersion.objects.filter(report=report).first()


def final_pdf_bytes(report: StatusReport) -> bytes | None:
    """The exact bytes of the final report's PDF (for the archive package), or None."""
    version = final_version(report)
    if version is None:
        return None
    with version.pdf.open("rb") as handle:
        content: bytes = handle.read()
    return content
