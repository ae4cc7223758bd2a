"""``manage.py load_demo``: the seed documents as demo data (DESIGN §8). Idempotent."""

from django.core.management.base import BaseCommand, CommandParser

from kvinnofrid.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Läser in demodata från underlagen i seeds/ (kan köras flera gånger)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--update",
            action="store_true",
            help="Återställ befintliga demorader till underlagens värden (annars lämnas de orörda).",
        )

    def handle(self, *args: object, update: bool = False, **options: object) -> None:
        loader = DemoLoader(update=update)
        loader.load()
        created = sum(loader.created.values())
        updated = sum(loader.updated.values())
        self.stdout.write(
            f"Demodata inläst: {created} nya rader, {updated} uppdaterade, "
            f"{loader.links} kopplingar satta."
        )
