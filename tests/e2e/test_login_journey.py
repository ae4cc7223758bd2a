import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_and_start_page_pass_axe(page, live_server, make_user, login, axe):
    user = make_user("coordinator", county_code="06")
    page.goto(f"{live_server.url}/konto/logga-in/")
    axe(page)
    login(page, user)
    assert page.locator("h1").inner_text() == "Jönköpings län"
    axe(page)
    page.goto(f"{live_server.url}/tillganglighet/")
    axe(page)


def test_coordinator_sets_up_totp_after_the_password(page, live_server, make_user, axe):
    """First password login of a coordinator: the setup page shows the secret as text (for
    keyboard users) and a QR code; the code from the app lets them in."""
    import pyotp

    user = make_user("coordinator", county_code="06")
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill("losenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Tvåstegsverifiering"
    axe(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Sexsiffrig kod från appen").fill("000000")
    page.get_by_role("button", name="Verifiera").click()
    assert page.get_by_text("Koden stämmer inte").is_visible()
    axe(page)
    page.get_by_label("Sexsiffrig kod från appen").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Verifiera").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Jönköpings län"
