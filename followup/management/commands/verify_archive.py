"""manage.py verify_archive FILE.zip — exit 0 when every checksum matches, else exit 1 naming
the first file that does not."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from followup.archive import verify_archive


class Command(BaseCommand):
    help = "Kontrollera ett arkivpaket: storlek och SHA-256 för varje fil i manifest.xml."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="Zipfil att kontrollera")

    def handle(self, *args: Any, **opts: Any) -> None:
        result = verify_archive(opts["archive"])
        if not result.ok:
            raise CommandError(f"Kontrollen misslyckades: {result.message}", returncode=1)
        meta = result.meta
        self.stdout.write(
            f"OK: {opts['archive']} (län {meta.get('county', '?')}, år {meta.get('year', '?')}, "
            f"skapat {meta.get('created', '?')}): {result.message}"
        )
