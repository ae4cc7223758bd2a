"""One build through a real Celery worker and Redis (not eager). Runs in CI, where
CELERY_BROKER_URL and a PostgreSQL DATABASE_URL are set; skipped otherwise (a worker process
cannot share SQLite's in-memory test database)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from followup.models import ReportBuild
from followup.reports import services
from tests.factories import ensure_reference_data
from tests.followup.test_report_support import build_county

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.real_broker,
    pytest.mark.slow,
    # Decided before the database is touched: a skipped transactional test would still flush it.
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL")
        or not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL (a worker process cannot "
        "share SQLite's test database)",
    ),
]


def _database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or "postgres"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = s.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_build_finishes_through_a_real_worker(make_user, tmp_path):
    # given
    ensure_reference_data()
    data = build_county(actors=4, submitted=2, activities=3, goals=2)
    coordinator = make_user("coordinator", county_code="06")
    celery = Path(sys.executable).with_name("celery")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings",
    }
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "kvinnofrid",
            "worker",
            "-Q",
            "celery,pdf",
            "--concurrency",
            "1",
            "-P",
            "solo",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # when
        build = services.report_request_build(report_id=data.report.pk, actor=coordinator)
        # then
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            build.refresh_from_db()
            if build.status in (ReportBuild.Status.DONE, ReportBuild.Status.FAILED):
                break
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
            time.sleep(0.5)
        assert build.status == ReportBuild.Status.DONE, (
            build.error or (tmp_path / "worker.log").read_text()[-3000:]
        )
        assert build.enqueued_at is not None
        assert (build.page_count or 0) > 3
        with build.pdf.open("rb") as fh:
            assert fh.read(5) == b"%PDF-"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
