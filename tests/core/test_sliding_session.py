"""The idle timeout slides without writing the session row on every request."""

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session

from kvinnofrid.core import middleware

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.restore_urls")]


@pytest.fixture
def clock(monkeypatch):
    """A settable ``time.time`` for the middleware (the database clock is left alone)."""
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(middleware.time, "time", lambda: now["t"])
    return now


def _row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_working_user_renews_the_session_about_once_per_refresh_interval(
    client, make_user, clock
):
    # given a logged-in user whose session has just been renewed
    client.force_login(make_user("coordinator"))
    client.get("/test-form/")
    renewed = _row(client).get_decoded()[middleware.SESSION_RENEWED_KEY]
    expire_before = _row(client).expire_date
    # when they keep working within the refresh interval
    clock["t"] += middleware.session_refresh_seconds() - 1
    client.get("/test-form/")
    # then the session row is not written
    assert _row(client).expire_date == expire_before
    assert _row(client).get_decoded()[middleware.SESSION_RENEWED_KEY] == renewed
    # when the interval has passed
    clock["t"] += 1
    client.get("/test-form/")
    # then it is renewed with a full idle timeout
    assert _row(client).get_decoded()[middleware.SESSION_RENEWED_KEY] == int(clock["t"])
    assert _row(client).expire_date > expire_before


def test_keepalive_always_renews(client, make_user, clock):
    # given a session renewed a moment ago
    client.force_login(make_user("coordinator"))
    client.get("/test-form/")
    clock["t"] += 5
    # when the user presses "Fortsätt arbeta"
    response = client.post("/session/fortsatt/")
    # then the session is renewed now and the page is told the idle time it can count on
    assert response.status_code == 204
    assert _row(client).get_decoded()[middleware.SESSION_RENEWED_KEY] == int(clock["t"])
    assert int(response["X-Session-Expires-In"]) == (
        settings.SESSION_COOKIE_AGE - middleware.session_refresh_seconds()
    )


def test_the_warning_counts_from_the_guaranteed_idle_time(client, make_user):
    client.force_login(make_user("coordinator"))
    content = client.get("/test-form/").content.decode()
    expected = settings.SESSION_COOKIE_AGE - middleware.session_refresh_seconds()
    assert f'data-session-idle="{expected}"' in content


def test_anonymous_requests_and_logout_write_no_session(client, make_user):
    # given an anonymous visitor
    client.get("/konto/logga-in/")
    # then no session row exists for them
    assert not Session.objects.exists()
    # and logging out does not bring a session back
    client.force_login(make_user("coordinator"))
    client.post("/konto/logga-ut/")
    assert not Session.objects.exists()


def test_a_short_idle_timeout_still_slides_with_use(settings):
    # given the default and a very short idle timeout
    assert middleware.session_refresh_seconds() == settings.SESSION_REFRESH_SECONDS == 60
    settings.SESSION_COOKIE_AGE = 30
    # then renewals come at most a thirtieth of the timeout apart, and the page counts on the rest
    assert middleware.session_refresh_seconds() == 1
    assert middleware.idle_seconds_shown() == 29
