"""The audit trail of a follow-up round, a yttrande and a lägesrapport (issue 16 item 4).

Each object is fetched through ``visible_to`` (out of scope: 404). The county's coordinators and
the national admin read every trail; a reporter reads the trail of their own organisation's
yttrande; everyone else who sees the object gets 403. Read-only (GET).
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from followup.models import FollowUpRound, Question, ReportedActivity, StatusReport, Submission
from kvinnofrid.accounts.audit_trail import TrailPage, can_read_audit, render_trail
from kvinnofrid.accounts.models import User
from kvinnofrid.core.models import AuditEntry


def _ct(model: Any) -> ContentType:
    return ContentType.objects.get_for_model(model)


def submissions_q(submission_ids: Iterable[int]) -> Q:
    """Entries of the yttranden and of their reported activities (also deleted ones: their
    entries name the yttrande as ``_submission``)."""
    ids = list(submission_ids)
    activity_ids = ReportedActivity.objects.filter(submission_id__in=ids).values_list(
        "pk", flat=True
    )
    activity = _ct(ReportedActivity)
    return (
        Q(target_type=_ct(Submission), target_id__in=ids)
        | Q(target_type=activity, changes___submission__in=ids)
        | Q(target_type=activity, target_id__in=list(activity_ids))
    )


def _round_crumbs(round_: FollowUpRound) -> list[tuple[str, str]]:
    county = round_.plan.county
    return [
        (county.name, reverse("actionplans:county-start", args=[county.code])),
        (_("Uppföljning"), reverse("followup:index")),
        (str(round_), reverse("followup:round-detail", args=[round_.pk])),
    ]


@never_cache
@login_required
@require_GET
def round_history(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The round, its questions and its yttranden."""
    round_ = get_object_or_404(
        FollowUpRound.objects.visible_to(request.user).select_related("plan__county"), pk=pk
    )
    if not can_read_audit(request.user, round_.plan.county_id):
        raise PermissionDenied
    question_ids = Question.objects.filter(round=round_).values_list("pk", flat=True)
    submission_ids = Submission.objects.filter(round=round_).values_list("pk", flat=True)
    entries = AuditEntry.objects.filter(
        Q(target_type=_ct(FollowUpRound), target_id=round_.pk)
        | Q(target_type=_ct(Question), target_id__in=list(question_ids))
        | submissions_q(submission_ids)
    )
    page = TrailPage(
        title=_("Historik – %(round)s") % {"round": round_},
        breadcrumbs=_round_crumbs(round_),
        filename=f"historik-omgang-{round_.pk}",
        show_object=True,
    )
    return render_trail(request, entries, page)


@never_cache
@login_required
@require_GET
def submission_history(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The yttrande's whole life: created, edited, submitted, returned, accepted …"""
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(
            "round__plan__county", "organisation"
        ),
        pk=pk,
    )
    user = request.user
    own = isinstance(user, User) and user.reports_for(submission.organisation_id)
    if not (own or can_read_audit(user, submission.round.plan.county_id)):
        raise PermissionDenied
    page = TrailPage(
        title=_("Historik – yttrande från %(org)s %(year)s")
        % {"org": submission.organisation, "year": submission.round.year},
        breadcrumbs=[
            *(_round_crumbs(submission.round) if not own else []),
            (
                str(submission),
                reverse("followup:submission-detail", args=[submission.pk]),
            ),
        ],
        filename=f"historik-yttrande-{submission.pk}",
    )
    return render_trail(request, AuditEntry.objects.filter(submissions_q([submission.pk])), page)


@never_cache
@login_required
@require_GET
def report_history(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The lägesrapport: created, edited, built, finalised."""
    report = get_object_or_404(
        StatusReport.objects.visible_to(request.user).select_related("round__plan__county"),
        pk=pk,
    )
    if not can_read_audit(request.user, report.round.plan.county_id):
        raise PermissionDenied
    page = TrailPage(
        title=_("Historik – %(report)s") % {"report": report},
        breadcrumbs=[
            *_round_crumbs(report.round),
            (str(report), reverse("followup:report-detail", args=[report.pk])),
        ],
        filename=f"historik-lagesrapport-{report.pk}",
    )
    entries = AuditEntry.objects.filter(target_type=_ct(StatusReport), target_id=report.pk)
    return render_trail(request, entries, page)
