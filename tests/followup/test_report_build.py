"""The PDF build pipeline: durable row, enqueue on commit, claim, idempotency, broker down,
sweeper, finalising."""

import contextlib
import datetime
import hashlib
import time
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from followup.exceptions import FollowUpError
from followup.models import FinalReportVersion, ReportBuild, StatusReport
from followup.reports import builds, services
from followup.reports.pdf import RenderedPdf, ReportRenderer
from followup.reports.tasks import build_report_task, sweep_report_builds_task
from kvinnofrid.core.locking import StaleObjectError
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def render_calls(monkeypatch):
    """Stub WeasyPrint: count renders and return a tiny fake PDF."""
    calls: list[str] = []

    def fake_render_pdf(self, html):
        calls.append(html)
        return RenderedPdf(content=b"%PDF-1.7\n% stub " + str(len(calls)).encode(), page_count=3)

    monkeypatch.setattr(ReportRenderer, "render_pdf", fake_render_pdf)
    return calls


@pytest.fixture
def build_now(django_capture_on_commit_callbacks):
    """Request a build and run the after-commit callbacks (eager Celery renders at once)."""

    def _build(report, actor):
        with django_capture_on_commit_callbacks(execute=True):
            build = builds.report_request_build(report_id=report.pk, actor=actor)
        build.refresh_from_db()
        return build

    return _build


@pytest.fixture
def county_data():
    return build_county(actors=6, submitted=4, activities=6, goals=2)


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", county_code="06")


def test_request_build_enqueues_after_commit_and_renders(
    county_data, coordinator, render_calls, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        build = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    # then: nothing ran inside the transaction
    assert build.status == ReportBuild.Status.QUEUED
    assert render_calls == []
    tasks = [c for c in callbacks if c.__module__ != "kvinnofrid.core.fragments"]  # not cache bumps
    assert len(tasks) == 1
    tasks[0]()  # eager Celery runs the task now
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE
    assert build.page_count == 3
    assert len(build.pdf_sha256) == 64
    assert build.pdf.read().startswith(b"%PDF")
    assert build.enqueued_at is not None
    assert len(render_calls) == 1


def test_double_click_builds_once(county_data, coordinator, render_calls):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(builds, "_enqueue", lambda build_id: None)
        first = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
        second = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    assert first.pk == second.pk
    assert ReportBuild.objects.count() == 1


def test_task_delivered_twice_renders_once(county_data, coordinator, render_calls, monkeypatch):
    # given
    monkeypatch.setattr(builds, "_enqueue", lambda build_id: None)
    build = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    # when
    build_report_task.delay(build.pk)
    build_report_task.delay(build.pk)
    # then
    assert len(render_calls) == 1
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE
    assert build.attempts == 1


def test_unchanged_source_reuses_previous_pdf(county_data, coordinator, render_calls, build_now):
    # given
    first = build_now(county_data.report, coordinator)
    # when: nothing changed
    second = build_now(county_data.report, coordinator)
    # then
    assert len(render_calls) == 1
    assert second.pk != first.pk
    assert second.status == ReportBuild.Status.DONE
    assert second.pdf_sha256 == first.pdf_sha256
    assert second.pdf.name == first.pdf.name
    # when: the analysis changes
    report = county_data.report
    services.report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={},
        analyses={county_data.goals[0].pk: "Ny analys."},
    )
    third = build_now(report, coordinator)
    assert len(render_calls) == 2
    assert "Ny analys." in render_calls[1]
    assert third.source_digest != first.source_digest


def test_render_failure_marks_build_failed_with_swedish_message(
    county_data, coordinator, monkeypatch, build_now
):
    def broken(self, html):
        raise RuntimeError("pango exploded")

    monkeypatch.setattr(ReportRenderer, "render_pdf", broken)
    build = build_now(county_data.report, coordinator)
    assert build.status == ReportBuild.Status.FAILED
    assert build.error.startswith("PDF:en kunde inte skapas")
    assert "pango" not in build.error


def test_broker_down_request_succeeds_and_build_stays_queued(
    county_data, coordinator, render_calls, dead_broker, django_capture_on_commit_callbacks
):
    # when
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        build = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    enqueue_started = time.monotonic()
    for callback in callbacks:
        callback()  # what runs after commit: the enqueue, against the dead broker
    enqueue_elapsed = time.monotonic() - enqueue_started
    elapsed = time.monotonic() - started
    # then: no exception, no waiting on the broker
    assert enqueue_elapsed < 2.0
    assert elapsed < 5.0  # the whole service call, with slack for a busy CI machine
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.QUEUED
    assert build.enqueued_at is None
    assert render_calls == []


