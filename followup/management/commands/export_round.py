"""manage.py export_round --county CODE --year YEAR [--format json|xlsx] [-o FILE]"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.exports import RoundExport, round_for


class Command(BaseCommand):
    help = "Exportera en uppföljningsomgång som JSON (kvinnofrid-round/1) eller xlsx."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--county", required=True, help="Länskod, t.ex. 06")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="Fil att skriva till (standard: stdout)")

    def handle(self, *args: Any, **opts: Any) -> None:
        round_ = round_for(county_code=opts["county"], year=opts["year"])
        if round_ is None:
            raise CommandError(f"Ingen uppföljning för län {opts['county']} och år {opts['year']}.")
        export = RoundExport(round_id=round_.pk)
        if opts["format"] == "xlsx":
            content = export.xlsx_bytes()
            if not opts["output"]:
                if sys.stdout.isatty():
                    raise CommandError("Ange -o FIL för xlsx.")
                sys.stdout.buffer.write(content)
                return
            with open(opts["output"], "wb") as fh:
                fh.write(content)
            return
        text = json.dumps(export.as_dict(), ensure_ascii=False, indent=2)
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        else:
            self.stdout.write(text)
