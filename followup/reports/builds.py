"""PDF builds of the lägesrapport: request, claim (with a lease), render, sweep.

A build is a ``ReportBuild`` row first; the Celery task is enqueued after commit and only ever
receives the build id. A running build holds a lease; a delivery may take over a build only
when its lease has run out, and every write after the claim is fenced by the attempt number.
"""

import datetime
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from followup import permissions
from followup.models import (
    ReportBuild,
    StatusReport,
)
from followup.reports.context import ReportData, report_data
from followup.reports.guards import _assert_draft, _assert_no_personal_data, _check, _county_id
from followup.reports.pdf import ReportRenderer
from kvinnofrid.core.audit import audit_log

logger = logging.getLogger(__name__)

MAX_BUILD_ATTEMPTS = 3
ACTIVE_BUILD_STATUSES = (ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING)


def lease_seconds() -> int:
    """How long a claimed build stays leased to its worker (see REPORT_BUILD_LEASE_SECONDS)."""
    seconds: int = settings.REPORT_BUILD_LEASE_SECONDS
    return seconds


def _enqueue(build_id: int) -> None:
    """Send the build to the broker (or, without one, to a background thread, see
    ``flow.start_build_thread``); on success note when. Broker errors are logged only."""
    from followup.reports import flow
    from followup.reports.tasks import build_report_task
    from kvinnofrid.core.tasks import enqueue_now

    if flow.build_in_thread():
        ReportBuild.objects.filter(pk=build_id, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )
        flow.start_build_thread(build_id)
    elif enqueue_now(build_report_task, build_id):
        ReportBuild.objects.filter(pk=build_id, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )


@transaction.atomic
def report_request_build(
    *, report_id: int, actor: Any, skip_permission_checks: bool = False
) -> ReportBuild:
    """ "Bygg PDF": create a queued ``ReportBuild`` and enqueue the task after commit.

    A second request while a build is queued or running returns that build (double clicks build
    once), unless that build is stuck (its worker died, or it sat in the queue longer than the
    sweeper waits): then it is marked failed and a new build starts. If the broker is down the row
    simply stays queued; the sweeper re-enqueues it.
    """
    report = (
        StatusReport.objects.select_for_update(of=("self",))
        .select_related("round__plan")
        .get(pk=report_id)
    )
    _check(permissions.can_edit_report(actor, report), skip_permission_checks)
    _assert_draft(report)
    _assert_no_personal_data(report)
    active = (
        ReportBuild.objects.filter(report=report, status__in=ACTIVE_BUILD_STATUSES)
        .order_by("-requested_at", "-id")
        .first()
    )
    if active is not None:
        if not active.is_stuck():
            return active
        ReportBuild.objects.filter(pk=active.pk, status=active.status).update(
            status=ReportBuild.Status.FAILED,
            finished_at=timezone.now(),
            lease_expires_at=None,
            error=_("PDF-bygget fastnade och ersattes av ett nytt bygge."),
        )
    build = ReportBuild.objects.create(
        report=report,
        status=ReportBuild.Status.QUEUED,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="followup.report.build_requested",
        target=report,
        county_id=_county_id(report),
    )
    build_id = build.pk
    transaction.on_commit(lambda: _enqueue(build_id))
    return build


def _lease_expired_q(now: datetime.datetime) -> Q:
    """Running builds whose worker's lease ran out (rows from before leases: by start time)."""
    return Q(status=ReportBuild.Status.RUNNING) & (
        Q(lease_expires_at__lte=now)
        | Q(
            lease_expires_at__isnull=True,
            started_at__lte=now - datetime.timedelta(seconds=lease_seconds()),
        )
    )


