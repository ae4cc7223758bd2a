"""The page head, footer and timeout dialog are rendered once and reused with per-request
values filled in: each page must still carry its own CSRF token and address."""

import re

import pytest

from kvinnofrid.core.templatetags import layout

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.restore_urls")]


@pytest.fixture(autouse=True)
def _production_rendering(settings):
    settings.DEBUG = False  # parts are reused only without DEBUG


def _language_form(html: str) -> tuple[str, str]:
    form = re.search(r'<form method="post" action="/i18n/setlang/".*?</form>', html, re.S)
    assert form, "no language form in the footer"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(0)).group(1)
    next_url = re.search(r'name="next" value="([^"]*)"', form.group(0)).group(1)
    return token, next_url


def test_the_reused_footer_carries_each_requests_token_and_address(client, make_user):
    # given a page rendered once, so its parts are stored
    client.force_login(make_user("coordinator"))
    client.get("/test-form/")
    assert layout._rendered
    # when another page is requested (with a query string that needs escaping)
    html = client.get('/test-form/?q="<x>"&a=1').content.decode()
    # then the footer's form returns to this address, escaped, with a token that works
    token, next_url = _language_form(html)
    assert next_url == "/test-form/?q=%22%3Cx%3E%22&amp;a=1"
    assert "kfcsrf" not in html
    assert "kfpath" not in html
    response = client.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code in (302, 303)


def test_parts_follow_the_language_and_login_state(client, make_user):
    # given the Swedish parts for an anonymous visitor
    sv = client.get("/konto/logga-in/").content.decode()
    assert "Tillgänglighetsredogörelse" in sv
    assert '<dialog id="session-timeout"' not in sv
    # when a user logs in and switches to English
    client.force_login(make_user("coordinator"))
    client.cookies.load({"django_language": "en"})
    en = client.get("/test-form/").content.decode()
    # then the parts are the English, logged-in ones
    assert "Accessibility statement" in en
    assert '<dialog id="session-timeout"' in en
