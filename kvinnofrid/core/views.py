"""Pages that belong to no app: the accessibility statement, the session keep-alive and the
CSRF failure handler that keeps what the user typed."""

import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from kvinnofrid.core.middleware import (
    form_page_path,
    idle_seconds_shown,
    note_refused_post,
    renew_session,
)


class AccessibilityStatementView(TemplateView):
    """The tillgänglighetsredogörelse (lag 2018:1937) with DIGG's required elements.

    Update ``ASSESSED_ON``/``UPDATED_ON`` whenever the statement or the assessment changes.
    """

    template_name = "core/accessibility.html"
    PUBLISHED_ON = datetime.date(2026, 11, 21)
    ASSESSED_ON = datetime.date(2026, 11, 21)
    UPDATED_ON = datetime.date(2026, 11, 21)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "published_on": self.PUBLISHED_ON,
            "assessed_on": self.ASSESSED_ON,
            "updated_on": self.UPDATED_ON,
        }


@never_cache
@require_POST
def session_keepalive(request: HttpRequest) -> HttpResponse:
    """Extend the idle timeout ("Fortsätt arbeta"): 204 when logged in, 401 otherwise.

    Renewing the session writes it with a full idle timeout now, whatever
    SlidingSessionMiddleware last did.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    renew_session(request.session)
    response = HttpResponse(status=204)
    response["X-Session-Expires-In"] = str(idle_seconds_shown())
    return response


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A POST with a stale or missing CSRF token: nothing is saved; show the form again.

    The request may come from another site (that is what the check is for), so nothing it
    carries is kept or shown back. The refusal is noted in the session (path and reason only,
    :func:`~kvinnofrid.core.middleware.note_refused_post`) and the user is sent back to the
    same page with GET, which renders the form with a fresh token; the page then refills the
    form from the browser's own copy of what this user typed there, if it has one. If the
    session has run out as well, the way back goes through the login page. Requests that
    cannot be redirected (htmx, non-POST, the login form itself) get a 403 page; an htmx
    request leaves the page and what was typed in it as it was.
    """
    login_path = resolve_url(settings.LOGIN_URL)
    can_redirect = (
        request.method == "POST"
        and hasattr(request, "session")
        and request.path != login_path
        and url_has_allowed_host_and_scheme(request.path, allowed_hosts=None)
    )
    if can_redirect and not _is_htmx(request):
        page = form_page_path(request)
        note_refused_post(request, reason="csrf", path=urlsplit(page).path)
        if request.user.is_authenticated:
            return redirect(page)
        return redirect(f"{login_path}?{urlencode({'next': page})}")
    if request.path == login_path and request.method == "POST":
        messages.warning(request, _("Inloggningssidan var för gammal. Försök igen."))
        return redirect(request.get_full_path())
    return render(request, "core/csrf_failure.html", {"reason": reason}, status=403)
