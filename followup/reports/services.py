"""Writes for the lägesrapport: create, edit, request a PDF build, run it, finalise, sweep.

Every service takes keyword arguments and an ``actor``; views, the Celery task and the
``build_status_report`` command call the same functions. A PDF build is a ``ReportBuild`` row
first; the Celery task is enqueued after commit and only ever receives the build id.
"""

import datetime
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans.models import Goal
from followup import permissions
from followup.exceptions import FollowUpError
from followup.models import (
    FollowUpRound,
    GoalAnalysis,
    ReportBuild,
    ReportedActivity,
    StatusReport,
)
from followup.reports.context import report_data
from followup.reports.pdf import ReportRenderer
from kvinnofrid.accounts.models import Actor, recorded_user
from kvinnofrid.core.audit import audit_log, model_changes, text_change
from kvinnofrid.core.locking import bump_version, lock_for_update

logger = logging.getLogger(__name__)

TEXT_FIELDS = (
    "title",
    "introduction",
    "method_text",
    "usage_text",
    "resources_text",
    "strategy_work_text",
    "closing_words",
    "place",
    "signed_on",
    "signatures",
)
MAX_BUILD_ATTEMPTS = 3
ACTIVE_BUILD_STATUSES = (ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING)


def hard_time_limit() -> int:
    """Seconds after which a running build is killed (the worker) or failed (the sweeper)."""
    return int(settings.REPORT_BUILD_SOFT_TIME_LIMIT) + 60


def _check(allowed: bool, skip: bool) -> None:
    if not skip and not allowed:
        raise PermissionDenied


def _county_id(report: StatusReport) -> int:
    return report.round.plan.county_id


def _assert_draft(report: StatusReport) -> None:
    if report.status != StatusReport.Status.DRAFT:
        raise FollowUpError(
            _("Lägesrapporten är fastställd och kan inte ändras. Skapa ett nytt utkast.")
        )


@transaction.atomic
def report_create(
    *, round_id: int, actor: Actor, skip_permission_checks: bool = False
) -> StatusReport:
    """Start a draft lägesrapport for a round (one draft per round).

    Raises PermissionDenied unless the actor coordinates the round's county and FollowUpError if
    a draft already exists. The new draft copies the texts of the round's latest final report,
    so a revised report starts from what was published.
    """
    round_ = (
        FollowUpRound.objects.select_for_update(of=("self",))
        .select_related("plan__county")
        .get(pk=round_id)
    )
    _check(permissions.can_manage_round(actor, round_), skip_permission_checks)
    if StatusReport.objects.filter(round=round_, status=StatusReport.Status.DRAFT).exists():
        raise FollowUpError(_("Det finns redan ett utkast till lägesrapport för uppföljningen."))
    previous = (
        StatusReport.objects.filter(round=round_, status=StatusReport.Status.FINAL)
        .order_by("-finalised_at", "-id")
        .first()
    )
    report = StatusReport(
        round=round_, title=_("Regional lägesrapport %(year)d") % {"year": round_.year}
    )
    if previous is not None:
        for name in TEXT_FIELDS:
            setattr(report, name, getattr(previous, name))
    report.full_clean()
    report.save()
    if previous is not None:
        GoalAnalysis.objects.bulk_create(
            GoalAnalysis(report=report, goal_id=a.goal_id, analysis=a.analysis)
            for a in previous.analyses.all()
        )
    audit_log(
        actor=actor,
        action="followup.report.created",
        target=report,
        county_id=round_.plan.county_id,
    )
    return report


