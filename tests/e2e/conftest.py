"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live_server,
with axe-core (from the locked npm package) checking WCAG 2.1 AA on every page visited."""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets the test inject axe-core; the CSP itself is tested without a browser.
    # Reduced motion switches Bootstrap's transitions off, so axe never measures the colour
    # contrast of an element halfway through a fade (issue 11 item 6).
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "bypass_csp": True,
        "reduced_motion": "reduce",
    }


@pytest.fixture(autouse=True)
def _e2e_settings(settings):
    # The live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.SECURE_SSL_REDIRECT = False
    settings.AXES_ENABLED = False


class AxeViolations(AssertionError):
    pass


def check_axe(page) -> None:
    """Run axe-core (WCAG 2.0/2.1 A and AA) on the current page; fail with a readable list.

    Running CSS transitions and animations are waited for first (a colour halfway through a
    transition is not the colour the user reads).
    """
    page.evaluate(
        "async () => { await Promise.race([Promise.all(document.getAnimations().map("
        "a => a.finished.catch(() => null))), new Promise(r => setTimeout(r, 2000))]); }"
    )
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations = result["violations"]
    if violations:
        lines = [f"{page.url}:"]
        for v in violations:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']} – {targets}")
        raise AxeViolations("\n".join(lines))


@pytest.fixture
def axe():
    """``axe(page)`` asserts zero WCAG 2.1 AA violations on the page as it is now."""
    return check_axe


# The authenticator secret of every e2e user who must pass the TOTP step after the password.
E2E_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def give_authenticator(user) -> None:
    """A confirmed TOTP device with a known secret for a user who will be asked for a code; its
    last used step is cleared so the same user may log in twice within 30 seconds."""
    from django.utils import timezone

    from kvinnofrid.accounts.models import TotpDevice
    from kvinnofrid.accounts.two_factor import requires_second_factor

    if requires_second_factor(user):
        TotpDevice.objects.update_or_create(
            user=user,
            defaults={
                "secret": E2E_TOTP_SECRET,
                "confirmed_at": timezone.now(),
                "last_used_step": None,
            },
        )


def pass_second_factor(page, user, secret: str = E2E_TOTP_SECRET) -> None:
    """Type the current code of ``secret`` if the user is asked for one after the password."""
    import pyotp

    from kvinnofrid.accounts.two_factor import requires_second_factor

    if requires_second_factor(user):
        page.get_by_label("Sexsiffrig kod från appen").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Verifiera").click()
        page.wait_for_load_state()


@pytest.fixture
def login(live_server):
    """``login(page, user)`` logs in through the real login form (password ``losenord-123``),
    and for coordinators and admins through the TOTP step after it."""

    def _login(page, user, password: str = "losenord-123") -> None:
        give_authenticator(user)
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.get_by_label("E-postadress").fill(user.email)
        page.get_by_label("Lösenord").fill(password)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
        pass_second_factor(page, user)

    return _login
