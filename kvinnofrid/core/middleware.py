"""Small cross-cutting middleware."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme


class NoStoreForAuthenticatedMiddleware:
    """Pages shown to a logged-in user must not be kept by browsers or proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class SlidingSessionMiddleware:
    """Slide a logged-in session's idle timeout without a database write on every request.

    The expiry is renewed (the session saved with a fresh ``SESSION_COOKIE_AGE``) when the last
    renewal is at least ``session_refresh_seconds()`` old (60 s with the default 30 minutes),
    so a user who keeps working writes the session row about once a minute instead of on every
    autosave. The server-side expiry is therefore never earlier than
    ``SESSION_COOKIE_AGE - session_refresh_seconds()`` after the last request, and that is the
    idle time the warning dialog counts down from (``session_idle_seconds`` in the template
    context). Sits after SessionMiddleware so the session is saved on the way out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and SESSION_KEY in session:
            now = int(time.time())
            if now - int(session.get(SESSION_RENEWED_KEY, 0)) >= session_refresh_seconds():
                renew_session(session, now)
        return response


SESSION_RENEWED_KEY = "kvinnofrid_renewed"


def renew_session(session: Any, now: int | None = None) -> None:
    """Mark the session renewed now: it is saved with a full idle timeout."""
    session[SESSION_RENEWED_KEY] = int(time.time()) if now is None else now


def session_refresh_seconds() -> int:
    """How old a renewal may get before the next request renews again: SESSION_REFRESH_SECONDS,
    but never more than a thirtieth of the idle timeout (a short timeout still slides)."""
    refresh, age = int(settings.SESSION_REFRESH_SECONDS), int(settings.SESSION_COOKIE_AGE)
    return max(0, min(refresh, age // 30))


def idle_seconds_shown() -> int:
    """The idle time the browser may count on after any request (see SlidingSessionMiddleware)."""
    return int(settings.SESSION_COOKIE_AGE) - session_refresh_seconds()


# ---------------------------------------------------------------------------------------------
# Keeping typed text across an expired session or a stale CSRF token (DESIGN §6).
# ---------------------------------------------------------------------------------------------

RESTORE_SESSION_KEY = "kvinnofrid_restore"
RESTORE_MAX_AGE_SECONDS = 2 * 3600
RESTORE_MAX_PATHS = 5
RESTORE_MARKER = b'id="restored-post-notice"'
RESTORE_REASONS = ("expired", "csrf")


def note_refused_post(request: HttpRequest, *, reason: str, path: str | None = None) -> None:
    """Remember that a POST from the form page at ``path`` was refused and nothing was saved.

    ``reason`` is ``"expired"`` (the session had run out) or ``"csrf"`` (the page was stale).
    Only the page's path, the reason and the time are kept, never the posted values: a request
    that failed the CSRF check may come from another site, so its body is not the user's. When
    the page is next shown to a logged-in user it carries a notice, and
    ``static/js/session-restore-form.js`` refills the form from the copy that page kept in the
    browser (sessionStorage, per user and page) when it was submitted.
    """
    path = path or request.path
    store: dict[str, Any] = dict(request.session.get(RESTORE_SESSION_KEY) or {})
    now = time.time()
    store = {
        p: entry
        for p, entry in store.items()
        if isinstance(entry, dict)
        and now - float(entry.get("at", 0)) < RESTORE_MAX_AGE_SECONDS
        and p != path
    }
    store[path] = {"reason": reason, "at": now}
    while len(store) > RESTORE_MAX_PATHS:
        store.pop(min(store, key=lambda p: store[p]["at"]))
    request.session[RESTORE_SESSION_KEY] = store


def _has_typed_values(request: HttpRequest) -> bool:
    """Whether the POST holds anything typed (not only the CSRF token, as a logout does)."""
    return any(
        value.strip()
        for key, values in request.POST.lists()
        if key != "csrfmiddlewaretoken"
        for value in values
        if isinstance(value, str)
    )


def _is_login_redirect(response: HttpResponse) -> bool:
    if response.status_code != 302:
        return False
    location = urlsplit(response.get("Location", ""))
    return location.path == resolve_url(settings.LOGIN_URL)


def form_page_path(request: HttpRequest) -> str:
    """The path of the page whose form was posted: where the user should get it back.

    htmx sends the page address in ``HX-Current-URL``; ordinary forms give a same-origin
    ``Referer`` (Referrer-Policy is same-origin). Forms usually post to their own page, but an
    action such as "Skicka in" may post to a POST-only address, so the page wins over the path.
    """
    for header in ("HX-Current-URL", "Referer"):
        value = request.headers.get(header, "")
        if not value:
            continue
        parts = urlsplit(value)
        if parts.netloc and parts.netloc != request.get_host():
            continue
        if parts.path and url_has_allowed_host_and_scheme(parts.path, allowed_hosts=None):
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


class RestoreTypedTextMiddleware:
    """Let a user whose session ran out log in again and find the form filled in.

    * A POST from an anonymous user that a view answers with a redirect to the login page
      (``login_required``) is noted in the new anonymous session (:func:`note_refused_post`,
      keyed by the path of the page that holds the form, :func:`form_page_path`), and the
      login redirect's ``next`` points at that page. Django's ``login()`` keeps the session
      data (it only cycles the key). htmx requests get ``HX-Redirect`` so the whole browser
      goes to login.
    * The next successful HTML GET of that path by a logged-in user sets
      ``request.restored_post`` (``{"reason": ...}``); base.html renders a hidden notice and
      ``static/js/session-restore-form.js`` fills the form from the browser's own copy of what
      this user typed on this page, and shows the notice when it did.

    The posted values are never kept on the server (see :func:`note_refused_post`).
    ``kvinnofrid.core.views.csrf_failure`` notes stale CSRF tokens the same way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        restored = self._take_stash(request)
        response = self.get_response(request)
        if restored is not None:
            self._put_back_unless_shown(request, response, restored)
        if request.method == "POST" and not request.user.is_authenticated:
            response = self._stash_if_login_redirect(request, response)
        return response

    def _take_stash(self, request: HttpRequest) -> dict[str, Any] | None:
        if request.method != "GET" or request.headers.get("HX-Request") == "true":
            return None
        if not hasattr(request, "session") or not request.user.is_authenticated:
            return None
        store = request.session.get(RESTORE_SESSION_KEY)
        if not store or request.path not in store:
            return None
        store = dict(store)
        entry: dict[str, Any] = store.pop(request.path)
        request.session[RESTORE_SESSION_KEY] = store
        if not isinstance(entry, dict) or entry.get("reason") not in RESTORE_REASONS:
            return None
        if time.time() - float(entry.get("at", 0)) > RESTORE_MAX_AGE_SECONDS:
            return None
        entry = {"reason": entry["reason"], "at": entry.get("at", 0)}
        # An attribute of our own on the request; django-stubs\' HttpRequest cannot declare it.
        request.restored_post = entry  # type: ignore[attr-defined]
        return entry

    def _put_back_unless_shown(
        self, request: HttpRequest, response: HttpResponse, entry: dict[str, Any]
    ) -> None:
        shown = (
            response.status_code == 200
            and not response.streaming
            and RESTORE_MARKER in response.content
        )
        if shown:
            return
        store = dict(request.session.get(RESTORE_SESSION_KEY) or {})
        store[request.path] = entry
        request.session[RESTORE_SESSION_KEY] = store

    def _stash_if_login_redirect(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if not _is_login_redirect(response) or not hasattr(request, "session"):
            return response
        # Only a post that passed the CSRF check came from our own page (csrf_failure notes
        # the others as "csrf", which promises nothing on the login page).
        if not getattr(request, "csrf_processing_done", False) or not _has_typed_values(request):
            return response
        page = form_page_path(request)
        note_refused_post(request, reason="expired", path=urlsplit(page).path)
        login_url = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': page})}"
        if request.headers.get("HX-Request") == "true":
            # htmx would follow the redirect inside the page; send the whole browser instead.
            htmx_response = HttpResponse(status=204)
            htmx_response["HX-Redirect"] = login_url
            return htmx_response
        response["Location"] = login_url
        return response
