"""The one report renderer: Django template → HTML → WeasyPrint → tagged PDF/A-2 (level A),
finished by ``kvinnofrid.core.pdf_finish`` to PDF/UA-1 (artifacts, table scopes, chart alt texts,
``pdfuaid:part 1`` next to ``pdfaid:part 2`` in the XMP metadata).

Layout settings (template, stylesheet, asset folder, PDF variant) live on the class, so the look
can change in one place. Every HTML/CSS object gets the deny-by-default ``SafeURLFetcher``.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import translation

from followup.reports.charts import report_charts
from followup.reports.context import ReportData

if TYPE_CHECKING:
    from kvinnofrid.core.pdf import SafeURLFetcher


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


def finish_tagged_pdf(content: bytes, html: str) -> bytes:
    """WeasyPrint's tagged output made PDF/UA-1 (see ``kvinnofrid.core.pdf_finish``)."""
    from kvinnofrid.core.pdf_finish import finish_pdf, svg_figure_alts

    return finish_pdf(content, figure_alts=svg_figure_alts(html))


class ReportRenderer:
    """Renders a ``ReportData`` to HTML (preview) or PDF bytes."""

    template_name = "followup/report/report.html"
    stylesheet = "report.css"
    pdf_variant = "pdf/a-2a"
    language = "sv"

    def __init__(self, asset_dir: Path | str | None = None) -> None:
        self.asset_dir = Path(asset_dir or settings.REPORT_ASSET_DIR).resolve()

    def base_url(self) -> str:
        return self.asset_dir.as_uri() + "/"

    def fetcher(self) -> "SafeURLFetcher":
        # Imported here: WeasyPrint is heavy, and web processes only need it in the worker.
        from kvinnofrid.core.pdf import SafeURLFetcher

        return SafeURLFetcher(self.asset_dir)

    def render_html(
        self, data: ReportData, *, preview: bool = False, extra: dict[str, Any] | None = None
    ) -> str:
        """The report as one HTML document; ``preview`` links the stylesheet for browsers."""
        with translation.override(self.language):
            context = {
                "data": data,
                "charts": report_charts(data),
                "preview": preview,
                "stylesheet_href": static(f"report/{self.stylesheet}")
                if preview
                else self.stylesheet,
                **(extra or {}),
            }
            return render_to_string(self.template_name, context)

    def render_pdf(self, html: str) -> RenderedPdf:
        """Lay out and write the PDF; the page count comes from the layout, not from re-reading."""
        from weasyprint import HTML

        fetcher = self.fetcher()
        document = HTML(string=html, base_url=self.base_url(), url_fetcher=fetcher).render(
            pdf_variant=self.pdf_variant
        )
        content = document.write_pdf(pdf_variant=self.pdf_variant)
        return RenderedPdf(content=finish_tagged_pdf(content, html), page_count=len(document.pages))

    def render(self, data: ReportData) -> RenderedPdf:
        return self.render_pdf(self.render_html(data))
