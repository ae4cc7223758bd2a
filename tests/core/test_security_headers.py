"""Production security: headers on every response, cookies, CSP without inline code, sessions."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x" * 64,
    "ALLOWED_HOSTS": "kvinnofrid.example",
    "SECURE_PROXY_SSL_HEADER": "true",
    "DATABASE_URL": "sqlite:////tmp/kvinnofrid-settings-probe.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


@pytest.fixture
def production_headers(settings):
    """The header-related values the production settings module computes (checked below)."""
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def _https(client: Client, path: str, **extra):
    return client.get(path, HTTP_X_FORWARDED_PROTO="https", **extra)


def test_production_settings_module_is_strict():
    # given the settings module loaded in a fresh interpreter with production environment only
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "SECURE_"))}
    env.update(PRODUCTION_ENV)
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k, None) for k in ["
        "'DEBUG','SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_SSL_REDIRECT',"
        "'SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY',"
        "'SECURE_PROXY_SSL_HEADER','SESSION_ENGINE','SECURE_CONTENT_TYPE_NOSNIFF',"
        "'SECURE_REFERRER_POLICY','X_FRAME_OPTIONS','SESSION_SAVE_EVERY_REQUEST',"
        "'CELERY_TASK_ALWAYS_EAGER']}))"
    )
    # when
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    values = json.loads(out.strip().splitlines()[-1])
    # then
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SESSION_SAVE_EVERY_REQUEST"] is False  # SlidingSessionMiddleware renews
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False


def test_settings_refuse_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(
        {**PRODUCTION_ENV, "SECRET_KEY": "", "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings"}
    )
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_http_is_redirected_to_https_and_proxy_header_is_trusted(client, production_headers):
    plain = client.get(reverse("accounts:login"))
    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    secure = _https(client, reverse("accounts:login"))
    assert secure.status_code == 200


def test_security_headers_on_public_page(client, production_headers):
    response = _https(client, reverse("accounts:login"))
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_csp_uses_nonces_and_no_unsafe_sources(client, production_headers):
    response = _https(client, reverse("accounts:login"))
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    # scripts only from our own origin, or inline with the per-response nonce (Django adds the
    # nonce to the header only when a template used {{ csp_nonce }})
    script_sources = directives["script-src"].split()
    assert all(
        s == "'self'" or re.fullmatch(r"'nonce-[A-Za-z0-9+/=_-]{16,}'", s) for s in script_sources
    )
    assert "'self'" in script_sources
    assert directives["style-src"].strip() == "'self'"
    assert directives["frame-ancestors"].strip() == "'none'"
    assert directives["object-src"].strip() == "'none'"
    assert directives["default-src"].strip() == "'self'"


def test_htmx_is_configured_for_the_csp(client, production_headers, make_user):
    client.force_login(make_user("coordinator"))
    html = _https(client, reverse("actionplans:county-start", args=["06"]), follow=True)
    content = html.content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', content)
    assert config, "base.html must configure htmx"
    values = json.loads(config.group(1))
    # htmx must not eval or inject inline styles/scripts, which the CSP would block anyway
    assert values["allowEval"] is False
    assert values["allowScriptTags"] is False
    assert values["includeIndicatorStyles"] is False


def test_session_and_csrf_cookies_are_secure_httponly_and_stored_in_the_database(
    client, production_headers, make_user
):
    # given
    user = make_user("reporter")
    login_page = _https(client, reverse("accounts:login"))
    csrf_cookie = login_page.cookies["csrftoken"]
    assert csrf_cookie["secure"]
    # when
    response = client.post(
        reverse("accounts:login"),
        {"username": user.email, "password": "losenord-123"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    # then
    assert response.status_code == 302
    session_cookie = response.cookies["sessionid"]
    assert session_cookie["secure"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"
    assert Session.objects.filter(session_key=session_cookie.value).exists()


def test_logged_in_pages_are_not_stored(client, make_user):
    client.force_login(make_user("coordinator"))
    response = client.get(reverse("actionplans:county-start", args=["06"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_anonymous_pages_and_static_files_may_be_cached(client, make_user):
    response = client.get(reverse("core:accessibility"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_idle_timeout_slides_with_every_request(client, make_user, settings):
    client.force_login(make_user("coordinator"))
    first = client.get(reverse("actionplans:county-start", args=["06"]))
    assert first.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.I)
STYLE_TAG = re.compile(r"<style[\s>]", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
# PDF templates are rendered by WeasyPrint, never served under the CSP.
# PDF templates and e-mail bodies are never served to a browser (e-mail clients need inline styles).
NOT_SERVED = ("followup/report/pdf", "followup/pdf", "/email/")


def _served_templates() -> list[Path]:
    return [
        p
        for p in sorted(TEMPLATES.rglob("*.html"))
        if not any(part in p.relative_to(TEMPLATES).as_posix() for part in NOT_SERVED)
    ]


@pytest.mark.parametrize(
    "template", _served_templates(), ids=lambda p: p.relative_to(TEMPLATES).as_posix()
)
def test_templates_have_no_inline_scripts_or_styles(template):
    text = template.read_text()
    problems = [
        name
        for name, pattern in [
            ("inline <script>", INLINE_SCRIPT),
            ("style= attribute", INLINE_STYLE_ATTR),
            ("<style> element", STYLE_TAG),
            ("on…= event handler", EVENT_HANDLER),
        ]
        if pattern.search(text)
    ]
    assert not problems, f"{template}: {', '.join(problems)} (blocked by the CSP; use static files)"
