"""``{% layout_part "template" %}``: the parts of base.html that are the same on every page.

The page head's asset links, the footer and the idle-timeout dialog hold ~30 translated strings,
a dozen static and reversed URLs, and differ only by language and login state. They are rendered
once per process for each such combination and then reused (not with DEBUG, so template edits
show at once; any settings change in tests empties the store). The two per-request values they
hold — the CSRF token of the footer's language form and the page address it returns to — are
rendered as placeholders and filled in per request.
"""

import secrets
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_CSRF = f"kfcsrf{secrets.token_hex(6)}"
_PATH = f"kfpath{secrets.token_hex(6)}"
_rendered: dict[tuple[Any, ...], str] = {}


@receiver(setting_changed)
def _forget_rendered_parts(**kwargs: Any) -> None:
    _rendered.clear()


@register.simple_tag(takes_context=True)
def layout_part(context: template.Context, name: str) -> SafeString:
    values = {
        "LANGUAGE_CODE": get_language(),
        "authenticated": bool(getattr(context.get("user"), "is_authenticated", False)),
        "session_idle_seconds": context.get("session_idle_seconds"),
        "session_warning_seconds": context.get("session_warning_seconds"),
    }
    key = (name, *values.values())
    html = _rendered.get(key)
    if html is None:
        html = render_to_string(name, values | {"csrf_token": _CSRF, "page_path": _PATH})
        if not settings.DEBUG:
            _rendered[key] = html
    request = context.get("request")
    if request is not None:
        html = html.replace(_CSRF, get_token(request)).replace(
            _PATH, escape(request.get_full_path())
        )
    return mark_safe(html)  # noqa: S308 - our own templates' output; the path is escaped
