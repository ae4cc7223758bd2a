"""``manage.py import_strategy FILE``: a new national strategy frame from a JSON file.

The format is ``kvinnofrid-strategy/1`` (DESIGN §9). The new frame's id is printed on the last
line. A bad file is refused with a Swedish message naming the first bad field, exit status 1,
and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplans.strategy_import import StrategyImportError, parse_strategy_file, strategy_import


class Command(BaseCommand):
    help = "Importerar en nationell strategi eller ett åtgärdsprogram (kvinnofrid-strategy/1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON-fil i formatet kvinnofrid-strategy/1.")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan inte läsa filen {path}: {exc.strerror}.") from exc
        try:
            strategy = strategy_import(
                data=parse_strategy_file(content), actor=None, skip_permission_checks=True
            )
        except StrategyImportError as exc:
            raise CommandError(f"Filen kan inte importeras. {exc.message}") from exc
        self.stdout.write(
            f"Ny nationell ram: {strategy.name} ({strategy.period_label}), "
            f"{strategy.goals.count()} målsättningar"
        )
        self.stdout.write(str(strategy.pk))
