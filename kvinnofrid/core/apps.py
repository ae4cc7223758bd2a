from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kvinnofrid.core"
    label = "core"
    verbose_name = _("Gemensamt")

    def ready(self) -> None:
        from kvinnofrid.core import checks, fragments  # noqa: F401 - registers the checks, connects the cache's signal handlers
