"""``manage.py demo_logins``: print the demo users of ``load_demo`` and their passwords."""

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from fixtures.demo import users
from kvinnofrid.accounts.models import Role, User

COUNTY_NAMES = {"06": "Jönköpings län", "07": "Kronobergs län", "23": "Jämtlands län"}


class Command(BaseCommand):
    help = "Skriver ut demoanvändarna och deras lösenord (endast för lokal demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=None,
            help="Adressen som servern svarar på (standard: SITE_URL), t.ex. http://127.0.0.1:8001/.",
        )

    def handle(self, *args: object, url: str | None = None, **options: object) -> None:
        existing = set(User.objects.values_list("email", flat=True))
        roles = dict(Role.choices)
        email, _name, password = users.ADMIN
        rows = [(email, password, "Administratör", "–", "Django admin: /admin/")]
        for email, _name, role, county, org, password in users.USERS:
            rows.append(
                (email, password, str(roles[role]), COUNTY_NAMES.get(county or "", "alla län"), org)
            )
        self.stdout.write("")
        address = (url or settings.SITE_URL).rstrip("/") + "/"
        self.stdout.write(f"Demoinloggningar ({address}):")
        width = max(len(r[0]) for r in rows)
        for email, password, role, county, org in rows:
            missing = "" if email in existing else "  [saknas – kör load_demo]"
            self.stdout.write(
                f"  {email:<{width}}  {password:<26} {role:<21} {county:<15} {org}{missing}"
            )
        self.stdout.write("")
        self.stdout.write(
            "Samordnare och administratören anger efter lösenordet en kod från en "
            f"autentiseringsapp med nyckeln {users.TOTP_SECRET}"
        )
        self.stdout.write(
            f"(eller `oathtool --totp -b {users.TOTP_SECRET}`). Koden just nu: "
            f"{pyotp.TOTP(users.TOTP_SECRET).now()}"
        )
        self.stdout.write("")
