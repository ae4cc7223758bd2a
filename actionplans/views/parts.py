"""The plan's parts (goals, delmål, activities, indicators): create, edit, delete, move, and an
indicator's values per year. Writes go through ``actionplans.services``."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from actionplans import services
from actionplans.exceptions import PlanError
from actionplans.forms import (
    GoalForm,
    IndicatorForm,
    IndicatorValueForm,
    PlannedActivityForm,
    SubGoalForm,
)
from actionplans.models import ActionPlan, Goal, Indicator, IndicatorValue, PlannedActivity, SubGoal
from actionplans.permissions import can_edit_plan
from actionplans.views.common import (
    _detail_url,
    _editor_url,
    _plan,
    _require_edit,
)
from kvinnofrid.core.child_views import ChildPage, ChildPages

# --- parts (goals, delmål, activities, indicators) ---------------------------------------------

PART_KINDS = {
    "mal": ChildPage(
        "mal", Goal, GoalForm, gettext_lazy("mål"), services.goal_create, services.goal_update,
        services.goal_delete, services.goal_move, id_arg="goal_id", parent_arg="plan_id",
    ),
    "delmal": ChildPage(
        "delmal", SubGoal, SubGoalForm, gettext_lazy("delmål"), services.subgoal_create,
        services.subgoal_update, services.subgoal_delete, services.subgoal_move,
        id_arg="subgoal_id", parent_arg="goal_id", parent_model=Goal,
    ),
    "aktivitet": ChildPage(
        "aktivitet", PlannedActivity, PlannedActivityForm, gettext_lazy("aktivitet"),
        services.activity_create, services.activity_update, services.activity_delete,
        services.activity_move, id_arg="activity_id", parent_arg="subgoal_id",
        parent_model=SubGoal,
    ),
    "indikator": ChildPage(
        "indikator", Indicator, IndicatorForm, gettext_lazy("indikator"),
        services.indicator_create, services.indicator_update, services.indicator_delete,
        services.indicator_move, id_arg="indicator_id", parent_arg="plan_id",
    ),
}  # fmt: skip


class PlanParts(ChildPages[ActionPlan]):
    """The parts' pages: drafts only, each part carries its own ``lock_version``, and a saved
    part is shown in the editor."""

    kinds = PART_KINDS
    error = PlanError
    aggregate_name = "plan"
    form_template = "actionplans/part_form.html"
    delete_template = "actionplans/part_delete.html"
    stale_delete_message = gettext_lazy(
        "Någon annan har ändrat det här sedan du öppnade sidan. Kontrollera och försök igen."
    )

    def aggregate(
        self, request: HttpRequest, county_code: str, pk: int
    ) -> ActionPlan | HttpResponse:
        plan = _plan(request, county_code, pk)
        _require_edit(request, plan)
        if not plan.is_editable:
            messages.error(request, _("Planen är antagen och kan inte ändras. Revidera den först."))
            return redirect(_detail_url(plan))
        return plan

    def child(self, kind: ChildPage, aggregate: ActionPlan, child_pk: int) -> Any:
        return _part(kind, aggregate, child_pk)

    def parent(self, kind: ChildPage, aggregate: ActionPlan, request: HttpRequest) -> Any:
        if kind.parent_model is None:
            return None
        try:
            parent_pk = int(request.GET.get("under", ""))
        except ValueError:
            raise Http404 from None
        parent = kind.parent_model._default_manager.filter(pk=parent_pk).first()
        if parent is None or services.part_plan_id(parent) != aggregate.pk:
            raise Http404
        return parent

    def form_kwargs(self, kind: ChildPage, aggregate: ActionPlan) -> dict[str, Any]:
        return {"plan": aggregate}

    def create_initial(self, kind: ChildPage, aggregate: ActionPlan) -> dict[str, Any]:
        if kind.model is not Goal:
            return {}
        return {"number": (aggregate.goals.aggregate(m=models.Max("number"))["m"] or 0) + 1}

    def back_url(self, aggregate: ActionPlan, kind: ChildPage, obj: Any = None) -> str:
        return _editor_url(aggregate, f"{kind.slug}-{obj.pk}" if obj is not None else "")


PLAN_PARTS = PlanParts()


def _part(kind: ChildPage, plan: ActionPlan, part_pk: int) -> Any:
    obj = kind.model._default_manager.filter(pk=part_pk).first()
    if obj is None or services.part_plan_id(obj) != plan.pk:
        raise Http404
    return obj


@login_required
def part_create(request: HttpRequest, county_code: str, pk: int, kind: str) -> HttpResponse:
    """Add a goal, delmål (``?under=<goal>``), activity (``?under=<delmål>``) or indicator."""
    return PLAN_PARTS.create(request, county_code, pk, kind)


@login_required
def part_edit(
    request: HttpRequest, county_code: str, pk: int, kind: str, part_pk: int
) -> HttpResponse:
    """Edit one part; a stale ``lock_version`` gives the 409 conflict page."""
    return PLAN_PARTS.edit(request, county_code, pk, kind, part_pk)


@login_required
def part_delete(
    request: HttpRequest, county_code: str, pk: int, kind: str, part_pk: int
) -> HttpResponse:
    """Ask for confirmation, then delete the part (and what lies under it)."""
    return PLAN_PARTS.delete(request, county_code, pk, kind, part_pk)


@login_required
@require_POST
def part_move(
    request: HttpRequest, county_code: str, pk: int, kind: str, part_pk: int
) -> HttpResponse:
    """Move a part one step up or down."""
    return PLAN_PARTS.move(request, county_code, pk, kind, part_pk)


# --- indicator values ----------------------------------------------------------------------------


@login_required
def indicator_values(request: HttpRequest, county_code: str, pk: int, part_pk: int) -> HttpResponse:
    """An indicator's targets and recorded values per year; coordinators add or replace values."""
    plan = _plan(request, county_code, pk)
    indicator = _part(PART_KINDS["indikator"], plan, part_pk)
    may_edit = can_edit_plan(request.user, plan) and plan.status != ActionPlan.Status.ARCHIVED
    form = IndicatorValueForm(request.POST or None, plan=plan) if may_edit else None
    if request.method == "POST":
        if form is None:  # i.e. not may_edit
            raise PermissionDenied
        if form.is_valid():
            try:
                services.indicator_value_set(
                    indicator_id=indicator.pk,
                    year=form.cleaned_data["year"],
                    value=form.cleaned_data["value"],
                    note=form.cleaned_data["note"],
                    organisation=form.cleaned_data["organisation"],
                    actor=request.user,
                )
            except PlanError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Värdet är sparat."))
                return redirect(request.path)
    values = IndicatorValue.objects.filter(indicator=indicator).select_related("organisation")
    return render(
        request,
        "actionplans/indicator_values.html",
        {
            "plan": plan,
            "county": plan.county,
            "indicator": indicator,
            "values": values.order_by("year", "organisation__name"),
            "form": form,
            "may_edit": may_edit,
        },
    )


@login_required
def indicator_value_delete(
    request: HttpRequest, county_code: str, pk: int, part_pk: int, value_pk: int
) -> HttpResponse:
    """Ask for confirmation (GET), then remove one recorded value (POST)."""
    plan = _plan(request, county_code, pk)
    indicator = _part(PART_KINDS["indikator"], plan, part_pk)
    value = get_object_or_404(
        IndicatorValue.objects.select_related("organisation"), pk=value_pk, indicator=indicator
    )
    _require_edit(request, plan)
    back_url = reverse(
        "actionplans:indicator-values", args=[plan.county.code, plan.pk, indicator.pk]
    )
    if request.method == "POST":
        try:
            services.indicator_value_delete(value_id=value.pk, actor=request.user)
        except PlanError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Värdet är borttaget."))
        return redirect(back_url)
    return render(
        request,
        "actionplans/indicator_value_delete.html",
        {
            "plan": plan,
            "county": plan.county,
            "indicator": indicator,
            "value": value,
            "back_url": back_url,
        },
    )
