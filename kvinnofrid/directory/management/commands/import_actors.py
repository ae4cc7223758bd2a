"""``import_actors FILE --county CODE [--dry-run]``: a county's actors from CSV/XLSX (DESIGN §9).

All rows or none: any bad row is printed on stderr (row, column, reason) and the command exits
with status 1 having written nothing. ``--dry-run`` checks and writes nothing.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kvinnofrid.directory import services
from kvinnofrid.directory.actor_import import MAX_FILE_BYTES, ActorFileError, read_table
from kvinnofrid.directory.models import County


class Command(BaseCommand):
    help = "Import a county's organisations from a CSV or XLSX file (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--county", required=True, help="county code, e.g. 06")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        county = County.objects.filter(code=options["county"]).first()
        if county is None:
            raise CommandError(f"Okänd länskod: {options['county']}")
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CommandError("Filen är för stor (högst 2 MB).")
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen kan inte läsas: {exc.strerror}") from None
        try:
            table = read_table(content=content, filename=path.name)
            organisations = services.organisations_import(
                actor=None,
                county_id=county.pk,
                table=table,
                dry_run=options["dry_run"],
                skip_permission_checks=True,
            )
        except ActorFileError as exc:
            raise CommandError(str(exc)) from None
        except services.ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(exc)) from None
        verb = "skulle importeras" if options["dry_run"] else "importerades"
        for organisation in organisations:
            self.stdout.write(f"{organisation.name} ({organisation.kind})")
        self.stdout.write(f"{len(organisations)} aktörer {verb} till {county.name}.")
