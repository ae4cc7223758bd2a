"""Issue 12 item 1 in the browser: a page on another origin that posts to the actor's form in
the user's name never gets its text into the form, and nothing it sends is saved."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from followup.models import Answer, ReportedActivity
from tests.followup.conftest import world  # noqa: F401 - the shared follow-up fixture

# ruff: noqa: F811

pytestmark = pytest.mark.django_db(transaction=True)

FOREIGN = "Angriparens text: ring 070-000 00 00"


def _attack_page(action: str, field: str) -> bytes:
    return (
        "<!DOCTYPE html><html lang='en'><head><title>Vinst!</title></head><body>"
        f"<form method='post' action='{action}'>"
        f"<input name='{field}' value='{FOREIGN}'>"
        "<input name='csrfmiddlewaretoken' value='forged'>"
        "<input name='lock_version' value='0'></form>"
        "<script>document.forms[0].submit();</script></body></html>"
    ).encode()


@pytest.fixture
def attacker_site():
    """``serve(host, html)`` serves one HTML page on another loopback port; returns its URL."""
    servers = []

    def serve(host: str, html: bytes) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the standard library's name
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer((host, 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://{host}:{server.server_address[1]}/attack.html"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def _type_login(page, user):
    page.get_by_label("E-postadress").fill(user.email)
    page.get_by_label("Lösenord").fill("losenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    "attacker_host",
    [
        pytest.param("127.0.0.1", id="cross-site"),  # live_server is on localhost
        pytest.param("localhost", id="same-site-other-port"),
    ],
)
def test_a_foreign_post_never_lands_in_the_form(
    page, live_server, world, login, attacker_site, attacker_host, axe
):
    reporter = world.users["reporter"]
    question = world.round.questions.get(key="challenges")
    form_url = f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/"
    assert urlsplit(live_server.url).hostname == "localhost"
    # given the reporter logged in, who has opened their form before
    login(page, reporter)
    page.goto(form_url)
    # when a page on another origin auto-posts attacker text to the form's address
    attack = attacker_site(attacker_host, _attack_page(form_url, f"q_{question.pk}"))
    page.goto(attack)
    page.wait_for_url(lambda url: url.startswith(live_server.url))
    page.wait_for_load_state()
    if "/konto/logga-in/" in page.url:
        # (cross-site: the browser sent no session cookie, so the way back is through login)
        expect(page.get_by_text("Logga in igen så får du tillbaka")).to_have_count(0)
        _type_login(page, reporter)
    # then the form is shown without the foreign text and without a "your text" notice
    assert page.url.startswith(form_url)
    field = page.locator(f"#id_q_{question.pk}")
    expect(field).to_be_visible()
    assert FOREIGN not in field.input_value()
    assert FOREIGN not in page.content()
    expect(page.locator("#restored-post-notice")).to_be_hidden()
    expect(page.locator("#autosave-restore")).to_be_hidden()
    # and typing afterwards autosaves only what the user types
    field.fill("Egen text")
    expect(page.locator("#autosave-status")).to_contain_text("Utkastet sparades", timeout=10_000)
    texts = list(Answer.objects.values_list("text", flat=True))
    assert "Egen text" in texts
    assert not any(FOREIGN in text for text in texts)
    assert not ReportedActivity.objects.filter(title__contains="Angripar").exists()
    axe(page)
