"""One build through a real Celery worker and Redis (not eager). Runs in CI, where
CELERY_BROKER_URL and a PostgreSQL DATABASE_URL are set; skipped otherwise (a worker process
cannot share SQLite's in-memory test database)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from followup.models import ReportBuild
from followup.reports import builds
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


def _start_worker(log_path: Path, **extra_env: str) -> subprocess.Popen:
    """A real Celery worker (solo pool, one task at a time) on this test's database."""
    celery = Path(sys.executable).with_name("celery")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "kvinnofrid.settings",
        **extra_env,
    }
    log = log_path.open("a")
    try:
        return subprocess.Popen(
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
    finally:
        log.close()  # the child keeps its own copy of the descriptor


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def _wait_for(build: ReportBuild, statuses: set[str], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        build.refresh_from_db()
        if build.status in statuses:
            return
        time.sleep(0.05)
    raise AssertionError(f"build {build.status} after {seconds}s\n{log.read_text()[-3000:]}")


@pytest.mark.django_db(transaction=True)
def test_build_finishes_through_a_real_worker(make_user, tmp_path):
    # given
    ensure_reference_data()
    data = build_county(actors=4, submitted=2, activities=3, goals=2)
    coordinator = make_user("coordinator", county_code="06")
    log = tmp_path / "worker.log"
    worker = _start_worker(log)
    try:
        # when
        build = builds.report_request_build(report_id=data.report.pk, actor=coordinator)
        # then
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            build.refresh_from_db()
            if build.status in (ReportBuild.Status.DONE, ReportBuild.Status.FAILED):
                break
            assert worker.poll() is None, log.read_text()[-3000:]
            time.sleep(0.5)
        assert build.status == ReportBuild.Status.DONE, build.error or log.read_text()[-3000:]
        assert build.enqueued_at is not None
        assert (build.page_count or 0) > 3
        with build.pdf.open("rb") as fh:
            assert fh.read(5) == b"%PDF-"
    finally:
        _stop(worker)


LEASE_SECONDS = 3


@pytest.mark.django_db(transaction=True)
def test_build_whose_worker_is_killed_is_finished_once_by_the_next_worker(make_user, tmp_path):
    """kill -9 of the worker mid-render: Redis hands the unacknowledged message to the next
    worker once the visibility timeout (lease + margin) has passed, that worker takes over the
    build whose lease ran out, and exactly one PDF comes out."""
    # given: a report big enough that rendering takes a few seconds
    ensure_reference_data()
    data = build_county(
        actors=40, submitted=36, activities=120, goals=5, description="Lång beskrivning. " * 40
    )
    coordinator = make_user("coordinator", county_code="06")
    lease = {"REPORT_BUILD_LEASE_SECONDS": str(LEASE_SECONDS)}
    log = tmp_path / "worker.log"
    first = _start_worker(log, **lease)
    second = None
    try:
        build = builds.report_request_build(report_id=data.report.pk, actor=coordinator)
        _wait_for(build, {ReportBuild.Status.RUNNING}, log, 60)
        delivered = time.monotonic()
        time.sleep(0.5)  # into the render
        # when: the worker dies without a chance to clean up
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        build.refresh_from_db()
        assert build.status == ReportBuild.Status.RUNNING, "render finished before the kill"
        assert build.attempts == 1
        # the message comes back once the visibility timeout has passed; a new worker starts
        visibility = LEASE_SECONDS + 10  # as in settings: the lease plus a 10 s margin
        time.sleep(max(0.0, delivered + visibility + 1 - time.monotonic()))
        second = _start_worker(log, **lease)
        # then
        _wait_for(build, {ReportBuild.Status.DONE, ReportBuild.Status.FAILED}, log, 120)
        assert build.status == ReportBuild.Status.DONE, build.error or log.read_text()[-3000:]
        assert build.attempts == 2
        assert ReportBuild.objects.filter(report=data.report).count() == 1
        with build.pdf.open("rb") as fh:
            assert fh.read(5) == b"%PDF-"
        # this test's own MEDIA_ROOT: the killed render left no file, the second wrote one
        assert list(Path(build.pdf.path).parent.iterdir()) == [Path(build.pdf.path)]
        # and a late duplicate delivery changes nothing
        time.sleep(1)
        build.refresh_from_db()
        assert build.status == ReportBuild.Status.DONE
        assert build.attempts == 2
    finally:
        _stop(first)
        if second is not None:
            _stop(second)
