"""Helpers shared by the action plan pages: scoped fetches (another county is a 404), the edit
check (403) and the plan's addresses."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from actionplans.models import ActionPlan
from actionplans.permissions import can_edit_plan
from kvinnofrid.directory.lookups import visible_county_or_404
from kvinnofrid.directory.models import County

FIELD_LABELS = {
    "title": gettext_lazy("Rubrik"),
    "description": gettext_lazy("Beskrivning"),
    "national_goals": gettext_lazy("Nationella målsättningar"),
    "code": gettext_lazy("Beteckning"),
    "text": gettext_lazy("Text"),
    "responsible": gettext_lazy("Ansvariga"),
    "kind": gettext_lazy("Typ"),
    "source": gettext_lazy("Källa"),
    "unit": gettext_lazy("Enhet"),
    "baseline": gettext_lazy("Utgångsvärde"),
    "target": gettext_lazy("Målvärde"),
    "target_year": gettext_lazy("Målår"),
    "targets": gettext_lazy("Målvärden per år"),
    "sub_goals": gettext_lazy("Delmål"),
}


def _county(request: HttpRequest, county_code: str) -> County:
    return visible_county_or_404(request.user, county_code)


def _plan(request: HttpRequest, county_code: str, pk: int) -> ActionPlan:
    return get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("county"),
        pk=pk,
        county__code=county_code,
    )


def _require_edit(request: HttpRequest, plan: ActionPlan) -> None:
    if not can_edit_plan(request.user, plan):
        raise PermissionDenied


def _editor_url(plan: ActionPlan, anchor: str = "") -> str:
    url = reverse("actionplans:plan-editor", args=[plan.county.code, plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _detail_url(plan: ActionPlan) -> str:
    return reverse("actionplans:plan-detail", args=[plan.county.code, plan.pk])
