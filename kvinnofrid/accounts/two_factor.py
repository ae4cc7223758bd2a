"""Two-factor login (TOTP, RFC 6238) for coordinators, national admins and superusers.

Who is asked: a user holding the coordinator or national-admin role, or a superuser, whose
session a password opened. A session opened by e-ID
(kvinnofrid/accounts/oidc.py) is not asked: the county's provider already did strong
authentication. Reporters and management groups are never asked. ``OTP_REQUIRED=false`` turns it
off (local experiments only).

How: a login that submitted a password (a POST authenticated by Django's ModelBackend: the
login form, or a page that sets a password and logs in) marks the session as owing a code
(:func:`mark_password_login`); :class:`SecondFactorMiddleware` sends every request of such a session to
:func:`verify` until a code from the person's authenticator app is accepted. The first time, that
page sets the app up (the secret as text for typing in, the otpauth URI, and a QR code). A lost
phone: the national admin resets the device (:func:`reset_device`) and the person sets up a new
one at the next login.
"""

import time
from collections.abc import Callable
from urllib.parse import urlencode

import pyotp
import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from kvinnofrid.accounts.models import Role, TotpDevice, User
from kvinnofrid.core.audit import audit_log

# The backend the login form authenticates with, i.e. a session a password opened.
FORM_LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"
PENDING_SESSION_KEY = "two_factor_pending"
FAILURES_SESSION_KEY = "two_factor_failures"
MAX_FAILURES = 5
STEP_SECONDS = 30
ISSUER_NAME = "Kvinnofrid"


# --- who is asked ------------------------------------------------------------------------------


def requires_second_factor(user: User) -> bool:
    """Coordinators, national admins and superusers must pass TOTP after a password."""
    return user.is_superuser or bool(user.roles & {Role.COORDINATOR, Role.NATIONAL_ADMIN})


@receiver(user_logged_in, dispatch_uid="two_factor_mark_password_login")
def mark_password_login(
    sender: object, request: HttpRequest | None, user: User, **_: object
) -> None:
    """A password was just submitted: the session owes a code if the user needs one. (Logins
    by e-ID use another backend; the test client's ``force_login`` submits nothing.)"""
    if (
        request is not None
        and request.method == "POST"
        and request.session.get(BACKEND_SESSION_KEY) == FORM_LOGIN_BACKEND
        and requires_second_factor(user)
    ):
        request.session[PENDING_SESSION_KEY] = True


def session_needs_second_factor(request: HttpRequest) -> bool:
    """True while this session was opened by a password and still lacks an accepted code."""
    return bool(settings.OTP_REQUIRED and request.session.get(PENDING_SESSION_KEY))


class SecondFactorMiddleware:
    """Sends a session that still owes its second factor to the code page (logging out, the
    language switch and static files stay reachable)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if session_needs_second_factor(request) and not self._open_path(request.path):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)

    @staticmethod
    def _open_path(path: str) -> bool:
        return path.startswith(settings.STATIC_URL) or path in {
            reverse("accounts:two_factor"),
            reverse("accounts:logout"),
            reverse("set_language"),
        }


# --- services ------------------------------------------------------------------------------------


def device_for(user: User) -> TotpDevice:
    """The user's device, created (unconfirmed, with a new random secret) if there is none."""
    device, _created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32(32)}
    )
    return device


def verify_code(user: User, code: str, *, at: float | None = None) -> bool:
    """Accept ``code`` if it is the user's TOTP for the current 30-second step or one step either
    side (clock drift) and no later step was used before (a code works once). The first accepted
    code confirms a newly set-up device."""
    now = time.time() if at is None else at
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        totp = pyotp.TOTP(device.secret)
        current = int(now // STEP_SECONDS)
        for step in (current - 1, current, current + 1):
            if device.last_used_step is not None and step <= device.last_used_step:
                continue
            if constant_time_compare(totp.at(step * STEP_SECONDS), code):
                device.last_used_step = step
                if device.confirmed_at is None:
                    device.confirmed_at = timezone.now()
                    audit_log(actor=user, action="accounts.totp_confirmed", target=user)
                device.save(update_fields=["last_used_step", "confirmed_at"])
                return True
    return False


def reset_totp_device(*, actor: User, user: User) -> None:
    """Remove ``user``'s authenticator (a lost phone); they set up a new one at their next login.
    Only a national admin may do it, and only a superuser may reset a superuser."""
    if not actor.is_national_admin or (user.is_superuser and not actor.is_superuser):
        raise PermissionError("not allowed to reset this user's two-factor device")
    with transaction.atomic():
        deleted, _rows = TotpDevice.objects.filter(user=user).delete()
        audit_log(
            actor=actor,
            action="accounts.totp_reset",
            target=user,
            message="removed" if deleted else "no device",
        )


# --- pages ------------------------------------------------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Sexsiffrig kod från appen"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isascii() or not code.isdigit():
            raise forms.ValidationError(_("Skriv de sex siffrorna som appen visar."))
        return code


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _logged_in_user(request: HttpRequest) -> User:
    """The request's user; the views are behind ``login_required``, so it is never anonymous."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: set up the app (first time) or type its code."""
    next_url = _next_url(request)
    if not session_needs_second_factor(request):
        return redirect(next_url)
    user = _logged_in_user(request)
    device = device_for(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if verify_code(user, form.cleaned_data["code"]):
            request.session.cycle_key()
            request.session.pop(PENDING_SESSION_KEY, None)
            request.session.pop(FAILURES_SESSION_KEY, None)
            return redirect(next_url)
        failures = request.session.get(FAILURES_SESSION_KEY, 0) + 1
        if failures >= MAX_FAILURES:
            logout(request)
            messages.error(request, _("För många felaktiga koder. Logga in igen."))
            return redirect("accounts:login")
        request.session[FAILURES_SESSION_KEY] = failures
        form.add_error(
            "code",
            _(
                "Koden stämmer inte. Kontrollera att klockan i telefonen går rätt och skriv "
                "den kod som visas nu."
            ),
        )
    context: dict[str, object] = {"form": form, "next": next_url, "setting_up": False}
    if device.confirmed_at is None:
        uri = pyotp.TOTP(device.secret).provisioning_uri(name=user.email, issuer_name=ISSUER_NAME)
        context.update(
            setting_up=True,
            secret=_grouped(device.secret),
            otpauth_uri=uri,
            qr_data_uri=segno.make(uri, error="m").svg_data_uri(scale=4),
        )
    return render(request, "accounts/two_factor.html", context)


@never_cache
@login_required
def reset_device(request: HttpRequest, user_id: int) -> HttpResponse:
    """The national admin removes a person's authenticator (confirmation page, then POST)."""
    actor = _logged_in_user(request)
    if not actor.is_national_admin:
        raise Http404
    person = get_object_or_404(User, pk=user_id)
    if person.is_superuser and not actor.is_superuser:
        raise Http404
    if request.method == "POST":
        reset_totp_device(actor=actor, user=person)
        messages.success(
            request,
            _("Tvåstegsverifieringen för %(name)s är återställd.") % {"name": person},
        )
        return redirect("home")
    has_device = TotpDevice.objects.filter(user=person).exists()
    return render(
        request, "accounts/two_factor_reset.html", {"person": person, "has_device": has_device}
    )
