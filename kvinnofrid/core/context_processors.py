"""Template context shared by every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Flags the base layout uses to show what the logged-in role may use."""
    user = getattr(request, "user", None)
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        roles = set(user.roles)
    return {
        "nav_roles": roles,
        "nav_is_coordinator": "coordinator" in roles or bool(user and user.is_superuser),
        "nav_is_reporter": "reporter" in roles,
        "nav_is_management": "management" in roles,
        "nav_is_observer": "observer" in roles,
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
    }
