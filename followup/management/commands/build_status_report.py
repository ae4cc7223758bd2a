"""``manage.py build_status_report --county CODE --year YEAR [-o FILE]``.

Writes the round's final lägesrapport (its PDF is immutable and is what was published). Without a
final report it builds the draft's PDF synchronously through the same service the Celery task
calls, creating a draft if the round has none.
"""

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from followup.models import FinalReportVersion, FollowUpRound, ReportBuild, StatusReport
from followup.reports.builds import latest_done_build, report_build_sync
from followup.reports.final import final_version
from followup.reports.services import report_create


class Command(BaseCommand):
    help = "Bygger lägesrapportens PDF för ett län och ett år (synkront)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", required=True, help="Länskod, t.ex. 06")
        parser.add_argument("--year", required=True, type=int, help="Uppföljningens år")
        parser.add_argument("-o", "--output", help="Skriv PDF:en till den här filen")

    def handle(
        self, *args: Any, county: str, year: int, output: str | None = None, **options: Any
    ) -> None:
        round_ = (
            FollowUpRound.objects.filter(plan__county__code=county, year=year)
            .order_by("-plan__version", "-id")
            .first()
        )
        if round_ is None:
            raise CommandError(f"Ingen uppföljning för län {county} och år {year}.")
        final = (
            StatusReport.objects.filter(round=round_, status=StatusReport.Status.FINAL)
            .order_by("-finalised_at", "-id")
            .first()
        )
        version = final_version(final) if final is not None else None
        if final is not None and version is not None:
            # The final version stored at "Fastställ": exactly the file that is downloaded.
            self._write_final(version, final, output)
            return
        build = latest_done_build(final) if final is not None else None
        if final is not None and build is not None:
            report = final
        else:
            report = StatusReport.objects.filter(
                round=round_, status=StatusReport.Status.DRAFT
            ).first() or report_create(round_id=round_.pk, actor=None, skip_permission_checks=True)
            build = report_build_sync(report_id=report.pk, actor=None, skip_permission_checks=True)
            if build.status != ReportBuild.Status.DONE:
                raise CommandError(f"Bygget misslyckades: {build.error}")
        if output:
            with build.pdf.open("rb") as src, Path(output).open("wb") as dst:
                shutil.copyfileobj(src, dst)
            where = output
        else:
            where = build.pdf.path if hasattr(build.pdf, "path") else str(build.pdf.name)
        self.stdout.write(
            f"{report.title}: {build.page_count} sidor, sha256 {build.pdf_sha256} → {where}"
        )

    def _write_final(
        self, version: FinalReportVersion, report: StatusReport, output: str | None
    ) -> None:
        if output:
            with version.pdf.open("rb") as src, Path(output).open("wb") as dst:
                shutil.copyfileobj(src, dst)
            where = output
        else:
            where = version.pdf.path if hasattr(version.pdf, "path") else str(version.pdf.name)
        self.stdout.write(
            f"{report.title}: {version.page_count} sidor, sha256 {version.pdf_sha256} → {where}"
        )
