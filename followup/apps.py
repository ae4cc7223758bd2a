from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


def county_start_panel(request: HttpRequest, county: Any) -> SafeString:
    """The current round's panel on the county start page (see ``kvinnofrid.core.panels``)."""
    from followup.templatetags.followup_tags import followup_panel

    return followup_panel({"request": request}, county)


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self) -> None:
        from kvinnofrid.core.panels import register_county_start_panel

        register_county_start_panel(county_start_panel)
