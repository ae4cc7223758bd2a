"""e-ID login through the county's OpenID Connect provider (Freja OrgID, SITHS and the like).

The flow is the authorization code flow with PKCE (S256), a ``state`` and a ``nonce``, built on
authlib's OAuth2Session; the ID token is checked with joserfc against the provider's published
keys. Everything about the provider comes from discovery: ``OIDC_ISSUER`` +
``/.well-known/openid-configuration``.

Who may log in: nobody gets an account from the provider. The first login links the identity
(issuer + the stable ``sub``) to an active user with the same *verified* e-mail address who holds
a membership, that is a person someone invited; every later login finds the user by issuer +
subject alone. Anyone else sees a Swedish refusal and nothing is written.
"""

import hashlib
import logging
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from kvinnofrid.accounts.models import OidcIdentity, User
from kvinnofrid.core.audit import audit_log

logger = logging.getLogger(__name__)

BACKEND = "kvinnofrid.accounts.oidc.OidcBackend"
SESSION_KEY = "oidc_flow"
HTTP_TIMEOUT = 10
METADATA_SECONDS = 3600
# Only signatures made with the provider's private key; never "none" or a shared secret.
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"]
CLOCK_LEEWAY_SECONDS = 60


class OidcError(Exception):
    """The provider answered something we cannot trust or use (logged, never shown)."""


class OidcBackend(ModelBackend):
    """The backend of sessions opened by e-ID. It checks no password: only :func:`callback`
    logs a user in through it, and the second-factor step is not asked of such sessions."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        return None


def oidc_enabled() -> bool:
    """True when a provider is configured (the login page shows the e-ID button)."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def provider_metadata() -> dict[str, Any]:
    """The issuer's discovery document, cached for an hour."""
    issuer = settings.OIDC_ISSUER
    key = "oidc:metadata:" + hashlib.sha256(issuer.encode()).hexdigest()[:32]
    metadata: dict[str, Any] | None = cache.get(key)
    if metadata is None:
        try:
            response = requests.get(
                f"{issuer}/.well-known/openid-configuration", timeout=HTTP_TIMEOUT
            )
            response.raise_for_status()
            metadata = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise OidcError(f"discovery failed: {exc}") from exc
        if str(metadata.get("issuer", "")).rstrip("/") != issuer:
            raise OidcError(f"discovery names issuer {metadata.get('issuer')!r}, not {issuer!r}")
        cache.set(key, metadata, METADATA_SECONDS)
    return metadata


def _client(request: HttpRequest) -> OAuth2Session:
    return OAuth2Session(
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET or None,
        scope=settings.OIDC_SCOPES,
        redirect_uri=request.build_absolute_uri(reverse("accounts:oidc_callback")),
        code_challenge_method="S256",
    )


def _failed(request: HttpRequest, exc: Exception) -> HttpResponseRedirect:
    logger.warning("e-ID login failed: %s", exc)
    messages.error(
        request,
        _(
            "Inloggningen med e-legitimation misslyckades. Försök igen om en stund eller logga "
            "in med e-post och lösenord."
        ),
    )
    return redirect("accounts:login")


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider with a fresh state, nonce and PKCE verifier."""
    if not oidc_enabled():
        raise Http404
    try:
        metadata = provider_metadata()
    except OidcError as exc:
        return _failed(request, exc)
    verifier, nonce = generate_token(64), generate_token(32)
    url, state = _client(request).create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    request.session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
    }
    return redirect(url)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: check state, exchange the code, check the ID token, log in."""
    if not oidc_enabled():
        raise Http404
    flow = request.session.pop(SESSION_KEY, None)
    if not flow or not constant_time_compare(request.GET.get("state", ""), flow["state"]):
        return _failed(request, OidcError("state missing or not the one this session sent"))
    if "error" in request.GET or not request.GET.get("code"):
        return _failed(request, OidcError(f"provider error {request.GET.get('error')!r}"))
    try:
        metadata = provider_metadata()
        token = _client(request).fetch_token(
            metadata["token_endpoint"],
            grant_type="authorization_code",
            code=request.GET["code"],
            code_verifier=flow["verifier"],
            timeout=HTTP_TIMEOUT,
        )
        claims = id_token_claims(token.get("id_token", ""), metadata, nonce=flow["nonce"])
        if "email" not in claims and metadata.get("userinfo_endpoint"):
            claims = {**_userinfo(metadata, token, claims["sub"]), **claims}
    except (
        OidcError,
        AuthlibBaseError,
        JoseError,
        requests.RequestException,
        ValueError,
        KeyError,
    ) as exc:
        return _failed(request, exc)
    user = link_or_find_user(metadata["issuer"].rstrip("/"), claims)
    if user is None:
        return render(request, "registration/oidc_refused.html", status=403)
    login(request, user, backend=BACKEND)
    return redirect(flow["next"] or settings.LOGIN_REDIRECT_URL)


