from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data loader: the top of the dependency direction (it may import every app)."""

    name = "kvinnofrid.demo"
    label = "demo"
    verbose_name = _("Demodata")
