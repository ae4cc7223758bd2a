"""``manage.py export_plan (PLAN_ID | --county CODE) [--format json|xlsx] [-o FILE]``."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from actionplans.interchange import current_plan, plan_export, plan_to_json, plan_to_xlsx
from actionplans.models import ActionPlan


class Command(BaseCommand):
    help = "Exporterar en handlingsplan i utbytesformatet kvinnofrid-plan/1 (JSON eller XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", nargs="?", type=int, help="Planens id.")
        parser.add_argument("--county", help="Länskod, t.ex. 06: länets gällande plan.")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("-o", "--output", help="Fil att skriva till (standard: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        plan_id, county = options["plan_id"], options["county"]
        if (plan_id is None) == (county is None):
            raise CommandError("Ange antingen ett plan-id eller --county LÄNSKOD.")
        if plan_id is not None:
            plan = ActionPlan.objects.select_related("county").filter(pk=plan_id).first()
            if plan is None:
                raise CommandError(f"Det finns ingen plan med id {plan_id}.")
        else:
            plan = current_plan(county_code=str(county))
            if plan is None:
                raise CommandError(f"Län {county} har ingen gällande plan eller något utkast.")
        data = plan_export(plan=plan)
        output = options["output"]
        if options["format"] == "xlsx":
            if not output:
                raise CommandError("Ange -o FIL för xlsx-export.")
            Path(str(output)).write_bytes(plan_to_xlsx(data))
        elif output:
            Path(str(output)).write_text(plan_to_json(data), encoding="utf-8")
        else:
            self.stdout.write(plan_to_json(data), ending="")
        if output:
            self.stderr.write(f"Plan {plan.pk} exporterad till {output}.")
