"""The two PDFs the archive holds, behind two functions so their source can change in one place.

SEAM: ``followup/documents.py`` (the yttrande as a document, and ``FinalReportVersion`` holding
the final report's PDF/A-2 bytes) is being written beside this package. Until it is merged these
functions use what exists:

* ``final_report_pdf``: the PDF the report was finalised with (the newest done ``ReportBuild``
  up to the finalisation). That build is PDF/UA-1 today; when it does not declare PDF/A-2 the
  report is rendered once more, as PDF/A-2b, by the same renderer.
* ``yttrande_pdf``: a plain rendering of the received yttrande (organisation, diarienummer,
  receipt time, activities, answers) with WeasyPrint's ``pdf/a-2b`` variant.

The merger swaps both bodies for the other helper's functions.
"""

import io
from typing import Any

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from followup.models import StatusReport, Submission
from followup.reports.builds import latest_done_build
from followup.reports.context import report_data
from followup.reports.pdf import ReportRenderer

PDF_A_VARIANT = "pdf/a-2b"
_STYLE = mark_safe(  # noqa: S308 - a constant
    "body{font-family:'DejaVu Sans',sans-serif;font-size:10pt}"
)


class ArchiveReportRenderer(ReportRenderer):
    """The report renderer, writing PDF/A-2b (the archive's format)."""

    pdf_variant = PDF_A_VARIANT


def declares_pdfa2(content: bytes) -> bool:
    """Whether the PDF's XMP metadata declares PDF/A part 2 (read with pikepdf)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            meta = pdf.open_metadata()
            return str(meta.get("pdfaid:part", "")) == "2"
    except pikepdf.PdfError:
        return False


def final_report_pdf(report: StatusReport) -> bytes:
    """The final report's PDF/A-2 file (see the module docstring for the interim source)."""
    build = latest_done_build(report)
    if build is not None and build.pdf:
        with build.pdf.open("rb") as fh:
            content: bytes = fh.read()
        if declares_pdfa2(content):
            return content
    renderer = ArchiveReportRenderer()
    return renderer.render(report_data(report_id=report.pk)).content


def _yttrande_html(submission: Submission) -> str:
    received = (
        timezone.localtime(submission.submitted_at).strftime("%Y-%m-%d %H:%M")
        if submission.submitted_at
        else "–"
    )
    activities = format_html_join(
        "", "<li>{}</li>", ((a.title,) for a in submission.activities.order_by("order", "id"))
    )
    answers = format_html_join(
        "",
        "<dt>{}</dt><dd>{}</dd>",
        (
            (a.question.text, a.text or a.choice or ("" if a.number is None else a.number))
            for a in submission.answers.select_related("question").order_by(
                "question__order", "question_id"
            )
        ),
    )
    body: Any = format_html(
        "<h1>Yttrande: {org}</h1><p>{round}</p>"
        "<dl><dt>Diarienummer</dt><dd>{dnr}</dd><dt>Inkom</dt><dd>{received}</dd></dl>"
        "<h2>Aktiviteter</h2><ul>{activities}</ul><h2>Svar</h2><dl>{answers}</dl>",
        org=submission.organisation.name,
        round=submission.round.title,
        dnr=submission.diarienummer or "–",
        received=received,
        activities=activities,
        answers=answers,
    )
    return str(
        format_html(
            '<!doctype html><html lang="sv"><head><meta charset="utf-8">'
            "<title>Yttrande {}</title><style>{}</style></head><body>{}</body></html>",
            submission.organisation.name,
            _STYLE,
            body,
        )
    )


def yttrande_pdf(submission: Submission) -> bytes:
    """The received yttrande as a PDF/A-2b file (see the module docstring)."""
    from weasyprint import HTML

    renderer = ReportRenderer()
    document = HTML(
        string=_yttrande_html(submission),
        base_url=renderer.base_url(),
        url_fetcher=renderer.fetcher(),
    )
    content: bytes = document.write_pdf(pdf_variant=PDF_A_VARIANT)
    return content
