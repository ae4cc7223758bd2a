"""In the browser, under the real CSP: the idle-timeout dialog, and a form that comes back
filled in after the session expired."""

import pytest
from django.contrib.sessions.models import Session

from tests.e2e.conftest import give_authenticator, pass_second_factor

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.core.restore_urls"),
]


@pytest.fixture
def strict_page(browser, browser_context_args):
    """A page that enforces the CSP (the shared fixture bypasses it to inject axe-core)."""
    context = browser.new_context(**{**browser_context_args, "bypass_csp": False})
    page = context.new_page()
    page.csp_errors = []
    page.on(
        "console",
        lambda msg: (
            page.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    yield page
    context.close()


def _login(page, base_url, user, next_url=""):
    give_authenticator(user)
    page.goto(f"{base_url}/konto/logga-in/" + (f"?next={next_url}" if next_url else ""))
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill("losenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    pass_second_factor(page, user)


def test_form_is_refilled_after_the_session_expired(strict_page, live_server, make_user, axe):
    # given a reporter typing in a form
    page = strict_page
    user = make_user("reporter")
    _login(page, live_server.url, user)
    page.goto(f"{live_server.url}/test-form/")
    page.get_by_label("Rubrik").fill("Samverkan med skolan")
    page.get_by_label("Text").fill("Två utbildningsdagar\nför personal")
    page.get_by_label("Typ").select_option("b")
    page.get_by_label("Klar").check()
    # when the session runs out before saving
    Session.objects.all().delete()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    # then the login page says the text is kept, and after logging in it is back in the form
    assert "/konto/logga-in/" in page.url
    assert page.get_by_text("Logga in igen så får du tillbaka det du skrev").is_visible()
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill("losenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert page.url.endswith("/test-form/")
    assert page.get_by_label("Rubrik").input_value() == "Samverkan med skolan"
    assert page.get_by_label("Text").input_value() == "Två utbildningsdagar\nför personal"
    assert page.get_by_label("Typ").input_value() == "b"
    assert page.get_by_label("Klar").is_checked()
    notice = page.locator("#restored-post-notice")
    assert notice.is_visible()
    assert "har fyllts i igen" in notice.inner_text()
    assert page.csp_errors == []


def test_form_is_refilled_after_a_stale_token(strict_page, live_server, make_user):
    # given a user typing in a form opened before logging out and in again in another tab
    page = strict_page
    user = make_user("reporter")
    _login(page, live_server.url, user)
    page.goto(f"{live_server.url}/test-form/")
    page.get_by_label("Rubrik").fill("Text från den gamla fliken")
    page.get_by_label("Typ").select_option("b")
    other_tab = page.context.new_page()
    other_tab.goto(f"{live_server.url}/test-form/")
    other_tab.get_by_role("button", name="Logga ut").click()
    other_tab.wait_for_load_state()
    _login(other_tab, live_server.url, user)
    other_tab.close()
    # when the old tab posts with its stale token
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    # then the same form comes back with this user's own text and the notice
    assert page.url.endswith("/test-form/")
    assert page.get_by_label("Rubrik").input_value() == "Text från den gamla fliken"
    assert page.get_by_label("Typ").input_value() == "b"
    notice = page.locator("#restored-post-notice")
    assert notice.is_visible()
    assert "för gammal" in notice.inner_text()
    # and when the session then runs out and someone else logs in in that tab,
    page.get_by_label("Rubrik").fill("Bara min text")
    Session.objects.all().delete()
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    assert "/konto/logga-in/" in page.url
    assert (
        page.evaluate(
            "() => Object.keys(sessionStorage).filter(k => k.startsWith('kvinnofrid-typed:')).length"
        )
        == 1
    )
    page.get_by_label("E-postadress").fill(make_user("reporter", email="annan@example.se").email)
    page.get_by_label("Lösenord").fill("losenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    # then the other person gets the empty form, and the first person's copy is gone
    assert page.url.endswith("/test-form/")
    assert page.get_by_label("Rubrik").input_value() == ""
    assert not page.locator("#restored-post-notice").is_visible()
    assert (
        page.evaluate(
            "() => Object.keys(sessionStorage).filter(k => k.startsWith('kvinnofrid-typed:')).length"
        )
        == 0
    )
    assert page.csp_errors == []


def test_idle_warning_dialog_and_keep_alive(strict_page, live_server, make_user, settings):
    # given a short idle timeout with the warning shown after about two seconds
    settings.SESSION_COOKIE_AGE = 30
    settings.SESSION_WARNING_SECONDS = 28
    page = strict_page
    _login(page, live_server.url, make_user("coordinator"))
    page.goto(f"{live_server.url}/test-form/")
    page.get_by_label("Rubrik").focus()
    # when the user stays idle
    dialog = page.get_by_role("alertdialog", name="Du loggas snart ut")
    dialog.wait_for(state="visible", timeout=8000)
    # then the dialog is modal, described, and its button has focus
    continue_button = page.get_by_role("button", name="Fortsätt arbeta")
    assert continue_button.evaluate("el => el === document.activeElement")
    assert "loggas du ut om" in dialog.inner_text()
    # when the user chooses to continue
    with page.expect_response(lambda r: r.url.endswith("/session/fortsatt/")) as response:
        continue_button.click()
    assert response.value.status == 204
    # then the dialog closes, focus returns to where it was and the session is still valid
    dialog.wait_for(state="hidden", timeout=3000)
    assert page.get_by_label("Rubrik").evaluate("el => el === document.activeElement")
    page.goto(f"{live_server.url}/test-form/")
    assert page.url.endswith("/test-form/")
    assert page.csp_errors == []
