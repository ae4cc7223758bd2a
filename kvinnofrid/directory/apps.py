from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "kvinnofrid.directory"
    label = "directory"
    verbose_name = _("Län och aktörer")

    def ready(self) -> None:
        from kvinnofrid.directory.audit_actions import register_actions

        register_actions()
