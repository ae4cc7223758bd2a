"""The two PDFs the archive holds, behind two functions so their source can change in one place.

* ``final_report_pdf``: the exact file stored at "Fastställ" (``FinalReportVersion``, tagged
  PDF/A-2 with the PDF/UA-1 identification). A report finalised before final versions were
  stored falls back to its newest done build when that declares PDF/A-2.
* ``yttrande_pdf``: the received yttrande as a document (``followup.documents``), rendered by
  the same renderer and finishing.
"""

import io

from followup import documents
from followup.models import StatusReport, Submission
from followup.reports.builds import latest_done_build
from followup.reports.final import final_pdf_bytes


class MissingFinalPdf(Exception):
    """The final report has no PDF/A-2 file to archive."""


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
    """The final report's PDF/A-2 file itself (see the module docstring)."""
    stored = final_pdf_bytes(report)
    if stored is not None:
        return stored
    build = latest_done_build(report)
    if build is not None and build.pdf:
        with build.pdf.open("rb") as fh:
            content: bytes = fh.read()
        if declares_pdfa2(content):
            return content
    raise MissingFinalPdf(report.pk)


def yttrande_pdf(submission: Submission) -> bytes:
    """The received yttrande as a tagged PDF/A-2 file."""
    return documents.yttrande_pdf(submission)
