"""manage.py retention [--dry-run]: run the gallring rules now (issue 16 item 6)."""

from typing import Any

from django.core.management.base import BaseCommand

from followup.services.retention import REMOVE, retention_run


class Command(BaseCommand):
    help = "Gallra enligt reglerna; med --dry-run listas bara vad som skulle tas bort."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Lista vad som skulle gallras utan att ändra."
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        run = retention_run(dry_run=opts["dry_run"], trigger="cli")
        verb = "skulle tömmas" if run.dry_run else "tömdes"
        for item in run.items:
            what = verb if item["action"] == REMOVE else "granskas"
            self.stdout.write(f"{item['rule']}\t{item['submission_id']}\t{item['label']}\t{what}")
        removed = sum(1 for i in run.items if i["action"] == REMOVE)
        review = len(run.items) - removed
        self.stdout.write(
            f"{'Provkörning' if run.dry_run else 'Gallring'} {run.pk}: "
            f"{removed} utkast {verb}, {review} yttranden att granska."
        )
