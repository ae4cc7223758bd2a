"""``invite_user EMAIL --organisation ORG_ID --role reporter|management|coordinator``.

Creates an invitation through the same service as the portal (DESIGN §9). The e-mail is sent
as usual (the console backend prints it); the invitation URL is the last line of stdout.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kvinnofrid.accounts import services
from kvinnofrid.accounts.models import Role
from kvinnofrid.accounts.permissions import INVITABLE_ROLES
from kvinnofrid.directory.models import Organisation


class Command(BaseCommand):
    help = "Invite a person by e-mail to an organisation; prints the invitation URL last."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--organisation", required=True, type=int, help="organisation id")
        parser.add_argument(
            "--role", required=True, choices=[str(r) for r in INVITABLE_ROLES], default=None
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(pk=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Ingen organisation med id {options['organisation']}.")
        try:
            invitation, token = services.invitation_create(
                actor=None,
                organisation_id=organisation.pk,
                email=options["email"],
                role=Role(options["role"]),
                skip_permission_checks=True,
            )
        except services.InvitationError as exc:
            raise CommandError(str(exc)) from None
        # The e-mail went out on commit (the console backend printed it above); the URL is last.
        self.stdout.flush()
        self.stdout.write(
            f"Inbjudan till {invitation.email} ({invitation.get_role_display()}, "
            f"{organisation.name}) gäller till {timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M}."
        )
        self.stdout.write(services.invitation_url(token))
