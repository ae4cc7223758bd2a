"""``manage.py import_plan FILE [--county CODE] [--dry-run]``: a new draft plan from a file.

The new plan's id is printed on the last line. A bad file is refused with a Swedish message
naming the first bad field, exit status 1, and nothing is written.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplans.interchange import (
    PlanImportError,
    parse_plan_file,
    plan_import,
    validate_plan_data,
)


class Command(BaseCommand):
    help = "Importerar en plan (JSON eller XLSX i formatet kvinnofrid-plan/1) som nytt utkast."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON- eller XLSX-fil.")
        parser.add_argument("--county", help="Importera till detta län i stället för filens.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Kontrollera filen utan att spara något."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(str(options["file"]))
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan inte läsa filen {path}: {exc.strerror}.") from exc
        county = options["county"]
        try:
            data = parse_plan_file(content=content, filename=path.name)
            preview = validate_plan_data(data, county_code=county)
            for line in preview.as_lines():
                self.stdout.write(line)
            if options["dry_run"]:
                self.stdout.write("Provkörning: inget sparades.")
                return
            plan = plan_import(
                data=data, actor=None, county_code=county, skip_permission_checks=True
            )
        except PlanImportError as exc:
            raise CommandError(f"Filen kan inte importeras. {exc}") from exc
        self.stdout.write(f"Ny plan skapad som utkast: {plan.title}")
        self.stdout.write(str(plan.pk))
