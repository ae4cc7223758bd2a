"""A CSRF token placeholder for markup that is rendered once and reused: the layout parts
(``{% layout_part %}``) and cached fragments that hold forms (the actor's form).

Such markup is rendered with ``{"csrf_token": CSRF_PLACEHOLDER}`` and :func:`fill_csrf` puts
the request's token in on the way out. The placeholder is the same in every process (a cached
fragment may be rendered by one worker and served by another, through Redis) and is marked safe
text holding ``<`` and ``>``: ``{% csrf_token %}`` writes it as it is, while anything a user
typed is escaped on its way into the markup, so user text can never contain it.
"""

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeData, mark_safe

CSRF_PLACEHOLDER = mark_safe("<kvinnofrid-csrf-token>")  # noqa: S308 - a constant


def fill_csrf(html: str, request: HttpRequest) -> str:
    """``html`` with the request's CSRF token in place of the placeholder."""
    if CSRF_PLACEHOLDER not in html:
        return html
    filled = html.replace(CSRF_PLACEHOLDER, request_token(request))
    return mark_safe(filled) if isinstance(html, SafeData) else filled  # noqa: S308 - a token


def request_token(request: HttpRequest) -> str:
    """A masked CSRF token of the request, masked once per request and secret (masking draws 32
    random characters each time; a new secret, as at login, gets a new token)."""
    secret = request.META.get("CSRF_COOKIE")
    memo = getattr(request, "_kvinnofrid_csrf_token", None)
    if memo is None or memo[0] != secret:
        token = get_token(request)
        memo = request._kvinnofrid_csrf_token = (request.META.get("CSRF_COOKIE"), token)  # type: ignore[attr-defined]
    return memo[1]