@transaction.atomic
def report_update(
    *,
    report_id: int,
    actor: Actor,
    expected_version: int | None,
    fields: dict[str, Any],
    analyses: dict[int, str] | None = None,
    highlights: dict[int, int | None] | None = None,
    skip_permission_checks: bool = False,
) -> StatusReport:
    """Save the coordinator's texts, the per-goal analyses and the highlighted activities.

    ``fields`` holds any of ``TEXT_FIELDS``; ``analyses`` maps goal id → text; ``highlights``
    maps reported-activity id → position (``None`` = not highlighted). Raises StaleObjectError
    if ``expected_version`` is old, PermissionDenied and FollowUpError (report final).
    """
    report = lock_for_update(
        StatusReport.objects.select_related("round__plan"),
        pk=report_id,
        expected_version=expected_version,
    )
    _check(permissions.can_edit_report(actor, report), skip_permission_checks)
    _assert_draft(report)
    before = {name: getattr(report, name) for name in TEXT_FIELDS}
    for name, value in fields.items():
        if name not in TEXT_FIELDS:
            raise ValueError(f"not a report text field: {name}")
        setattr(report, name, value)
    after = {name: getattr(report, name) for name in TEXT_FIELDS}
    changes = model_changes(before, after, model=StatusReport)

    if analyses:
        changes.update(_save_analyses(report, analyses))
    if highlights:
        changes.update(_save_highlights(report, highlights))

    report.full_clean()
    bump_version(report)
    report.save()
    audit_log(
        actor=actor,
        action="followup.report.updated",
        target=report,
        changes=changes,
        county_id=report.round.plan.county_id,
    )
    return report


def _save_analyses(report: StatusReport, analyses: dict[int, str]) -> dict[str, Any]:
    """Write the per-goal analyses (goal id → text) of ``report``; returns the audit changes.
    A goal outside the round's plan raises FollowUpError."""
    changes: dict[str, Any] = {}
    goal_ids = set(
        Goal.objects.filter(plan_id=report.round.plan_id, pk__in=analyses).values_list(
            "pk", flat=True
        )
    )
    existing = {a.goal_id: a for a in GoalAnalysis.objects.filter(report=report)}
    for goal_id, text in analyses.items():
        if goal_id not in goal_ids:
            raise FollowUpError(_("Målet hör inte till uppföljningens handlingsplan."))
        current = existing.get(goal_id)
        if current is None:
            GoalAnalysis.objects.create(report=report, goal_id=goal_id, analysis=text)
            changes[f"analysis:{goal_id}"] = text_change("", text)
        elif current.analysis != text:
            changes[f"analysis:{goal_id}"] = text_change(current.analysis, text)
            current.analysis = text
            current.save(update_fields=["analysis", "updated_at"])
    return changes


def _save_highlights(
    report: StatusReport, highlights: dict[int, int | None]
) -> dict[str, list[Any]]:
    """Mark the round's reported activities highlighted at a position (``None`` = not);
    returns the audit changes. An activity outside the round raises FollowUpError."""
    activities = {
        a.pk: a
        for a in ReportedActivity.objects.filter(
            submission__round_id=report.round_id, pk__in=highlights
        )
    }
    if len(activities) != len(highlights):
        raise FollowUpError(_("En av aktiviteterna hör inte till uppföljningen."))
    changed = []
    for pk, position in highlights.items():
        act = activities[pk]
        flag, order = (position is not None), (position or 0)
        if act.highlighted != flag or (flag and act.highlight_order != order):
            act.highlighted, act.highlight_order = flag, order
            changed.append(act)
    if not changed:
        return {}
    ReportedActivity.objects.bulk_update(changed, ["highlighted", "highlight_order"])
    return {"highlights": [None, len(changed)]}


def _enqueue(build_id: int) -> None:
    """Send the build to the broker; on success note when. Broker errors are logged only."""
    from followup.reports.tasks import build_report_task
    from kvinnofrid.core.tasks import enqueue_now

    if enqueue_now(build_report_task, build_id):
        ReportBuild.objects.filter(pk=build_id, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )


@transaction.atomic
def report_request_build(
    *, report_id: int, actor: Actor, skip_permission_checks: bool = False
) -> ReportBuild:
    """ "Bygg PDF": create a queued ``ReportBuild`` and enqueue the task after commit.

    A second request while a build is queued or running returns that build (double clicks build
    once). If the broker is down the row simply stays queued; the sweeper re-enqueues it.
    """
    report = (
        StatusReport.objects.select_for_update(of=("self",))
        .select_related("round__plan")
        .get(pk=report_id)
    )
    _check(permissions.can_edit_report(actor, report), skip_permission_checks)
    _assert_draft(report)
    active = (
        ReportBuild.objects.filter(report=report, status__in=ACTIVE_BUILD_STATUSES)
        .order_by("-requested_at", "-id")
        .first()
    )
    if active is not None:
        return active
    build = ReportBuild.objects.create(
        report=report,
        status=ReportBuild.Status.QUEUED,
        requested_by=recorded_user(actor),
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


def _claim(build_id: int) -> bool:
    """Atomically move a queued build to running; False if someone else has it (or it is done)."""
    return bool(
        ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.QUEUED).update(
            status=ReportBuild.Status.RUNNING,
            started_at=timezone.now(),
            attempts=F("attempts") + 1,
            error="",
        )
    )


def _fail(build_id: int, message: str) -> None:
    ReportBuild.objects.filter(pk=build_id).update(
        status=ReportBuild.Status.FAILED, finished_at=timezone.now(), error=message
    )


def report_build_run(*, build_id: int, renderer: ReportRenderer | None = None) -> ReportBuild:
    """Render one build to PDF. Called by the Celery task (and the CLI); idempotent.

    Claims the row (queued → running) so two deliveries render once; a build that is not queued
    is returned unchanged. If the report's source digest equals the last done build's, that PDF is
    reused without rendering. Rendering happens outside any transaction. Failures mark the build
    failed with a Swedish message; a database outage puts it back in the queue and re-raises so
    the task's bounded retry can try again.
    """
    if not _claim(build_id):
        return ReportBuild.objects.get(pk=build_id)
    build = ReportBuild.objects.select_related("report__round__plan__county").get(pk=build_id)
    if build.report.status != StatusReport.Status.DRAFT:
        # A final report's PDF never changes, even if an old queued build is delivered late.
        _fail(build_id, _("Lägesrapporten är redan fastställd; PDF:en byggs inte om."))
        return ReportBuild.objects.get(pk=build_id)
    try:
        data = report_data(report_id=build.report_id)
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
            and previous.pdf.name
            and previous.pdf.storage.exists(previous.pdf.name)
        ):
            ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.RUNNING).update(
                status=ReportBuild.Status.DONE,
                finished_at=timezone.now(),
                pdf=previous.pdf.name,
                source_digest=digest,
                pdf_sha256=previous.pdf_sha256,
                page_count=previous.page_count,
            )
            return ReportBuild.objects.get(pk=build_id)

        rendered = (renderer or ReportRenderer()).render(data)
        sha = hashlib.sha256(rendered.content).hexdigest()
        report = build.report
        filename = (
            f"lagesrapport-{report.round.plan.county.code}-{report.round.year}-{build_id}.pdf"
        )
        name = build.pdf.storage.save(
            build.pdf.field.generate_filename(build, filename), ContentFile(rendered.content)
        )
        updated = ReportBuild.objects.filter(pk=build_id, status=ReportBuild.Status.RUNNING).update(
            status=ReportBuild.Status.DONE,
            finished_at=timezone.now(),
            pdf=name,
            source_digest=digest,
            pdf_sha256=sha,
            page_count=rendered.page_count,
        )
        if not updated:  # the sweeper gave up on us meanwhile; keep its verdict
            build.pdf.storage.delete(name)
    except DatabaseOperationalError:
        current = ReportBuild.objects.filter(pk=build_id).values_list("attempts", flat=True)
        if current and current[0] < MAX_BUILD_ATTEMPTS:
            ReportBuild.objects.filter(pk=build_id).update(status=ReportBuild.Status.QUEUED)
            raise
        _fail(build_id, _("PDF:en kunde inte skapas eftersom databasen inte svarade."))
        logger.exception("Report build %s failed", build_id)
    except Exception as exc:
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(exc, SoftTimeLimitExceeded):
            message = _("PDF:en tog för lång tid att skapa och avbröts. Försök igen.")
        else:
            message = _(
                "PDF:en kunde inte skapas. Försök igen; om felet kvarstår, kontakta support."
            )
        _fail(build_id, message)
        logger.exception("Report build %s failed", build_id)
    return ReportBuild.objects.get(pk=build_id)


