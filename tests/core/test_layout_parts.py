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
    assert "<kvinnofrid-csrf-token>" not in html
    assert "<kvinnofrid-page-path>" not in html
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


def _menu(html: str) -> str:
    return html[html.index("<header>") : html.index("</header>")]


def test_the_reused_menu_shows_each_users_own_name_escaped_and_a_working_logout(client, make_user):
    # given the menu rendered once for a coordinator
    first = make_user("coordinator", email="anna@example.se")
    first.full_name = "Anna Andersson"
    first.save()
    client.force_login(first)
    assert "Anna Andersson" in _menu(client.get("/test-form/").content.decode())
    # when another coordinator with markup in the name requests a page
    second = make_user("coordinator", email="bo@example.se")
    second.full_name = "Bo <b>Berg</b>"
    second.save()
    client.force_login(second)
    menu = _menu(client.get("/test-form/").content.decode())
    # then the menu shows that user's name, escaped, and a logout form with a working token
    assert "Bo &lt;b&gt;Berg&lt;/b&gt;" in menu
    assert "Anna Andersson" not in menu
    assert "<kvinnofrid-user-name>" not in menu
    assert "<kvinnofrid-csrf-token>" not in menu
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', menu).group(1)
    response = client.post("/konto/logga-ut/", {"csrfmiddlewaretoken": token})
    assert response.status_code in (302, 303)
    assert "_auth_user_id" not in client.session


def test_the_menu_follows_the_role_and_the_county_of_the_page(client, make_user):
    # given a reporter's menu on a page about no county: it links to the reporter's own county
    # (issue 12 item 13: the same menu items on every page)
    client.force_login(make_user("reporter"))
    menu = _menu(client.get("/test-form/").content.decode())
    assert "Mina yttranden" in menu
    assert 'href="/lan/06/planer/"' in menu
    # when a coordinator opens the county's start page
    client.force_login(make_user("coordinator"))
    menu = _menu(client.get("/lan/06/").content.decode())
    # then the menu has the coordinator's entries and links to that county's pages
    assert "Mina yttranden" not in menu
    assert "Uppföljning" in menu
    assert 'href="/lan/06/planer/"' in menu


def test_a_page_address_holding_a_placeholder_is_escaped_for_anonymous_visitors(client):
    # the menu's user-name placeholder in a query string must stay text (and break nothing)
    response = client.get("/konto/logga-in/?q=<kvinnofrid-user-name><kvinnofrid-csrf-token>")
    assert response.status_code == 200
    _token, next_url = _language_form(response.content.decode())
    assert next_url == "/konto/logga-in/?q=%3Ckvinnofrid-user-name%3E%3Ckvinnofrid-csrf-token%3E"
