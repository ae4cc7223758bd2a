from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Överenskommelser")

    def ready(self) -> None:
        from agreements.audit_actions import register_actions

        register_actions()
