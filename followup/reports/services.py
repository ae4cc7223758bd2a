"""Writes for the lägesrapport: create, edit and finalise (its PDF builds: ``builds``).

Every service takes keyword arguments and an ``actor``; views, the Celery task and the
``build_status_report`` command call the same functions. A PDF build is a ``ReportBuild`` row
first; the Celery task is enqueued after commit and only ever receives the build id.
"""

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
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
    ReportedActivityHighlight,
    StatusReport,
)
from followup.reports import facts
from followup.reports.builds import ACTIVE_BUILD_STATUSES, latest_done_build
from followup.reports.context import report_data
from followup.reports.final import store_final_version
from followup.reports.guards import (
    TEXT_FIELDS,
    _activity_personal_data,
    _activity_refusal,
    _assert_draft,
    _assert_no_personal_data,
    _check,
)
from followup.services.registry import report_register
from kvinnofrid.accounts.models import Actor, User
from kvinnofrid.core.audit import audit_log, model_changes, text_change
from kvinnofrid.core.locking import bump_version, lock_for_update

logger = logging.getLogger(__name__)


@transaction.atomic
def report_create(
    *, round_id: int, actor: Actor, skip_permission_checks: bool = False
) -> StatusReport:
    """Start a draft lägesrapport for a round (one draft per round).

    Raises PermissionDenied unless the actor coordinates the round's county and FollowUpError if
    a draft already exists. The new draft starts from the round's latest final report (a
    revision), else from the county's most recent final report of an earlier year, with that
    year's facts turned back into placeholders (``facts.carry_over``), so nothing is retyped.
    """
    round_ = (
        FollowUpRound.objects.select_for_update(of=("self",))
        .select_related("plan__county")
        .get(pk=round_id)
    )
    _check(permissions.can_manage_round(actor, round_), skip_permission_checks)
    if StatusReport.objects.filter(round=round_, status=StatusReport.Status.DRAFT).exists():
        raise FollowUpError(_("Det finns redan ett utkast till lägesrapport för uppföljningen."))
    report = StatusReport(
        round=round_, title=_("Regional lägesrapport %(year)d") % {"year": round_.year}
    )
    source = facts.source_report(round_)
    analyses = facts.carry_over(report, source) if source is not None else []
    report.full_clean()
    report.save()
    for analysis in analyses:
        analysis.report = report
    GoalAnalysis.objects.bulk_create(analyses)
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
    highlights: Mapping[int, Mapping[int, int]] | None = None,
    skip_permission_checks: bool = False,
) -> StatusReport:
    """Save the coordinator's texts, the per-goal analyses and the highlighted activities.

    ``fields`` holds any of ``TEXT_FIELDS``; ``analyses`` maps goal id → text; ``highlights``
    maps reported-activity id → {goal id → position} (empty = highlighted nowhere; activities
    left out keep their highlights). Raises StaleObjectError
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
    report: StatusReport, highlights: Mapping[int, Mapping[int, int]]
) -> dict[str, list[Any]]:
    """Highlight the round's reported activities under the given goals at the given positions
    (see ``followup.highlights``); returns the audit changes. An activity outside the round, or
    a goal the activity does not serve, raises FollowUpError."""
    activities = {
        a.pk: a
        for a in ReportedActivity.objects.filter(
            submission__round_id=report.round_id, pk__in=highlights
        )
        .select_related("submission__organisation")
        .prefetch_related("sub_goals", "goal_highlights")
    }
    if len(activities) != len(highlights):
        raise FollowUpError(_("En av aktiviteterna hör inte till uppföljningen."))
    changed = 0
    for pk, wanted in highlights.items():
        act = activities[pk]
        found = _activity_personal_data(act) if wanted else None
        if found is not None:  # a highlighted activity goes into the published PDF
            raise FollowUpError(
                _activity_refusal(act, act.submission.organisation.name, found)
                + " "
                + _("Den kan därför inte lyftas fram.")
            )
        if not set(wanted) <= {sg.goal_id for sg in act.sub_goals.all()}:
            raise FollowUpError(_("Aktiviteten hör inte till det valda målet."))
        current = {h.goal_id: h.order for h in act.goal_highlights.all()}
        flag, order = bool(wanted), min(wanted.values(), default=0)
        if current == dict(wanted) and (act.highlighted, act.highlight_order) == (flag, order):
            continue
        ReportedActivityHighlight.objects.filter(activity=act).exclude(
            goal_id__in=list(wanted)
        ).delete()
        for goal_id, position in wanted.items():
            ReportedActivityHighlight.objects.update_or_create(
                activity=act, goal_id=goal_id, defaults={"order": position}
            )
        act.highlighted, act.highlight_order = flag, order
        act.save(update_fields=["highlighted", "highlight_order", "updated_at"])
        changed += 1
    return {"highlights": [None, changed]} if changed else {}


@transaction.atomic
def report_finalise(
    *,
    report_id: int,
    actor: Actor,
    expected_version: int | None = None,
    skip_permission_checks: bool = False,
    finalised_at: datetime.datetime | None = None,
) -> StatusReport:
    """ "Fastställ": the report becomes final and its PDF immutable.

    Requires a finished PDF built from the report as it is now (same source digest), so what is
    published is what was written. The final version is then rendered once (PDF/A-2 with the
    PDF/UA-1 identification, without the draft mark) and stored with the frozen HTML version;
    a failing render rolls everything back. ``finalised_at`` dates a report adopted earlier (the
    demo's). Raises PermissionDenied, StaleObjectError or FollowUpError.
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
    report.finalised_at = finalised_at or timezone.now()
    report.finalised_by = actor if isinstance(actor, User) else None  # users are authenticated
    report_register(report)
    bump_version(report)
    report.save(
        update_fields=[
            "status",
            "finalised_at",
            "finalised_by",
            "diarienummer",
            "lock_version",
            "updated_at",
        ]
    )
    version = store_final_version(report)
    audit_log(
        actor=actor,
        action="followup.report.finalised",
        target=report,
        county_id=report.round.plan.county_id,
        message=version.pdf_sha256,
    )
    return report
