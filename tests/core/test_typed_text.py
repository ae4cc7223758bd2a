"""An expired session or a stale CSRF token never throws away what the user typed."""

import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from tests.core import restore_urls

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.restore_urls")]

LOGIN = "/konto/logga-in/"
TYPED = {"title": "Vår rubrik", "body": "Rad ett\nRad två <script>alert(1)</script>", "kind": "b"}


def _token(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())
    assert match, "no CSRF token on the page"
    return match.group(1)


def _login(client: Client, user, next_url: str = "") -> object:
    page = client.get(LOGIN + (f"?next={next_url}" if next_url else ""))
    return client.post(
        LOGIN,
        {
            "username": user.email,
            "password": "losenord-123",
            "next": next_url,
            "csrfmiddlewaretoken": _token(page),
        },
    )


def _notice(response) -> str:
    """The reason on the page's "refused post" notice (the browser refills the form from its
    own copy, static/js/session-restore-form.js)."""
    match = re.search(
        r'id="restored-post-notice" role="status" data-restore-reason="(\w+)"',
        response.content.decode(),
    )
    assert match, "the page does not carry the refused-post notice"
    return match.group(1)


def _session_text(client: Client) -> str:
    return json.dumps(dict(client.session.items()), ensure_ascii=False)


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_post_after_session_expiry_is_noted_and_the_login_goes_back_to_the_form(
    csrf_client, make_user
):
    # given a logged-in user with the form open
    user = make_user("reporter")
    _login(csrf_client, user)
    form_page = csrf_client.get("/test-form/")
    token = _token(form_page)
    # when the session expires and the form is posted anyway
    Session.objects.all().delete()
    restore_urls.SAVED.clear()
    response = csrf_client.post(
        "/test-form/", {**TYPED, "done": "1", "lock_version": "3", "csrfmiddlewaretoken": token}
    )
    # then nothing is saved, the user is sent to log in, and after logging in gets the form
    # back with the notice that the browser fills in its own copy under
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Ftest-form%2F"
    assert restore_urls.SAVED == []
    assert (
        "Logga in igen så får du tillbaka det du skrev"
        in csrf_client.get(response["Location"]).content.decode()
    )
    login = _login(csrf_client, user, next_url="/test-form/")
    assert login.status_code == 302
    assert login["Location"] == "/test-form/"
    page = csrf_client.get("/test-form/")
    assert _notice(page) == "expired"
    assert "js/session-restore-form.js" in page.content.decode()
    # the posted values were never kept on the server
    assert TYPED["title"] not in page.content.decode()
    assert TYPED["title"] not in _session_text(csrf_client)
    # and the notice comes once only
    again = csrf_client.get("/test-form/")
    assert 'id="restored-post-notice"' not in again.content.decode()


def test_post_to_action_url_returns_to_the_form_page(csrf_client, make_user):
    user = make_user("reporter")
    _login(csrf_client, user)
    token = _token(csrf_client.get("/test-form/"))
    Session.objects.all().delete()
    response = csrf_client.post(
        "/test-form/submit/",
        {"title": "x", "csrfmiddlewaretoken": token},
        HTTP_REFERER="http://testserver/test-form/",
    )
    assert response["Location"] == f"{LOGIN}?next=%2Ftest-form%2F"
    _login(csrf_client, user, next_url="/test-form/")
    assert _notice(csrf_client.get("/test-form/")) == "expired"


def test_a_post_of_nothing_typed_is_not_noted(csrf_client, make_user):
    # a logout (only the token) after the session ran out promises nothing back
    user = make_user("reporter")
    _login(csrf_client, user)
    token = _token(csrf_client.get("/test-form/"))
    Session.objects.all().delete()
    response = csrf_client.post("/test-form/", {"csrfmiddlewaretoken": token, "title": " "})
    assert response.status_code == 302
    assert "Logga in igen" not in csrf_client.get(response["Location"]).content.decode()


