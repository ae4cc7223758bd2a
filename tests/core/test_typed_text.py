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


def _restored(response) -> dict:
    match = re.search(
        r'<script id="restored-post" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "the page does not carry the restored values"
    return json.loads(match.group(1))


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_post_after_session_expiry_is_kept_through_login(csrf_client, make_user):
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
    # then nothing is saved, the user is sent to log in, and after logging in gets the form back
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
    restored = _restored(page)
    assert restored["title"] == [TYPED["title"]]
    assert restored["body"] == [TYPED["body"]]
    assert restored["kind"] == ["b"]
    assert restored["done"] == ["1"]
    assert restored["lock_version"] == ["3"]
    assert "csrfmiddlewaretoken" not in restored
    assert "Det du skrev innan du loggades ut har fyllts i igen" in page.content.decode()
    # the script tag cannot be broken out of
    assert "<script>alert(1)</script>" not in page.content.decode()
    # and it is shown once only
    again = csrf_client.get("/test-form/")
    assert 'id="restored-post"' not in again.content.decode()


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
    assert _restored(csrf_client.get("/test-form/"))["title"] == ["x"]


def test_password_fields_are_never_kept(csrf_client, make_user):
    user = make_user("reporter")
    _login(csrf_client, user)
    token = _token(csrf_client.get("/test-form/"))
    Session.objects.all().delete()
    csrf_client.post(
        "/test-form/", {"title": "t", "new_password1": "hemligt", "csrfmiddlewaretoken": token}
    )
    _login(csrf_client, user, next_url="/test-form/")
    restored = _restored(csrf_client.get("/test-form/"))
    assert "new_password1" not in restored


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
    assert _restored(csrf_client.get("/test-form/"))["title"] == ["autosparat"]


def test_stale_csrf_token_keeps_the_typed_values(csrf_client, make_user):
    # given the form opened in one tab
    user = make_user("reporter")
    _login(csrf_client, user)
    stale_token = _token(csrf_client.get("/test-form/"))
    # when the user logs out and in again in another tab (which rotates the CSRF token) and posts
    csrf_client.post("/konto/logga-ut/", {"csrfmiddlewaretoken": stale_token})
    _login(csrf_client, user)
    restore_urls.SAVED.clear()
    response = csrf_client.post("/test-form/", {**TYPED, "csrfmiddlewaretoken": stale_token})
    # then nothing is saved and the same page comes back filled in, with a fresh token
    assert response.status_code == 302
    assert response["Location"] == "/test-form/"
    assert restore_urls.SAVED == []
    page = csrf_client.get("/test-form/")
    assert _restored(page)["title"] == [TYPED["title"]]
    assert "Sidan hade hunnit bli för gammal" in page.content.decode()
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
    assert _restored(csrf_client.get("/test-form/"))["body"] == [TYPED["body"]]


def test_htmx_post_with_stale_token_gets_a_403_page_listing_the_values(csrf_client, make_user):
    user = make_user("reporter")
    _login(csrf_client, user)
    response = csrf_client.post(
        "/test-form/",
        {"title": "behåll mig", "csrfmiddlewaretoken": "x" * 64},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert "behåll mig" in response.content.decode()


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
