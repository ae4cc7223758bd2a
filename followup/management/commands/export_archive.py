"""manage.py export_archive --county CODE --year YEAR -o FILE.zip"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.archive import ArchiveError, build_archive


class Command(BaseCommand):
    help = (
        "Bygg arkivpaketet (zip enligt E-ARK/FGS-paketstrukturen) för ett läns uppföljning av "
        "ett år: lägesrapporten, yttrandena, handlingsplanen och loggen, med manifest.xml."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--county", required=True, help="Länskod, t.ex. 06")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("-o", "--output", required=True, help="Zipfil att skriva")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            content = build_archive(county_code=opts["county"], year=opts["year"])
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        output = Path(opts["output"])
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_bytes(content)
        tmp.replace(output)
        self.stdout.write(f"Skrev {output} ({len(content)} byte).")
