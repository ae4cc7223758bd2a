"""A CSRF token placeholder for markup that is rendered once and reused: the layout parts
(``{% layout_part %}``) and cached fragments that hold forms (the actor's form).

Such markup is rendered with ``{"csrf_token": CSRF_PLACEHOLDER}`` and :func:`fill_csrf` puts
the request's token in on the way out. The placeholder is random per process, so no user text
can contain it by accident.
"""

import secrets

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeData, mark_safe

CSRF_PLACEHOLDER = f"kfcsrf{secrets.token_hex(6)}"


def fill_csrf(html: str, request: HttpRequest) -> str:
    """``html`` with the request's CSRF token in place of the placeholder (one masked token per
    request: masking draws 32 random characters each time)."""
    if CSRF_PLACEHOLDER not in html:
        return html
    token = getattr(request, "_kvinnofrid_csrf_token", None)
    if token is None:
        token = request._kvinnofrid_csrf_token = get_token(request)  # type: ignore[attr-defined]
    filled = html.replace(CSRF_PLACEHOLDER, token)
    return mark_safe(filled) if isinstance(html, SafeData) else filled  # noqa: S308 - a token