def _claim(build_id: int) -> int | None:
    """Lease the build to this worker: queued → running, or take over a running build whose lease
    ran out (its worker died). Returns the claim's attempt number, which fences every later write
    of this run, or None if the build is someone else's (a live lease) or finished.

    A build whose worker died ``MAX_BUILD_ATTEMPTS`` times is failed instead of claimed, so a
    report that kills its worker cannot loop forever.
    """
    with transaction.atomic():
        build = ReportBuild.objects.select_for_update().filter(pk=build_id).first()
        now = timezone.now()
        if build is None:
            return None
        taking_over = build.lease_expired(now)
        if build.status != ReportBuild.Status.QUEUED and not taking_over:
            return None
        if taking_over and build.attempts >= MAX_BUILD_ATTEMPTS:
            _fail(
                build_id,
                _("PDF-bygget avbröts flera gånger innan det blev klart. Försök igen."),
            )
            return None
        build.status = ReportBuild.Status.RUNNING
        build.started_at = now
        build.lease_expires_at = now + datetime.timedelta(seconds=lease_seconds())
        build.attempts += 1
        build.error = ""
        build.save(update_fields=["status", "started_at", "lease_expires_at", "attempts", "error"])
        if taking_over:
            logger.warning(
                "Report build %s: lease expired, taken over (attempt %s)", build_id, build.attempts
            )
        return build.attempts


def _fail(build_id: int, message: str, *, attempt: int | None = None) -> None:
    builds = ReportBuild.objects.filter(pk=build_id)
    if attempt is not None:  # only while this run still holds the build
        builds = builds.filter(status=ReportBuild.Status.RUNNING, attempts=attempt)
    builds.update(
        status=ReportBuild.Status.FAILED,
        finished_at=timezone.now(),
        lease_expires_at=None,
        error=message,
    )


def _render_into(
    build: ReportBuild,
    mine: QuerySet[ReportBuild],
    renderer: ReportRenderer | None,
    data: ReportData | None = None,
) -> None:
    """Render ``build`` (or reuse the last PDF of the same source) and store it through ``mine``,
    the claim-fenced queryset of the build: a run that lost its claim writes nothing. ``data``:
    the report's data when the caller has just assembled it (the CLI's synchronous build)."""
    data = data or report_data(report_id=build.report_id)
    digest = data.digest()
    previous = (
        ReportBuild.objects.filter(
            report_id=build.report_id, status=ReportBuild.Status.DONE, source_digest=digest
        )
        .exclude(pdf="")
        .order_by("-finished_at", "-id")
        .first()
    )
    if (
        previous is not None
        and previous.pdf.name  # never empty here (excluded above); narrows out None
        and previous.pdf.storage.exists(previous.pdf.name)
    ):
        mine.update(
            status=ReportBuild.Status.DONE,
            finished_at=timezone.now(),
            lease_expires_at=None,
            pdf=previous.pdf.name,
            source_digest=digest,
            pdf_sha256=previous.pdf_sha256,
            page_count=previous.page_count,
        )
        return
    rendered = (renderer or ReportRenderer()).render(data)
    sha = hashlib.sha256(rendered.content).hexdigest()
    report = build.report
    filename = f"lagesrapport-{report.round.plan.county.code}-{report.round.year}-{build.pk}.pdf"
    name = build.pdf.storage.save(
        build.pdf.field.generate_filename(build, filename), ContentFile(rendered.content)
    )
    updated = mine.update(
        status=ReportBuild.Status.DONE,
        finished_at=timezone.now(),
        lease_expires_at=None,
        pdf=name,
        source_digest=digest,
        pdf_sha256=sha,
        page_count=rendered.page_count,
    )
    if not updated:  # the sweeper or a later claim took over meanwhile; keep theirs
        build.pdf.storage.delete(name)