def test_sweeper_requeues_stale_and_builds_whose_worker_died(
    county_data, coordinator, render_calls, settings
):
    # given
    now = timezone.now()
    report = county_data.report
    stale = ReportBuild.objects.create(
        report=report, requested_at=now - datetime.timedelta(minutes=30)
    )
    fresh = ReportBuild.objects.create(report=report, requested_at=now)
    abandoned = ReportBuild.objects.create(  # its worker was killed: the lease ran out
        report=report,
        status=ReportBuild.Status.RUNNING,
        requested_at=now - datetime.timedelta(hours=1),
        started_at=now - datetime.timedelta(minutes=10),
        lease_expires_at=now - datetime.timedelta(seconds=1),
        attempts=1,
    )
    exhausted = ReportBuild.objects.create(  # died on every attempt: give up
        report=report,
        status=ReportBuild.Status.RUNNING,
        started_at=now - datetime.timedelta(minutes=10),
        lease_expires_at=now - datetime.timedelta(seconds=1),
        attempts=builds.MAX_BUILD_ATTEMPTS,
    )
    running = ReportBuild.objects.create(
        report=report,
        status=ReportBuild.Status.RUNNING,
        started_at=now,
        lease_expires_at=now + datetime.timedelta(minutes=5),
        attempts=1,
    )
    # when
    result = sweep_report_builds_task.delay().get()
    # then
    assert result == {"failed": 1, "requeued": 2, "stale": 2}
    for b in (stale, fresh, abandoned, exhausted, running):
        b.refresh_from_db()
    assert stale.status == ReportBuild.Status.DONE  # re-enqueued, and eager Celery ran it
    assert fresh.status == ReportBuild.Status.QUEUED
    assert abandoned.status == ReportBuild.Status.DONE  # taken over by the next worker
    assert abandoned.attempts == 2
    assert abandoned.lease_expires_at is None
    assert exhausted.status == ReportBuild.Status.FAILED
    assert "flera gånger" in exhausted.error
    assert running.status == ReportBuild.Status.RUNNING


