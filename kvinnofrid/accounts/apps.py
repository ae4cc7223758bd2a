from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kvinnofrid.accounts"
    label = "accounts"
    verbose_name = _("Konton")

    def ready(self) -> None:
        from kvinnofrid.accounts.audit_actions import register_actions

        register_actions()
        from kvinnofrid.accounts import two_factor  # noqa: F401 - connects its login receiver
