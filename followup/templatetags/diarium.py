"""Diarienummer on pages and in the report: ``{% load diarium %}``.

``{% diarium_panel document %}`` shows a submission's or a report's number and, for the county's
coordinators when the county registers in its own diarium, the form to type it in.
``{% report_diarienummer report_id as dnr %}`` reads a report's number (for the PDF colophon).
"""

from typing import Any

from django import template
from django.urls import reverse

from followup import permissions
from followup.models import StatusReport, Submission
from followup.services.registry import registers_manually

register = template.Library()


@register.inclusion_tag("followup/_diarium.html", takes_context=True)
def diarium_panel(context: template.Context, document: Submission | StatusReport) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if isinstance(document, Submission):
        kind = "submission"
        registered = document.submitted_at is not None
        may = registered and permissions.can_review_submission(user, document)
        action = reverse("followup:submission-register", args=[document.pk])
    else:
        kind = "report"
        registered = document.status == StatusReport.Status.FINAL
        may = registered and permissions.can_edit_report(user, document)
        action = reverse("followup:report-register", args=[document.pk])
    county_id = document.round.plan.county_id
    return {
        "document": document,
        "kind": kind,
        "registered": registered,
        "may_register": may and registers_manually(county_id),
        "action": action,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def report_diarienummer(report_id: int | None) -> str:
    if not report_id:
        return ""
    number = StatusReport.objects.filter(pk=report_id).values_list("diarienummer", flat=True)
    return next(iter(number), "") or ""