def test_redelivery_takes_over_an_expired_lease_but_not_a_live_one(
    county_data, coordinator, render_calls, monkeypatch
):
    # given: a build claimed by a worker that was then killed (no redelivery happened yet)
    monkeypatch.setattr(builds, "_enqueue", lambda build_id: None)
    build = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    assert builds._claim(build.pk) == 1
    # when: the broker redelivers while the lease is live
    build_report_task.delay(build.pk)
    # then: nothing happens, the (possibly) live worker keeps it
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.RUNNING
    assert build.lease_expires_at > timezone.now()
    assert render_calls == []
    # when: the lease has run out and the message comes again
    ReportBuild.objects.filter(pk=build.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    build_report_task.delay(build.pk)
    build_report_task.delay(build.pk)  # and a duplicate from the sweeper
    # then: rendered once, finished once
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE
    assert build.attempts == 2
    assert len(render_calls) == 1


def test_a_worker_that_lost_its_lease_leaves_no_second_pdf(county_data, coordinator, monkeypatch):
    """A worker stalls past its lease; another takes the build over and finishes it. When the
    first one wakes up, its result is dropped: one DONE build, one PDF file."""
    monkeypatch.setattr(builds, "_enqueue", lambda build_id: None)
    build = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    renders: list[int] = []

    def stalled_render_pdf(self, html):
        renders.append(1)
        if len(renders) == 1:  # the first worker stalls; meanwhile its lease runs out …
            ReportBuild.objects.filter(pk=build.pk).update(
                lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
            )
            builds.report_build_run(build_id=build.pk)  # … and a second worker takes over
        return RenderedPdf(content=b"%PDF-1.7\n% run " + str(len(renders)).encode(), page_count=3)

    monkeypatch.setattr(ReportRenderer, "render_pdf", stalled_render_pdf)
    # when
    builds.report_build_run(build_id=build.pk)
    # then
    build.refresh_from_db()
    assert len(renders) == 2
    assert build.status == ReportBuild.Status.DONE
    assert build.attempts == 2
    with build.pdf.open("rb") as fh:
        assert fh.read().endswith(b"run 2")
    directory = Path(build.pdf.path).parent
    assert [p.name for p in directory.iterdir() if f"-{build.pk}" in p.name] == [
        Path(build.pdf.name).name
    ]


def test_build_button_replaces_a_stuck_build(county_data, coordinator, render_calls, monkeypatch):
    # given: a build whose worker died (lease ran out)
    monkeypatch.setattr(builds, "_enqueue", lambda build_id: None)
    stuck = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    builds._claim(stuck.pk)
    assert (
        builds.report_request_build(report_id=county_data.report.pk, actor=coordinator).pk
        == stuck.pk
    )  # while the lease is live, "Bygg PDF" is the same build
    ReportBuild.objects.filter(pk=stuck.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    # when
    new = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    # then
    assert new.pk != stuck.pk
    assert new.status == ReportBuild.Status.QUEUED
    stuck.refresh_from_db()
    assert stuck.status == ReportBuild.Status.FAILED
    assert "fastnade" in stuck.error


def test_sweeper_with_broker_down_leaves_build_queued(county_data, dead_broker):
    stale = ReportBuild.objects.create(
        report=county_data.report, requested_at=timezone.now() - datetime.timedelta(hours=1)
    )
    result = builds.report_sweep_builds()
    assert result == {"failed": 0, "requeued": 0, "stale": 1}
    stale.refresh_from_db()
    assert stale.status == ReportBuild.Status.QUEUED


def test_finalise_requires_current_pdf_and_freezes_report(
    county_data, coordinator, render_calls, build_now
):
    report = county_data.report
    with pytest.raises(FollowUpError, match="Bygg PDF"):
        services.report_finalise(report_id=report.pk, actor=coordinator)
    build_now(report, coordinator)
    report.refresh_from_db()
    services.report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={"closing_words": "Ändrad text."},
    )
    with pytest.raises(FollowUpError, match="ändrats"):
        services.report_finalise(report_id=report.pk, actor=coordinator)
    build = build_now(report, coordinator)
    # when
    final = services.report_finalise(report_id=report.pk, actor=coordinator)
    # then
    assert final.status == StatusReport.Status.FINAL
    assert final.finalised_by == coordinator
    with pytest.raises(FollowUpError, match="fastställd"):
        builds.report_request_build(report_id=report.pk, actor=coordinator)
    with pytest.raises(FollowUpError, match="fastställd"):
        services.report_update(
            report_id=report.pk,
            actor=coordinator,
            expected_version=final.lock_version,
            fields={"title": "x"},
        )
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE
    # a new draft may follow, starting from the final texts
    draft = services.report_create(round_id=report.round_id, actor=coordinator)
    assert draft.closing_words == "Ändrad text."
    assert draft.status == StatusReport.Status.DRAFT


def test_stale_lock_version_is_refused(county_data, coordinator):
    report = county_data.report
    services.report_update(
        report_id=report.pk, actor=coordinator, expected_version=0, fields={"title": "A"}
    )
    with pytest.raises(StaleObjectError):
        services.report_update(
            report_id=report.pk, actor=coordinator, expected_version=0, fields={"title": "B"}
        )


@pytest.mark.parametrize("role", ["management", "reporter", "observer", "other_county_coordinator"])
def test_only_the_countys_coordinator_may_build(county_data, user_with_role, role):
    user = user_with_role(role)
    with pytest.raises(PermissionDenied):
        builds.report_request_build(report_id=county_data.report.pk, actor=user)


def test_highlights_choose_and_order_activities(county_data, coordinator):
    from followup.reports.context import report_data

    report = county_data.report
    acts = county_data.activities
    goal_one = [a for a in acts if a.sub_goals.first().goal_id == county_data.goals[0].pk]
    assert len(goal_one) >= 2
    services.report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={},
        highlights={
            goal_one[0].pk: {county_data.goals[0].pk: 2},
            goal_one[1].pk: {county_data.goals[0].pk: 1},
        },
    )
    data = report_data(report_id=report.pk)
    assert [a.id for a in data.goals[0].activities] == [goal_one[1].pk, goal_one[0].pk]


