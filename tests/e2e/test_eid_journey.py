"""e-ID in the browser: the login page's button, the provider's own page, back to Kvinnofrid."""

import pytest

from tests.oidc_provider import running_provider, set_claims

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(settings):
    with running_provider() as issuer:
        settings.OIDC_ISSUER = issuer
        settings.OIDC_CLIENT_ID = "kvinnofrid-e2e"
        settings.OIDC_CLIENT_SECRET = "e2e-secret"
        yield issuer


def _eid_login(page, live_server, subject: str) -> None:
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    page.get_by_label("Subject").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()


def test_invited_reporter_logs_in_with_eid(page, live_server, make_user, provider, axe):
    make_user("reporter", email="rapportor@aneby.example")
    page.goto(f"{live_server.url}/konto/logga-in/")
    axe(page)
    set_claims(provider, "freja-1", {"email": "rapportor@aneby.example", "email_verified": True})
    _eid_login(page, live_server, "freja-1")
    assert page.locator("h1").inner_text() == "Jönköpings län"


def test_unknown_identity_sees_the_swedish_refusal(page, live_server, provider, axe):
    set_claims(provider, "okand", {"email": "okand@example.se", "email_verified": True})
    _eid_login(page, live_server, "okand")
    assert page.locator("h1").inner_text() == "Inloggningen nekades"
    axe(page)


def test_national_admin_reset_page(page, live_server, make_user, login, axe):
    coordinator = make_user("coordinator")
    admin = make_user("national_admin")
    login(page, admin)
    page.goto(f"{live_server.url}/konto/tvastegsverifiering/aterstall/{coordinator.pk}/")
    assert page.locator("h1").inner_text() == "Återställ tvåstegsverifiering"
    axe(page)
