"""The report renderer never reads local files, never opens connections, and shows free text
literally (DESIGN §6)."""

import io
import re
import socket
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from followup.models import GoalAnalysis
from followup.reports.context import report_data
from followup.reports.pdf import ReportRenderer
from kvinnofrid.core.pdf import BlockedURLError, SafeURLFetcher
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def connect_calls(monkeypatch):
    """Record every outgoing socket connection attempt (and refuse it)."""
    calls: list[object] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def connect(self, address):
        calls.append(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        calls.append(address)
        return real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    return calls


def attachments(content: bytes) -> dict:
    return dict(PdfReader(io.BytesIO(content)).attachments)


def flat_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


@pytest.mark.django_db
def test_hostile_free_text_is_shown_literally_and_fetches_nothing(connect_calls):
    # given
    port = free_port()
    hostile = (
        '<img src="file:///etc/passwd"> '
        '<link rel="attachment" href="file:///etc/hostname"> '
        f'<img src="http://127.0.0.1:{port}/latest/meta-data/">'
    )
    data = build_county(actors=4, submitted=2, activities=3, goals=1, text=hostile)
    GoalAnalysis.objects.create(report=data.report, goal=data.goals[0], analysis=hostile)
    # when
    rendered = ReportRenderer().render(report_data(report_id=data.report.pk))
    # then
    assert connect_calls == []
    assert attachments(rendered.content) == {}
    text = flat_text(rendered.content)
    assert '<img src="file:///etc/passwd">' in text
    assert '<link rel="attachment" href="file:///etc/hostname">' in text
    assert f"http://127.0.0.1:{port}/latest/meta-data/" in text
    assert b"root:x:0:0" not in rendered.content


def test_raw_html_with_hostile_resources_embeds_and_connects_nothing(tmp_path, connect_calls):
    """Defence in depth: even markup that escaped the template reaches nothing."""
    port = free_port()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-MARKER")
    html = (
        '<!DOCTYPE html><html lang="sv"><head><title>t</title>'
        f'<link rel="attachment" href="{secret.as_uri()}">'
        '<link rel="attachment" href="file:///etc/hostname">'
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
        '<link rel="stylesheet" href="../../../../etc/passwd">'
        "</head><body><p>Hej</p>"
        '<img src="file:///etc/passwd" alt="">'
        f'<img src="http://127.0.0.1:{port}/latest/meta-data/" alt="">'
        f'<img src="https://127.0.0.1:{port}/" alt="">'
        "</body></html>"
    )
    rendered = ReportRenderer().render_pdf(html)
    assert connect_calls == []
    assert attachments(rendered.content) == {}
    assert b"TOPSECRET-MARKER" not in rendered.content


def test_fetcher_serves_report_assets():
    fetcher = SafeURLFetcher()
    css = Path(settings.REPORT_ASSET_DIR) / "report.css"
    response = fetcher.fetch(css.resolve().as_uri())
    body = response.read() if hasattr(response, "read") else response.body
    assert b"@page" in (body if isinstance(body, bytes) else body.read())


def test_fetcher_serves_data_uris():
    response = SafeURLFetcher().fetch("data:text/plain;base64,SGVq")
    assert response is not None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        "FILE:///etc/passwd",
        "file://remotehost/etc/passwd",
        "http://127.0.0.1:9/",
        "https://169.254.169.254/latest/meta-data/",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1/x",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_everything_else(url, connect_calls):
    with pytest.raises(ValueError):
        SafeURLFetcher().fetch(url)
    assert connect_calls == []


def test_fetcher_refuses_path_traversal_and_symlinks_out_of_the_asset_dir(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "ok.css").write_text("p{}")
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    (assets / "link.css").symlink_to(outside)
    fetcher = SafeURLFetcher(assets)
    assert fetcher.resolve_file((assets / "ok.css").as_uri()) == (assets / "ok.css").resolve()
    for url in (
        assets.as_uri() + "/../outside.txt",
        assets.as_uri() + "/%2e%2e/outside.txt",
        (assets / "link.css").as_uri(),
        assets.as_uri() + "/",
        (Path(settings.BASE_DIR) / "manage.py").as_uri(),
    ):
        with pytest.raises(BlockedURLError):
            fetcher.fetch(url)