def test_late_build_of_a_final_report_changes_nothing(
    county_data, coordinator, render_calls, build_now
):
    report = county_data.report
    done = build_now(report, coordinator)
    queued = ReportBuild.objects.create(report=report)
    services.report_finalise(report_id=report.pk, actor=coordinator)
    assert len(render_calls) == 2  # the build, and the final version rendered once at finalising
    queued.refresh_from_db()
    assert queued.status == ReportBuild.Status.FAILED  # cancelled by finalising
    late = ReportBuild.objects.create(report=report)  # e.g. a message redelivered later
    build_report_task.delay(late.pk)
    late.refresh_from_db()
    assert late.status == ReportBuild.Status.FAILED
    assert "fastställd" in late.error
    report.refresh_from_db()
    assert builds.latest_done_build(report).pk == done.pk
    assert len(render_calls) == 2  # the late build rendered nothing


def test_database_outage_is_retried_a_bounded_number_of_times(
    county_data, coordinator, render_calls, monkeypatch
):
    from django.db import OperationalError

    calls = []

    def down(**kwargs):
        calls.append(kwargs)
        raise OperationalError("database is down")

    monkeypatch.setattr(builds, "_enqueue", lambda build_id: None)
    build = builds.report_request_build(report_id=county_data.report.pk, actor=coordinator)
    monkeypatch.setattr(builds, "report_data", down)  # the database goes down in the worker
    with pytest.raises(OperationalError):
        builds.report_build_run(build_id=build.pk)
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.QUEUED  # back in the queue for the task's retry
    assert build.attempts == 1
    # each retry is one more attempt; the service gives up after MAX_BUILD_ATTEMPTS
    for _ in range(builds.MAX_BUILD_ATTEMPTS):
        with contextlib.suppress(OperationalError):
            builds.report_build_run(build_id=build.pk)
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.FAILED
    assert build.attempts == builds.MAX_BUILD_ATTEMPTS
    assert "databasen" in build.error
    assert build_report_task.max_retries == 3
    assert OperationalError in build_report_task.autoretry_for
    assert build_report_task.soft_time_limit
    assert build_report_task.time_limit


def test_lease_visibility_timeout_and_time_limit_fit_together():
    """A live worker is killed by the hard time limit before its lease runs out, and Redis hands a
    killed worker's message on only after the lease has run out (else the new delivery would find
    the lease live and drop the message)."""
    from django.conf import settings as django_settings

    lease = django_settings.REPORT_BUILD_LEASE_SECONDS
    assert build_report_task.time_limit <= lease
    assert django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > lease
    assert build_report_task.acks_late
    assert build_report_task.reject_on_worker_lost


def test_a_running_build_from_before_leases_counts_from_its_start(county_data, settings):
    now = timezone.now()
    lease = datetime.timedelta(seconds=settings.REPORT_BUILD_LEASE_SECONDS)
    old = ReportBuild(report=county_data.report, status=ReportBuild.Status.RUNNING)
    old.started_at = now - lease - datetime.timedelta(seconds=1)
    assert old.lease_expired(now)
    assert old.is_stuck(now)
    old.started_at = now - lease + datetime.timedelta(seconds=30)
    assert not old.lease_expired(now)
    assert not old.is_stuck(now)


def test_finalise_stores_the_final_version_or_nothing(
    county_data, coordinator, render_calls, build_now, monkeypatch
):
    report = county_data.report
    build_now(report, coordinator)

    # when the final rendering fails, nothing is finalised and nothing stored
    def broken(self, html):
        raise RuntimeError("WeasyPrint crashed")

    monkeypatch.setattr(ReportRenderer, "render_pdf", broken)
    with pytest.raises(FollowUpError, match="inte fastställd"):
        services.report_finalise(report_id=report.pk, actor=coordinator)
    report.refresh_from_db()
    assert report.status == StatusReport.Status.DRAFT
    assert not FinalReportVersion.objects.filter(report=report).exists()

    # when it works, the rendered bytes are stored with their SHA-256 and the frozen HTML
    monkeypatch.undo()
    monkeypatch.setattr(
        ReportRenderer,
        "render_pdf",
        lambda self, html: RenderedPdf(content=b"%PDF-1.7\n% final", page_count=2),
    )
    services.report_finalise(report_id=report.pk, actor=coordinator)
    version = FinalReportVersion.objects.get(report=report)
    assert version.pdf.read() == b"%PDF-1.7\n% final"
    assert version.pdf_sha256 == hashlib.sha256(b"%PDF-1.7\n% final").hexdigest()
    assert "Webbversion av den fastställda lägesrapporten." in version.html
    assert version.page_count == 2
