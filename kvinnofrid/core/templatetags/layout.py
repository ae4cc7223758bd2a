"""``{% layout_part "template" %}``: the parts of base.html that are the same on every page.

The page head's asset links, the header's menu, the footer and the idle-timeout dialog hold ~40
translated strings and a dozen static and reversed URLs, and differ only by language and login
state (the menu also by the viewer's roles and the county the page is about: ``navigation=True``).
They are rendered once per process for each such combination and then reused (not with DEBUG, so
template edits show at once; any settings change in tests empties the store). The per-request
values they hold — the CSRF tokens of the logout and language forms, the page address the
language form returns to and the user's name — are rendered as placeholders (safe text holding
``<`` and ``>``, which escaped values can never contain) and filled in per request, in one pass.
"""

import re
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kvinnofrid.core.csrf import CSRF_PLACEHOLDER, request_token

register = template.Library()

_PATH = mark_safe("<kvinnofrid-page-path>")  # noqa: S308 - a constant
_USER_NAME = mark_safe("<kvinnofrid-user-name>")  # noqa: S308 - a constant
_PLACEHOLDERS = re.compile("|".join(re.escape(p) for p in (CSRF_PLACEHOLDER, _PATH, _USER_NAME)))
_NAVIGATION_FLAGS = (
    "nav_is_coordinator",
    "nav_is_reporter",
    "nav_is_management",
    "nav_is_observer",
    "nav_is_national_admin",
)
_rendered: dict[tuple[Any, ...], str] = {}


@receiver(setting_changed)
def _forget_rendered_parts(**kwargs: Any) -> None:
    _rendered.clear()


@register.simple_tag(takes_context=True)
def layout_part(context: template.Context, name: str, navigation: bool = False) -> SafeString:
    user = context.get("user")
    values = {
        "LANGUAGE_CODE": get_language(),
        "authenticated": bool(getattr(user, "is_authenticated", False)),
        "session_idle_seconds": context.get("session_idle_seconds"),
        "session_warning_seconds": context.get("session_warning_seconds"),
    }
    if navigation:
        values |= {flag: bool(context.get(flag)) for flag in _NAVIGATION_FLAGS}
        values["county_code"] = _county_code(context.get("county")) or _home_county_code(context)
    key = (name, *values.values())
    html = _rendered.get(key)
    if html is None:
        html = render_to_string(
            name,
            values | {"csrf_token": CSRF_PLACEHOLDER, "page_path": _PATH, "user_name": _USER_NAME},
        )
        if not settings.DEBUG:
            _rendered[key] = html
    request = context.get("request")
    if request is not None:
        html = _PLACEHOLDERS.sub(lambda match: _fill(match.group(0), request, user), html)
    return mark_safe(html)  # noqa: S308 - our own templates' output; per-request values escaped


def _fill(placeholder: str, request: Any, user: Any) -> str:
    if placeholder == CSRF_PLACEHOLDER:
        return request_token(request)
    if placeholder == _PATH:
        return escape(request.get_full_path())
    return escape(user.get_full_name()) if getattr(user, "is_authenticated", False) else ""


def _home_county_code(context: template.Context) -> str | None:
    """On a page about no county, the user's own county (see
    ``kvinnofrid.accounts.context_processors.home_county``): the menu stays the same."""
    home = context.get("nav_home_county_code")
    return home() if callable(home) else home


def _county_code(county: Any) -> str | None:
    """The code of the county a page is about (its menu links to the county's pages)."""
    if isinstance(county, dict):
        return county.get("code")
    return getattr(county, "code", None)
