"""Login and password reset, with limits that never tell whether an address has an account."""

import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language

from kvinnofrid.accounts.forms import EmailAuthenticationForm
from kvinnofrid.accounts.limits import allow_password_reset_request, login_blocked_for_ip
from kvinnofrid.accounts.tasks import send_password_reset

logger = logging.getLogger(__name__)


def run_after_response(response: HttpResponse, func: Callable[[], Any]) -> None:
    """Call ``func`` once the response has been sent.

    WSGI servers (and Django's test client) call ``response.close()`` after the last byte, and
    ``close()`` calls the response's resource closers. A failure is logged, never raised.
    """

    def call() -> None:
        try:
            func()
        except Exception:
            logger.exception("Work after the response failed")

    # Django's hook for close(); django-stubs does not declare this private attribute.
    response._resource_closers.append(call)  # type: ignore[attr-defined]  # noqa: SLF001


class LoginView(auth_views.LoginView):
    """E-mail login. Besides django-axes' lock on a username + IP pair, an IP address that
    has failed too many logins across usernames is refused for the cool-off time (the same page
    whatever address was typed)."""

    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if login_blocked_for_ip(request):
            return render(request, "registration/locked_out.html", status=429)
        return super().post(request, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    """ "Glömt lösenordet": the same answer, as fast, for every address.

    The view never looks the address up: it counts the request (per IP and per address) and
    hands the address to a Celery task after the response has been sent; the task finds the
    account, if any, and mails the link.
    """

    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        email = form.cleaned_data["email"]
        if not allow_password_reset_request(self.request, email):
            return render(self.request, "registration/password_reset_limited.html", status=429)
        response = HttpResponseRedirect(self.get_success_url())
        job = {
            "email": email,
            "domain": self.request.get_host(),
            "use_https": self.request.is_secure(),
            "language": get_language(),
        }
        run_after_response(response, lambda: send_password_reset.delay(**job))
        return response