def test_htmx_post_after_expiry_sends_the_browser_to_login(csrf_client, make_user):
    user = make_user("reporter")
    _login(csrf_client, user)
    token = _token(csrf_client.get("/test-form/"))
    Session.objects.all().delete()
    response = csrf_client.post(
        "/test-form/",
        {"title": "autosparat", "csrfmiddlewaretoken": token},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/test-form/",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{LOGIN}?next=%2Ftest-form%2F"
    _login(csrf_client, user, next_url="/test-form/")
    assert _notice(csrf_client.get("/test-form/")) == "expired"


def test_stale_csrf_token_shows_the_form_again_with_the_notice(csrf_client, make_user):
    # given the form opened in one tab
    user = make_user("reporter")
    _login(csrf_client, user)
    stale_token = _token(csrf_client.get("/test-form/"))
    # when the user logs out and in again in another tab (which rotates the CSRF token) and posts
    csrf_client.post("/konto/logga-ut/", {"csrfmiddlewaretoken": stale_token})
    _login(csrf_client, user)
    restore_urls.SAVED.clear()
    response = csrf_client.post("/test-form/", {**TYPED, "csrfmiddlewaretoken": stale_token})
    # then nothing is saved and the same page comes back with a fresh token and the notice
    assert response.status_code == 302
    assert response["Location"] == "/test-form/"
    assert restore_urls.SAVED == []
    page = csrf_client.get("/test-form/")
    assert _notice(page) == "csrf"
    assert "Sidan hade hunnit bli för gammal" in page.content.decode()
    assert TYPED["title"] not in page.content.decode()
    # and posting the refilled form with the fresh token saves
    saved = csrf_client.post("/test-form/", {**TYPED, "csrfmiddlewaretoken": _token(page)})
    assert saved.status_code == 302
    assert [{"title": TYPED["title"], "body": TYPED["body"]}] == restore_urls.SAVED


def test_stale_csrf_and_expired_session_goes_through_login(csrf_client, make_user):
    user = make_user("reporter")
    _login(csrf_client, user)
    stale_token = _token(csrf_client.get("/test-form/"))
    Session.objects.all().delete()
    csrf_client.cookies.pop("csrftoken")
    response = csrf_client.post("/test-form/", {**TYPED, "csrfmiddlewaretoken": stale_token})
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Ftest-form%2F"
    _login(csrf_client, user, next_url="/test-form/")
    assert _notice(csrf_client.get("/test-form/")) == "csrf"


ATTACK = {"title": "Angriparens text", "body": '=HYPERLINK("http://evil.example")'}


def test_a_forged_post_from_another_site_is_never_put_into_the_form(csrf_client, make_user):
    # Regression (issue 12 item 1): csrf_failure used to keep the body of a request that failed
    # the CSRF check and the next page load filled the victim's form with it.
    # given a logged-in user
    user = make_user("reporter")
    _login(csrf_client, user)
    restore_urls.SAVED.clear()
    # when a page on another site makes the browser post attacker text with a bad token
    response = csrf_client.post(
        "/test-form/",
        {**ATTACK, "csrfmiddlewaretoken": "x" * 64},
        HTTP_ORIGIN="http://127.0.0.1:8999",
        HTTP_REFERER="http://127.0.0.1:8999/attack.html",
    )
    # then nothing is saved and the form page never holds the foreign text
    assert response.status_code == 302
    assert restore_urls.SAVED == []
    page = csrf_client.get(response["Location"])
    assert ATTACK["title"] not in page.content.decode()
    assert ATTACK["title"] not in _session_text(csrf_client)


def test_a_forged_post_before_login_is_never_put_into_the_form(make_user):
    # the victim is not logged in (a cross-site POST carries no Lax session cookie)
    user = make_user("reporter")
    victim = Client(enforce_csrf_checks=True)
    restore_urls.SAVED.clear()
    response = victim.post("/test-form/", ATTACK, HTTP_ORIGIN="http://127.0.0.1:8999")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Ftest-form%2F"
    # the login page does not claim the text is the user's
    assert (
        "Logga in igen så får du tillbaka" not in victim.get(response["Location"]).content.decode()
    )
    _login(victim, user, next_url="/test-form/")
    page = victim.get("/test-form/")
    assert ATTACK["title"] not in page.content.decode()
    assert ATTACK["title"] not in _session_text(victim)
    assert restore_urls.SAVED == []


def test_htmx_post_with_stale_token_gets_a_403_page_without_the_posted_text(csrf_client, make_user):
    user = make_user("reporter")
    _login(csrf_client, user)
    response = csrf_client.post(
        "/test-form/",
        {"title": "främmande text", "csrfmiddlewaretoken": "x" * 64},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    content = response.content.decode()
    assert "Ingenting sparades" in content
    assert "främmande text" not in content


def test_keepalive_extends_the_session(client, make_user):
    client.force_login(make_user("coordinator"))
    response = client.post("/session/fortsatt/")
    assert response.status_code == 204
    assert "sessionid" in response.cookies
    assert client.get("/session/fortsatt/").status_code == 405


def test_keepalive_for_anonymous_is_401_not_a_redirect(client):
    assert client.post("/session/fortsatt/").status_code == 401


def test_base_layout_has_the_timeout_dialog_for_logged_in_users(client, make_user):
    client.force_login(make_user("coordinator"))
    content = client.get("/test-form/").content.decode()
    assert '<dialog id="session-timeout"' in content
    assert 'aria-labelledby="session-timeout-title"' in content
    assert "Fortsätt arbeta" in content
    assert 'data-keepalive-url="/session/fortsatt/"' in content
    assert "js/session-timeout.js" in content
    anonymous = Client().get(LOGIN).content.decode()
    assert "session-timeout" not in anonymous.split("<body", 1)[1].split("</footer>")[0]
