"""Panels a higher app adds to a lower app's page, without the lower app naming the higher one.

The county start page belongs to actionplans, but shows the follow-up's current round, and
actionplans must not import followup (DESIGN §3). So followup registers a panel here when its
app is ready, and the start page renders whatever is registered, in registration order.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

CountyPanel = Callable[[HttpRequest, Any], SafeString]
_county_start_panels: list[CountyPanel] = []


def register_county_start_panel(panel: CountyPanel) -> None:
    """Add ``panel(request, county)`` to the county start page (once, however often called)."""
    if panel not in _county_start_panels:
        _county_start_panels.append(panel)


def county_start_panels(request: HttpRequest, county: Any) -> list[SafeString]:
    """The rendered panels of every app that registered one, for ``county``."""
    return [panel(request, county) for panel in _county_start_panels]