def report_build_sync(
    *, report_id: int, actor: Actor, skip_permission_checks: bool = False
) -> ReportBuild:
    """Create a build row and run it in this process (the CLI); same code path as the task."""
    with transaction.atomic():
        report = StatusReport.objects.select_for_update().get(pk=report_id)
        _check(permissions.can_edit_report(actor, report), skip_permission_checks)
        _assert_draft(report)
        build = ReportBuild.objects.create(
            report=report,
            status=ReportBuild.Status.QUEUED,
            requested_by=recorded_user(actor),
        )
        audit_log(
            actor=actor,
            action="followup.report.build_requested",
            target=report,
            county_id=report.round.plan.county_id,
            message="cli",
        )
    return report_build_run(build_id=build.pk)


def latest_done_build(report: StatusReport) -> ReportBuild | None:
    """The PDF to show: the newest finished build; for a final report, the one it was
    finalised with (nothing built later can replace it)."""
    builds = ReportBuild.objects.filter(report=report, status=ReportBuild.Status.DONE).exclude(
        pdf=""
    )
    if report.status == StatusReport.Status.FINAL and report.finalised_at:
        builds = builds.filter(finished_at__lte=report.finalised_at)
    return builds.order_by("-finished_at", "-id").first()


@transaction.atomic
def report_finalise(
    *,
    report_id: int,
    actor: Actor,
    expected_version: int | None = None,
    skip_permission_checks: bool = False,
) -> StatusReport:
    """ "Fastställ": the report becomes final and its PDF immutable.

    Requires a finished PDF built from the report as it is now (same source digest), so what is
    published is what was written. Raises PermissionDenied, StaleObjectError or FollowUpError.
    """
    report = lock_for_update(
        StatusReport.objects.select_related("round__plan"),
        pk=report_id,
        expected_version=expected_version,
    )
    _check(permissions.can_edit_report(actor, report), skip_permission_checks)
    _assert_draft(report)
    build = latest_done_build(report)
    if build is None:
        raise FollowUpError(_("Bygg PDF:en innan du fastställer lägesrapporten."))
    if build.source_digest != report_data(report_id=report.pk).digest():
        raise FollowUpError(
            _(
                "Lägesrapporten har ändrats sedan PDF:en byggdes. Bygg en ny PDF och fastställ sedan."
            )
        )
    ReportBuild.objects.filter(report=report, status__in=ACTIVE_BUILD_STATUSES).update(
        status=ReportBuild.Status.FAILED,
        finished_at=timezone.now(),
        error=_("Avbrutet: lägesrapporten fastställdes."),
    )
    report.status = StatusReport.Status.FINAL
    report.finalised_at = timezone.now()
    report.finalised_by = recorded_user(actor)
    bump_version(report)
    report.save(
        update_fields=["status", "finalised_at", "finalised_by", "lock_version", "updated_at"]
    )
    audit_log(
        actor=actor,
        action="followup.report.finalised",
        target=report,
        county_id=report.round.plan.county_id,
        message=build.pdf_sha256,
    )
    return report


def report_sweep_builds(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Beat job: re-enqueue builds queued for too long; fail builds running past the hard limit.

    Safe to run concurrently with workers: the claim in ``report_build_run`` makes a duplicate
    enqueue harmless, and the failing update only matches rows still running.
    """
    now = now or timezone.now()
    stale = now - datetime.timedelta(minutes=settings.REPORT_BUILD_STALE_MINUTES)
    overdue = now - datetime.timedelta(seconds=hard_time_limit())
    failed = ReportBuild.objects.filter(
        status=ReportBuild.Status.RUNNING, started_at__lt=overdue
    ).update(
        status=ReportBuild.Status.FAILED,
        finished_at=now,
        error=_("PDF-bygget avbröts eftersom det överskred tidsgränsen. Försök igen."),
    )
    requeued = 0
    stale_ids = list(
        ReportBuild.objects.filter(status=ReportBuild.Status.QUEUED, requested_at__lt=stale)
        .exclude(enqueued_at__gte=stale)
        .values_list("pk", flat=True)[:200]
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
