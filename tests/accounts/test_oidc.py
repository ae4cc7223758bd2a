"""e-ID login against a real OpenID Connect provider (oidc-provider-mock) on loopback.

The provider is a real HTTP server in a thread: discovery, the authorization endpoint, the token
endpoint and the signing keys all answer over TCP, and the test chooses each person's claims.
Nothing of the client side (authlib, joserfc, our views) is replaced.
"""

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from kvinnofrid.accounts.models import OidcIdentity, Role, User
from kvinnofrid.core.models import AuditEntry
from tests.oidc_provider import running_provider, set_claims

CLIENT_ID = "kvinnofrid-test"


@pytest.fixture
def issuer() -> Iterator[str]:
    """A fresh provider on a free 127.0.0.1 port, stopped after the test."""
    with running_provider() as url:
        yield url


@pytest.fixture
def configured(settings, issuer) -> str:
    settings.OIDC_ISSUER = issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = "test-secret"
    settings.OIDC_SCOPES = "openid email profile"
    settings.OTP_REQUIRED = True
    return issuer


def eid_login(client, issuer: str, subject: str, claims: dict, **start_query):
    """The whole browser round trip: our start view, the provider's consent form, our callback."""
    set_claims(issuer, subject, claims)
    start = client.get(reverse("accounts:oidc_login"), start_query)
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{issuer}/oauth2/authorize?")
    sent = parse_qs(urlsplit(authorize).query)
    assert sent["code_challenge_method"] == ["S256"]
    assert sent["nonce"]
    assert sent["state"]
    answer = requests.post(authorize, data={"sub": subject}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = answer.headers["Location"]
    assert back.startswith("http://testserver/konto/e-legitimation/retur/?")
    return client.get(back)


def logged_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value else None


def test_login_page_shows_the_eid_button_only_when_configured(client, settings, configured):
    assert "Logga in med e-legitimation" in client.get(reverse("accounts:login")).content.decode()
    settings.OIDC_ISSUER = ""
    page = client.get(reverse("accounts:login")).content.decode()
    assert "e-legitimation" not in page
    assert client.get(reverse("accounts:oidc_login")).status_code == 404


def test_invited_person_is_linked_by_verified_email_and_later_found_by_subject(
    client, make_user, configured
):
    person = make_user(Role.REPORTER, email="anna.andersson@kommun.example")
    response = eid_login(
        client,
        configured,
        "sub-anna-1",
        {"email": "Anna.Andersson@kommun.example", "email_verified": True, "name": "Anna"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert logged_in_as(client) == person.pk
    assert client.get(reverse("home"))["Location"] == "/lan/06/"
    identity = OidcIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (person, configured, "sub-anna-1")
    assert AuditEntry.objects.filter(action="accounts.oidc_linked", actor=person).exists()

    # Later: the provider now gives another address, the subject still finds Anna.
    client.logout()
    eid_login(client, configured, "sub-anna-1", {"email": "anna@annan.example"})
    assert logged_in_as(client) == person.pk
    assert OidcIdentity.objects.count() == 1


def test_unknown_identity_is_refused_in_swedish_and_no_account_is_created(
    client, make_user, configured
):
    make_user(Role.REPORTER, email="invited@kommun.example")
    users_before = User.objects.count()
    response = eid_login(
        client, configured, "stranger", {"email": "okand@example.se", "email_verified": True}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Inloggningen nekades" in page
    assert "inte till någon som är inbjuden" in page
    assert User.objects.count() == users_before
    assert not OidcIdentity.objects.exists()
    assert logged_in_as(client) is None


@pytest.mark.parametrize(
    ("claims", "with_membership"),
    [
        ({"email": "person@kommun.example", "email_verified": False}, True),
        ({"email": "person@kommun.example"}, True),
        ({"email": "person@kommun.example", "email_verified": True}, False),
    ],
    ids=["email-not-verified", "verification-missing", "not-invited"],
)
def test_identity_is_not_linked_without_verified_email_and_membership(
    client, make_user, configured, claims, with_membership
):
    if with_membership:
        make_user(Role.REPORTER, email="person@kommun.example")
    else:
        User.objects.create_user("person@kommun.example", "losenord-123")
    response = eid_login(client, configured, "sub-x", claims)
    assert response.status_code == 403
    assert not OidcIdentity.objects.exists()
    assert logged_in_as(client) is None


def test_deactivated_user_is_refused_even_with_a_linked_identity(client, make_user, configured):
    person = make_user(Role.REPORTER, email="gone@kommun.example")
    OidcIdentity.objects.create(user=person, issuer=configured, subject="sub-gone")
    User.objects.filter(pk=person.pk).update(is_active=False)
    response = eid_login(client, configured, "sub-gone", {"email": "gone@kommun.example"})
    assert response.status_code == 403
    assert logged_in_as(client) is None


def test_forged_state_is_refused(client, make_user, configured):
    make_user(Role.REPORTER, email="p@kommun.example")
    set_claims(configured, "s1", {"email": "p@kommun.example", "email_verified": True})
    authorize = client.get(reverse("accounts:oidc_login"))["Location"]
    back = requests.post(authorize, data={"sub": "s1"}, allow_redirects=False, timeout=5)
    forged = back.headers["Location"].replace("state=", "state=x")
    response = client.get(forged, follow=True)
    assert "Inloggningen med e-legitimation misslyckades" in response.content.decode()
    assert logged_in_as(client) is None
    assert not OidcIdentity.objects.exists()


def test_coordinator_logged_in_by_eid_is_not_asked_for_totp_and_next_is_kept(
    client, make_user, configured
):
    coordinator = make_user(Role.COORDINATOR, email="samordnare@lst.example")
    response = eid_login(
        client,
        configured,
        "sub-coord",
        {"email": "samordnare@lst.example", "email_verified": True},
        next="/lan/06/",
    )
    assert response["Location"] == "/lan/06/"
    assert logged_in_as(client) == coordinator.pk
    assert client.get("/lan/06/").status_code == 200


def test_unreachable_provider_gives_a_swedish_message(client, settings, db):
    settings.OIDC_ISSUER = "http://127.0.0.1:1"
    settings.OIDC_CLIENT_ID = CLIENT_ID
    response = client.get(reverse("accounts:oidc_login"), follow=True)
    assert "Inloggningen med e-legitimation misslyckades" in response.content.decode()