def id_token_claims(id_token: str, metadata: dict[str, Any], *, nonce: str) -> dict[str, Any]:
    """Verify the ID token's signature against the provider's keys and its claims (issuer,
    audience, expiry, nonce); return the claims."""
    if not id_token:
        raise OidcError("the token response holds no id_token")
    try:
        response = requests.get(metadata["jwks_uri"], timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        keys = KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError) as exc:
        raise OidcError(f"could not read the provider's keys: {exc}") from exc
    decoded = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
    client_id = settings.OIDC_CLIENT_ID
    jwt.JWTClaimsRegistry(
        leeway=CLOCK_LEEWAY_SECONDS,
        iss={"essential": True, "value": metadata["issuer"]},
        sub={"essential": True},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    ).validate(decoded.claims)
    audience = decoded.claims["aud"]
    if isinstance(audience, list) and len(audience) > 1 and decoded.claims.get("azp") != client_id:
        raise OidcError("several audiences and azp is not this client")
    return dict(decoded.claims)


def _userinfo(metadata: dict[str, Any], token: dict[str, Any], subject: str) -> dict[str, Any]:
    response = requests.get(
        metadata["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {token['access_token']}"},
        timeout=HTTP_TIMEOUT,
    )
    response.raise_for_status()
    info: dict[str, Any] = response.json()
    if info.get("sub") != subject:
        raise OidcError("userinfo is about another subject")
    return info


def _email_verified(claims: dict[str, Any]) -> bool:
    # Some providers send the boolean as a string.
    return claims.get("email_verified") in (True, "true")


def link_or_find_user(issuer: str, claims: dict[str, Any]) -> User | None:
    """The user this identity logs in as, or None (refused; nothing is written).

    A known issuer + subject gives its user (if still active). An unknown one is linked to the
    active, invited user (one with a membership) whose address equals the *verified* e-mail
    claim, unless that user is already linked to another subject at this issuer.
    """
    subject = str(claims["sub"])
    identity = (
        OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    if identity is not None:
        if not identity.user.is_active:
            return None
        OidcIdentity.objects.filter(pk=identity.pk).update(last_login_at=timezone.now())
        return identity.user
    email = str(claims.get("email") or "").strip()
    if not email or not _email_verified(claims):
        logger.info("e-ID login refused: no verified e-mail for subject at %s", issuer)
        return None
    user = (
        User.objects.filter(email__iexact=email, is_active=True, memberships__isnull=False)
        .distinct()
        .first()
    )
    if user is None or user.oidc_identities.filter(issuer=issuer).exists():
        logger.info("e-ID login refused: no invited person to link at %s", issuer)
        return None
    try:
        with transaction.atomic():
            identity = OidcIdentity.objects.create(
                user=user, issuer=issuer, subject=subject, last_login_at=timezone.now()
            )
            audit_log(
                actor=user,
                action="accounts.oidc_linked",
                target=identity,
                message=f"{issuer} {subject}",
            )
    except IntegrityError:
        # A parallel first login of the same identity linked it a moment ago.
        return None
    return user


def login_url(next_url: str = "") -> str:
    """The address of the e-ID button (keeps ``next``)."""
    url = reverse("accounts:oidc_login")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
