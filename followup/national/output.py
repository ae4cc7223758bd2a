"""The report-back as a tagged PDF (the lägesrapport's renderer: PDF/UA-1, the deny-by-default
URL fetcher) and as DOCX (python-docx; the receiving authority works in Word).

Both show the same headings in the same order: the document title, "Svarsfrekvens",
"Överenskommelse och handlingsplan", one "Heading 1" per national goal (its full title) with
"Heading 2" subsections, and "Indikatorer".
"""

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from followup.national.report_back import ReportBackData, generated_on
from followup.reports.pdf import RenderedPdf, ReportRenderer


class ReportBackRenderer(ReportRenderer):
    """The lägesrapport renderer with the report-back's template."""

    template_name = "followup/national/report_back_pdf.html"

    def render_back_html(self, data: ReportBackData) -> str:
        with translation.override(self.language):
            return render_to_string(
                self.template_name,
                {"data": data, "stylesheet_href": self.stylesheet, "date": generated_on()},
            )

    def render_back(self, data: ReportBackData) -> RenderedPdf:
        return self.render_pdf(self.render_back_html(data))


def report_back_pdf(data: ReportBackData) -> bytes:
    """The PDF bytes (WeasyPrint; about a second for a county)."""
    return ReportBackRenderer().render_back(data).content


def section_headings(data: ReportBackData) -> list[tuple[int, str]]:
    """(level, text) of every heading, in order; the PDF template and the DOCX follow it."""
    headings = [
        (1, _("Svarsfrekvens")),
        (1, _("Överenskommelse och handlingsplan")),
    ]
    for goal in data.goals:
        headings += [
            (1, goal.title),
            (2, _("Genomförda aktiviteter")),
            (2, _("Exempel på aktiviteter")),
        ]
    headings.append((1, _("Indikatorer")))
    return headings


def report_back_docx(data: ReportBackData) -> bytes:
    """A Word document with the goal titles as "Heading 1" and their parts as "Heading 2"."""
    from docx import Document

    with translation.override("sv"):
        doc = Document()
        doc.core_properties.title = data.title
        doc.core_properties.author = data.board_name
        doc.core_properties.language = "sv-SE"
        doc.add_heading(data.title, level=0)
        doc.add_paragraph(f"{data.board_name} · {generated_on()}")
        if data.status != "final":
            doc.add_paragraph(_("Utkast"))
        doc.add_heading(_("Svarsfrekvens"), level=1)
        doc.add_paragraph(data.response_line)
        doc.add_paragraph(data.trend_line)
        doc.add_heading(_("Överenskommelse och handlingsplan"), level=1)
        doc.add_paragraph(data.agreement_line)
        if data.plan_title:
            doc.add_paragraph(
                _("Handlingsplan: %(title)s (%(period)s), %(status)s. Nationell ram: %(frame)s.")
                % {
                    "title": data.plan_title,
                    "period": data.plan_period,
                    "status": data.plan_status.lower(),
                    "frame": data.frame or _("ingen vald"),
                }
            )
        for goal in data.goals:
            doc.add_heading(goal.title, level=1)
            for paragraph in goal.text.split("\n\n"):
                doc.add_paragraph(paragraph)
            doc.add_heading(_("Genomförda aktiviteter"), level=2)
            if goal.by_kind:
                for label, n in goal.by_kind:
                    doc.add_paragraph(f"{label}: {n}", style="List Bullet")
            else:
                doc.add_paragraph(_("Inga rapporterade aktiviteter."))
            doc.add_heading(_("Exempel på aktiviteter"), level=2)
            if goal.examples:
                for example in goal.examples:
                    item = doc.add_paragraph(style="List Bullet")
                    item.add_run(example.organisation).bold = True
                    item.add_run(f": {example.title}")
            else:
                doc.add_paragraph(_("Inga framlyfta exempel."))
        doc.add_heading(_("Indikatorer"), level=1)
        if data.indicators:
            table = doc.add_table(rows=1, cols=3)
            table.style = "Table Grid"
            header = table.rows[0].cells
            header[0].text, header[1].text, header[2].text = (
                _("Indikator"),
                _("Värde %(year)d") % {"year": data.year},
                _("Kommentar"),
            )
            for line in data.indicators:
                cells = table.add_row().cells
                cells[0].text, cells[1].text, cells[2].text = line.name, line.value, line.note
        else:
            doc.add_paragraph(_("Planen har inga kvantitativa indikatorer."))
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()
