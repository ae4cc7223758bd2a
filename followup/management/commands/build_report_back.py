"""manage.py build_report_back --county CODE --year YEAR -o FILE.pdf|FILE.docx"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.national.models import ReportBack
from followup.national.output import report_back_docx, report_back_pdf
from followup.national.report_back import report_back_data
from kvinnofrid.directory.models import County


class Command(BaseCommand):
    help = "Bygg länets återrapportering för ett år som PDF eller DOCX (filändelsen avgör)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--county", required=True, help="Länskod, t.ex. 06")
        parser.add_argument("--year", required=True, type=int, help="År, t.ex. 2022")
        parser.add_argument("-o", "--output", required=True, help="FIL.pdf eller FIL.docx")

    def handle(self, *args: Any, **opts: Any) -> None:
        output = Path(opts["output"])
        suffix = output.suffix.lower()
        if suffix not in {".pdf", ".docx"}:
            raise CommandError("Filnamnet måste sluta på .pdf eller .docx.")
        county = County.objects.filter(code=opts["county"]).first()
        if county is None:
            raise CommandError(f"Okänd länskod: {opts['county']}.")
        if not 1900 <= opts["year"] <= 2200:
            raise CommandError(f"Ogiltigt år: {opts['year']}.")
        report_back = ReportBack.objects.filter(county=county, year=opts["year"]).first()
        data = report_back_data(county=county, year=opts["year"], report_back=report_back)
        content = report_back_pdf(data) if suffix == ".pdf" else report_back_docx(data)
        output.write_bytes(content)
        self.stdout.write(f"{output} ({len(content)} byte)")
