"""Issue 12 item 12: Swedish 400/403/404/500 pages with the site's layout, and a 500 page that
renders with the database down."""

from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client, RequestFactory
from django.urls import get_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]


@pytest.fixture
def client_500() -> Client:
    return Client(raise_request_exception=False)


def _database_down():
    """Every query fails as it does when PostgreSQL is unreachable."""
    down = OperationalError("could not connect to server: Connection refused")
    wrapper = type(connections["default"])
    return mock.patch.multiple(
        wrapper,
        cursor=mock.Mock(side_effect=down),
        chunked_cursor=mock.Mock(side_effect=down),
        ensure_connection=mock.Mock(side_effect=down),
    )


def _assert_layout(html: str) -> None:
    assert '<html lang="sv">' in html
    assert 'class="visually-hidden-focusable skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "css/app.css" in html
    assert "Tillgänglighetsredogörelse" in html


def test_404_is_swedish_with_the_layout(client, make_user):
    client.force_login(make_user("coordinator"))
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    html = response.content.decode()
    _assert_layout(html)
    assert "Sidan finns inte</h1>" in html
    assert "Logga ut" in html  # the full menu for a logged-in user
    assert "Not Found" not in html


def test_403_is_swedish_with_the_layout(client, make_user):
    client.force_login(make_user("reporter"))
    response = client.get("/test-fel/403/")
    assert response.status_code == 403
    html = response.content.decode()
    _assert_layout(html)
    assert "Du har inte behörighet till sidan" in html
    assert "Forbidden" not in html


def test_400_is_swedish_with_the_layout(client):
    response = client.get("/test-fel/400/")
    assert response.status_code == 400
    html = response.content.decode()
    _assert_layout(html)
    assert "Felaktig förfrågan" in html
    assert "Bad Request" not in html


def test_500_is_swedish_with_the_layout(client_500, make_user):
    client_500.force_login(make_user("coordinator"))
    response = client_500.get("/test-fel/500/")
    assert response.status_code == 500
    html = response.content.decode()
    _assert_layout(html)
    assert "Något gick fel" in html
    assert "Server Error" not in html


def test_handler500_renders_with_the_database_down():
    request = RequestFactory().get("/uppfoljning/")
    handler = get_resolver().resolve_error_handler(500)
    with _database_down():
        with pytest.raises(OperationalError):
            connection.cursor()  # the database really is unreachable here
        response = handler(request)
    assert response.status_code == 500
    html = response.content.decode()
    _assert_layout(html)
    assert "Något gick fel" in html


def test_a_page_failing_because_the_database_is_down_gets_the_500_page(client_500, make_user):
    # given a logged-in user whose session lives in the database
    client_500.force_login(make_user("coordinator"))
    # when the database goes away and they load a page
    with _database_down():
        response = client_500.get("/")
    # then they get the Swedish 500 page, not a bare error
    assert response.status_code == 500
    html = response.content.decode()
    _assert_layout(html)
    assert "Något gick fel" in html
