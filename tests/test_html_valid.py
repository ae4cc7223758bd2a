"""Every page a role can open is valid HTML, as the Nu Html Checker (vnu.jar) judges it.

The pages come from the URL walk's world (tests/test_url_walk.py): every classified URL, for
every role, on its own scope; each GET that answers 200 with HTML is saved and the checker reads
them all in one run. The checker is the npm package ``vnu-jar`` (package-lock.json) and needs
Java; without them the test is skipped on a workstation and fails in CI.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.test_url_walk import CLASSIFIED, ROLES, URLS, _url, build_world, resolver_url_names

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU.exists():
        return [java, "-Xss4m", "-jar", str(VNU)]
    if os.environ.get("CI"):
        pytest.fail("The Nu Html Checker needs java and node_modules/vnu-jar (make install).")
    pytest.skip("java or node_modules/vnu-jar missing (make install; apt-get install default-jre)")


def _pages(tmp_path: Path) -> dict[str, str]:
    """Save each role's HTML pages; {file name: "role url"}."""
    users, scopes = build_world()
    existing = resolver_url_names()
    saved: dict[str, str] = {}
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        for name in CLASSIFIED:
            spec = URLS[name]
            if name not in existing or spec.rule is None:
                continue
            url = _url(name, spec, scopes["own"])
            with transaction.atomic():
                response = client.get(url)
                transaction.set_rollback(True)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            path = tmp_path / f"{len(saved):04d}.html"
            path.write_bytes(response.content)
            saved[path.name] = f"{role} {url}"
    return saved


@pytest.mark.django_db
def test_every_page_is_valid_html(tmp_path):
    # given the checker and every page of every role
    command = _checker()
    pages = _pages(tmp_path)
    assert len(pages) > 60, "the walk should reach most pages"
    # when the checker reads them all
    run = subprocess.run(
        [*command, "--errors-only", "--format", "json", *sorted(map(str, tmp_path.iterdir()))],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # then it finds no error
    messages = json.loads(run.stderr or "{}").get("messages", [])
    problems = [
        f"{pages.get(Path(m.get('url', '')).name, m.get('url'))}: line {m.get('lastLine')}: "
        f"{m.get('message')}"
        for m in messages
    ]
    assert not problems, f"{len(problems)} errors:\n" + "\n".join(problems[:60])
