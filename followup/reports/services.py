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
from django.db.models import Q
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
from followup.personal_data import KIND_LABELS, scan_text
from followup.reports.context import ReportData, report_data
from followup.reports.pdf import ReportRenderer
from kvinnofrid.core.audit import audit_log, model_changes
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


def lease_seconds() -> int:
    """How long a claimed build stays leased to its worker (see REPORT_BUILD_LEASE_SECONDS)."""
    return settings.REPORT_BUILD_LEASE_SECONDS


def _check(allowed: bool, skip: bool) -> None:
    if not skip and not allowed:
        raise PermissionDenied


def _county_id(report: StatusReport) -> int:
    return report.round.plan.county_id


def _activity_personal_data(activity: Any) -> tuple[str, str, str] | None:
    """``(field label, kind label, masked hint)`` of the first personal data in the activity's
    texts that the PDF shows (title, description), or None."""
    for label, text in ((_("titel"), activity.title), (_("beskrivning"), activity.description)):
        findings = scan_text(text)
        if findings:
            kind, hint = findings[0]
            return label, str(KIND_LABELS.get(kind, kind)), hint
    return None


def _activity_refusal(activity: Any, organisation: str, found: tuple[str, str, str]) -> str:
    field, kind, hint = found
    name = activity.title if not scan_text(activity.title) else _("(titeln döljs)")
    return _(
        "Aktiviteten ”%(title)s” från %(org)s ser ut att innehålla %(kind)s i %(field)s "
        "(%(hint)s) och får inte visas i lägesrapporten."
    ) % {"title": name, "org": organisation, "kind": kind, "field": field, "hint": hint}


def report_personal_data_problems(*, report: StatusReport, data: ReportData) -> list[str]:
    """What would put personal data into the PDF, one Swedish sentence per place: the report's
    own texts, the per-goal analyses and every activity the PDF shows (the highlighted ones, or
    all when none is highlighted). Empty when the report may be built."""
    problems = []
    for name in TEXT_FIELDS:
        value = getattr(report, name)
        findings = scan_text(value) if isinstance(value, str) else []
        if findings:
            kind, hint = findings[0]
            label = StatusReport._meta.get_field(name).verbose_name
            problems.append(
                _("Fältet ”%(field)s” ser ut att innehålla %(kind)s (%(hint)s).")
                % {"field": label, "kind": KIND_LABELS.get(kind, kind), "hint": hint}
            )
    for section in data.goals:
        findings = scan_text(section.analysis)
        if findings:
            kind, hint = findings[0]
            problems.append(
                _("Analysen för mål %(number)s ser ut att innehålla %(kind)s (%(hint)s).")
                % {"number": section.number, "kind": KIND_LABELS.get(kind, kind), "hint": hint}
            )
        for item in section.activities:
            found = _activity_personal_data(item)
            if found is not None:
                problems.append(_activity_refusal(item, item.organisation, found))
    return problems


def _assert_no_personal_data(report: StatusReport, data: ReportData | None = None) -> None:
    """Raise FollowUpError naming each place (up to five) where the PDF would show personal
    data; see ``report_personal_data_problems``."""
    problems = report_personal_data_problems(
        report=report, data=data or report_data(report_id=report.pk)
    )
    if problems:
        raise FollowUpError(
            " ".join(
                [
                    _(
                        "PDF:en kan inte byggas eller fastställas eftersom den skulle visa "
                        "uppgifter om enskilda personer."
                    ),
                    *problems[:5],
                    _("Ändra texten, lyft fram andra aktiviteter eller be aktören rätta sin text."),
                ]
            )
        )


def _assert_draft(report: StatusReport) -> None:
    if report.status != StatusReport.Status.DRAFT:
        raise FollowUpError(
            _("Lägesrapporten är fastställd och kan inte ändras. Skapa ett nytt utkast.")
        )


@transaction.atomic
def report_create(
    *, round_id: int, actor: Any, skip_permission_checks: bool = False
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
    actor: Any,
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
    changes = model_changes(before, after)

    if analyses:
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
                changes[f"analysis:{goal_id}"] = ["", text]
            elif current.analysis != text:
                changes[f"analysis:{goal_id}"] = [current.analysis, text]
                current.analysis = text
                current.save(update_fields=["analysis", "updated_at"])

    if highlights:
        activities = {
            a.pk: a
            for a in ReportedActivity.objects.filter(
                submission__round_id=report.round_id, pk__in=highlights
            ).select_related("submission__organisation")
        }
        if len(activities) != len(highlights):
            raise FollowUpError(_("En av aktiviteterna hör inte till uppföljningen."))
        changed = []
        for pk, position in highlights.items():
            act = activities[pk]
            flag, order = (position is not None), (position or 0)
            found = _activity_personal_data(act) if flag else None
            if found is not None:  # a highlighted activity goes into the published PDF
                raise FollowUpError(
                    _activity_refusal(act, act.submission.organisation.name, found)
                    + " "
                    + _("Den kan därför inte lyftas fram.")
                )
            if act.highlighted != flag or (flag and act.highlight_order != order):
                act.highlighted, act.highlight_order = flag, order
                changed.append(act)
        if changed:
            ReportedActivity.objects.bulk_update(changed, ["highlighted", "highlight_order"])
            changes["highlights"] = [None, len(changed)]

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


def report_build_run(*, build_id: int, renderer: ReportRenderer | None = None) -> ReportBuild:
    """Render one build to PDF. Called by the Celery task (and the CLI); idempotent.

    Claims the row (queued → running, or a running build whose worker's lease ran out) so two
    deliveries render once; a build leased to a live worker, or finished, is returned unchanged.
    Every write after the claim is fenced by the claim's attempt number, so a worker that lost its
    lease can never overwrite the run that took over (nor leave a second PDF behind). If the
    report's source digest equals the last done build's, that PDF is reused without rendering. Rendering happens outside any transaction. Failures mark the build
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
        if previous is not None and previous.pdf.storage.exists(previous.pdf.name):
            mine.update(
                status=ReportBuild.Status.DONE,
                finished_at=timezone.now(),
                lease_expires_at=None,
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
        _assert_no_personal_data(report)
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
    actor: Any,
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
    data = report_data(report_id=report.pk)
    _assert_no_personal_data(report, data)
    if build.source_digest != data.digest():
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
    report.finalised_by = actor if getattr(actor, "is_authenticated", False) else None
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
