"""manage.py export_national --year YEAR [--format json|xlsx] [-o FILE]"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.national.exports import export_national, national_dict, national_xlsx


class Command(BaseCommand):
    help = "Exportera den nationella översikten för ett år som JSON (kvinnofrid-national/1) eller xlsx."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", required=True, type=int, help="År, t.ex. 2022")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="Fil att skriva till (standard: stdout)")

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"]
        if not 1900 <= year <= 2200:
            raise CommandError(f"Ogiltigt år: {year}.")
        overview = export_national(year=year)
        if opts["format"] == "xlsx":
            content = national_xlsx(overview)
            if not opts["output"]:
                if sys.stdout.isatty():
                    raise CommandError("Ange -o FIL för xlsx.")
                sys.stdout.buffer.write(content)
                return
            with open(opts["output"], "wb") as fh:
                fh.write(content)
            return
        text = json.dumps(national_dict(overview), ensure_ascii=False, indent=2)
        if opts["output"]:
            with open(opts["output"], "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
        else:
            self.stdout.write(text)
