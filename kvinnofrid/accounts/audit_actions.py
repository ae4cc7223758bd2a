"""How the accounts' audit keys read (see ``kvinnofrid.core.audit_catalogue``)."""

from django.utils.translation import gettext_lazy as _

from kvinnofrid.accounts.models import Invitation, Membership, User
from kvinnofrid.core.audit_catalogue import register


def register_actions() -> None:
    register("accounts.oidc_linked", _("kopplade sin e-legitimation till kontot"))
    register("accounts.invitation.created", _("bjöd in %(object)s"), model=Invitation)
    register("accounts.invitation.resent", _("skickade inbjudan till %(object)s igen"))
    register("accounts.invitation.revoked", _("återkallade inbjudan till %(object)s"))
    register("accounts.invitation.accepted", _("tog emot inbjudan"), model=Invitation)
    register("accounts.user.created", _("skapade sitt konto"), model=User)
    register(
        "accounts.membership.created",
        _("fick medlemskapet %(object)s"),
        model=Membership,
    )
    register(
        "accounts.membership.role_changed",
        _("ändrade rollen för %(object)s"),
        model=Membership,
    )
    register(
        "accounts.membership.title_changed",
        _("ändrade titeln för %(object)s"),
        model=Membership,
    )
    register("accounts.membership.removed", _("tog bort medlemskapet %(object)s"), model=Membership)
    register("accounts.totp_confirmed", _("aktiverade tvåstegsverifiering"))
    register("accounts.totp_reset", _("återställde tvåstegsverifieringen för %(object)s"))