def report_build_run(
    *, build_id: int, renderer: ReportRenderer | None = None, data: ReportData | None = None
) -> ReportBuild:
    """Render one build to PDF. Called by the Celery task (and the CLI); idempotent.

    Claims the row (queued → running, or a running build whose worker's lease ran out) so two
    deliveries render once; a build leased to a live worker, or finished, is returned unchanged.
    Every write after the claim is fenced by the claim's attempt number, so a worker that lost its
    lease can never overwrite the run that took over (nor leave a second PDF behind). If the
    report's source digest equals the last done build's, that PDF is reused without rendering.
    Rendering happens outside any transaction. Failures mark the build
    failed with a Swedish message; a database outage puts it back in the queue and re-raises so
    the task's bounded retry can try again.
    """
    attempt = _claim(build_id)
    if attempt is None:
        return ReportBuild.objects.get(pk=build_id)
    mine = ReportBuild.objects.filter(
        pk=build_id, status=ReportBuild.Status.RUNNING, attempts=attempt
    )
    build = ReportBuild.objects.select_related("report__round__plan__county").get(pk=build_id)
    if build.report.status != StatusReport.Status.DRAFT:
        # A final report's PDF never changes, even if an old queued build is delivered late.
        _fail(
            build_id,
            _("Lägesrapporten är redan fastställd; PDF:en byggs inte om."),
            attempt=attempt,
        )
        return ReportBuild.objects.get(pk=build_id)
    try:
        _render_into(build, mine, renderer, data)
    except DatabaseOperationalError:
        current = ReportBuild.objects.filter(pk=build_id).values_list("attempts", flat=True)
        if current and current[0] < MAX_BUILD_ATTEMPTS:
            mine.update(status=ReportBuild.Status.QUEUED, lease_expires_at=None)
            raise
        _fail(
            build_id,
            _("PDF:en kunde inte skapas eftersom databasen inte svarade."),
            attempt=attempt,
        )
        logger.exception("Report build %s failed", build_id)
    except Exception as exc:
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(exc, SoftTimeLimitExceeded):
            message = _("PDF:en tog för lång tid att skapa och avbröts. Försök igen.")
        else:
            message = _(
                "PDF:en kunde inte skapas. Försök igen; om felet kvarstår, kontakta support."
            )
        _fail(build_id, message, attempt=attempt)
        logger.exception("Report build %s failed", build_id)
    return ReportBuild.objects.get(pk=build_id)


def report_build_sync(
    *, report_id: int, actor: Any, skip_permission_checks: bool = False
) -> ReportBuild:
    """Create a build row and run it in this process (the CLI); same code path as the task."""
    with transaction.atomic():
        report = StatusReport.objects.select_for_update().get(pk=report_id)
        _check(permissions.can_edit_report(actor, report), skip_permission_checks)
        _assert_draft(report)
        data = report_data(report_id=report.pk)  # checked here, rendered below: assembled once
        _assert_no_personal_data(report, data)
        build = ReportBuild.objects.create(
            report=report,
            status=ReportBuild.Status.QUEUED,
            requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_log(
            actor=actor,
            action="followup.report.build_requested",
            target=report,
            county_id=report.round.plan.county_id,
            message="cli",
        )
    return report_build_run(build_id=build.pk, data=data)


def latest_done_build(report: StatusReport) -> ReportBuild | None:
    """The PDF to show: the newest finished build; for a final report, the one it was
    finalised with (nothing built later can replace it)."""
    builds = ReportBuild.objects.filter(report=report, status=ReportBuild.Status.DONE).exclude(
        pdf=""
    )
    if report.status == StatusReport.Status.FINAL and report.finalised_at:
        builds = builds.filter(finished_at__lte=report.finalised_at)
    return builds.order_by("-finished_at", "-id").first()


def report_sweep_builds(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Beat job: re-enqueue builds queued for too long and running builds whose worker died.

    A running build whose lease ran out is enqueued again and the next worker takes it over
    (``_claim``); one that already used ``MAX_BUILD_ATTEMPTS`` is failed. Safe to run concurrently
    with workers: the claim makes a duplicate enqueue harmless, and the failing update only
    matches rows whose lease is still expired.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.REPORT_BUILD_STALE_MINUTES)
    expired = ReportBuild.objects.filter(_lease_expired_q(now))
    failed = expired.filter(attempts__gte=MAX_BUILD_ATTEMPTS).update(
        status=ReportBuild.Status.FAILED,
        finished_at=now,
        lease_expires_at=None,
        error=_("PDF-bygget avbröts flera gånger innan det blev klart. Försök igen."),
    )
    requeued = 0
    stale_ids = list(
        ReportBuild.objects.filter(
            Q(status=ReportBuild.Status.QUEUED, requested_at__lt=stale) & ~Q(enqueued_at__gte=stale)
            | _lease_expired_q(now) & Q(attempts__lt=MAX_BUILD_ATTEMPTS)
        ).values_list("pk", flat=True)[:200]
    )
    from followup.reports.tasks import build_report_task
    from kvinnofrid.core.tasks import enqueue_now

    for build_id in stale_ids:
        if enqueue_now(build_report_task, build_id):
            ReportBuild.objects.filter(pk=build_id).update(enqueued_at=timezone.now())
            requeued += 1
    if failed or stale_ids:
        logger.info("Report build sweep: %s failed, %s re-enqueued", failed, requeued)
    return {"failed": failed, "requeued": requeued, "stale": len(stale_ids)}
