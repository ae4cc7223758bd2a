"""Template context shared by every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kvinnofrid.core.middleware import RESTORE_SESSION_KEY, idle_seconds_shown


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
        "nav_is_national_admin": "national_admin" in roles or bool(user and user.is_superuser),
        "session_idle_seconds": idle_seconds_shown(),
        "session_warning_seconds": getattr(settings, "SESSION_WARNING_SECONDS", 120),
        # Set by RestoreTypedTextMiddleware: a POST from this page was refused (session expiry
        # or stale CSRF token); static/js/session-restore-form.js refills the form from the
        # browser's own copy. Only a refusal of a request that passed the CSRF check (the
        # session had run out) makes the login page promise the text back.
        "restored_post": getattr(request, "restored_post", None),
        "restore_pending": bool(
            not (user is not None and user.is_authenticated)
            and hasattr(request, "session")
            and any(
                isinstance(entry, dict) and entry.get("reason") == "expired"
                for entry in (request.session.get(RESTORE_SESSION_KEY) or {}).values()
            )
        ),
    }
