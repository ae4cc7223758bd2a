"""The plan's parts (goals, delmål, activities, indicators): create, edit, delete, move, and an
indicator's values per year. Writes go through ``actionplans.services``."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
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
from django_stubs_ext import StrOrPromise

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
from kvinnofrid.core.conflicts import conflict_response
from kvinnofrid.core.forms import ConfirmForm, MoveForm
from kvinnofrid.core.locking import StaleObjectError

# --- parts (goals, delmål, activities, indicators) ---------------------------------------------


@dataclass(frozen=True)
class PartKind:
    slug: str
    model: type[models.Model]
    form: Callable[..., forms.ModelForm[Any]]
    parent_model: type[models.Model] | None
    label: StrOrPromise
    create: Any
    update: Any
    delete: Any
    move: Any
    id_arg: str


PART_KINDS = {
    "mal": PartKind(
        "mal",
        Goal,
        GoalForm,
        None,
        gettext_lazy("mål"),
        lambda parent, plan, data, actor: services.goal_create(
            plan_id=plan.pk, data=data, actor=actor
        ),
        services.goal_update,
        services.goal_delete,
        services.goal_move,
        "goal_id",
    ),
    "delmal": PartKind(
        "delmal",
        SubGoal,
        SubGoalForm,
        Goal,
        gettext_lazy("delmål"),
        lambda parent, plan, data, actor: services.subgoal_create(
            goal_id=parent.pk, data=data, actor=actor
        ),
        services.subgoal_update,
        services.subgoal_delete,
        services.subgoal_move,
        "subgoal_id",
    ),
    "aktivitet": PartKind(
        "aktivitet",
        PlannedActivity,
        PlannedActivityForm,
        SubGoal,
        gettext_lazy("aktivitet"),
        lambda parent, plan, data, actor: services.activity_create(
            subgoal_id=parent.pk, data=data, actor=actor
        ),
        services.activity_update,
        services.activity_delete,
        services.activity_move,
        "activity_id",
    ),
    "indikator": PartKind(
        "indikator",
        Indicator,
        IndicatorForm,
        None,
        gettext_lazy("indikator"),
        lambda parent, plan, data, actor: services.indicator_create(
            plan_id=plan.pk, data=data, actor=actor
        ),
        services.indicator_update,
        services.indicator_delete,
        services.indicator_move,
        "indicator_id",
    ),
}


def _part_kind(kind: str) -> PartKind:
    try:
        return PART_KINDS[kind]
    except KeyError:
        raise Http404 from None


def _part(kind: PartKind, plan: ActionPlan, part_pk: int) -> Any:
    obj = kind.model._default_manager.filter(pk=part_pk).first()
    if obj is None or services.part_plan_id(obj) != plan.pk:
        raise Http404
    return obj


def _anchor(kind: PartKind, pk: int) -> str:
    return f"{kind.slug}-{pk}"


def _editable_plan(request: HttpRequest, county_code: str, pk: int) -> ActionPlan | HttpResponse:
    plan = _plan(request, county_code, pk)
    _require_edit(request, plan)
    if not plan.is_editable:
        messages.error(request, _("Planen är antagen och kan inte ändras. Revidera den först."))
        return redirect(_detail_url(plan))
    return plan


def _data(form: forms.BaseForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}


@login_required
def part_create(request: HttpRequest, county_code: str, pk: int, kind: str) -> HttpResponse:
    """Add a goal, delmål (``?under=<goal>``), activity (``?under=<delmål>``) or indicator."""
    part_kind = _part_kind(kind)
    plan = _editable_plan(request, county_code, pk)
    if isinstance(plan, HttpResponse):
        return plan
    parent = None
    if part_kind.parent_model is not None:
        try:
            parent_pk = int(request.GET.get("under", ""))
        except ValueError:
            raise Http404 from None
        parent = part_kind.parent_model._default_manager.filter(pk=parent_pk).first()
        if parent is None or services.part_plan_id(parent) != plan.pk:
            raise Http404
    initial = {}
    if part_kind.model is Goal:
        initial["number"] = (plan.goals.aggregate(m=models.Max("number"))["m"] or 0) + 1
    form = part_kind.form(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            obj = part_kind.create(parent, plan, _data(form), request.user)
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sparat."))
            return redirect(_editor_url(plan, _anchor(part_kind, obj.pk)))
    return render(
        request,
        "actionplans/part_form.html",
        {
            "plan": plan,
            "county": plan.county,
            "form": form,
            "kind": part_kind,
            "parent": parent,
            "heading": _("Lägg till %(kind)s") % {"kind": part_kind.label},
            "back_url": _editor_url(plan),
        },
    )


@login_required
def part_edit(
    request: HttpRequest, county_code: str, pk: int, kind: str, part_pk: int
) -> HttpResponse:
    """Edit one part; a stale ``lock_version`` gives the 409 conflict page."""
    part_kind = _part_kind(kind)
    plan = _editable_plan(request, county_code, pk)
    if isinstance(plan, HttpResponse):
        return plan
    obj = _part(part_kind, plan, part_pk)
    form = part_kind.form(request.POST or None, instance=obj, plan=plan)
    back_url = _editor_url(plan, _anchor(part_kind, obj.pk))
    if request.method == "POST" and form.is_valid():
        try:
            part_kind.update(
                **{part_kind.id_arg: obj.pk},
                expected_version=form.cleaned_data.get("lock_version"),
                data=_data(form),
                actor=request.user,
            )
        except StaleObjectError as exc:
            return conflict_response(
                request,
                form_class=part_kind.form,
                form_kwargs={"plan": plan},
                current=exc.current,
                title=str(exc.current),
                back_url=back_url,
            )
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sparat."))
            return redirect(back_url)
    return render(
        request,
        "actionplans/part_form.html",
        {
            "plan": plan,
            "county": plan.county,
            "form": form,
            "kind": part_kind,
            "object": obj,
            "heading": _("Redigera %(kind)s") % {"kind": part_kind.label},
            "back_url": back_url,
        },
    )


@login_required
def part_delete(
    request: HttpRequest, county_code: str, pk: int, kind: str, part_pk: int
) -> HttpResponse:
    """Ask for confirmation, then delete the part (and what lies under it)."""
    part_kind = _part_kind(kind)
    plan = _editable_plan(request, county_code, pk)
    if isinstance(plan, HttpResponse):
        return plan
    obj = _part(part_kind, plan, part_pk)
    form = ConfirmForm(request.POST or None, initial={"lock_version": obj.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            part_kind.delete(
                **{part_kind.id_arg: obj.pk},
                expected_version=form.cleaned_data.get("lock_version"),
                actor=request.user,
            )
        except StaleObjectError:
            messages.error(
                request,
                _(
                    "Någon annan har ändrat det här sedan du öppnade sidan. Kontrollera och försök igen."
                ),
            )
            return redirect(request.path)
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Borttaget."))
            return redirect(_editor_url(plan))
    return render(
        request,
        "actionplans/part_delete.html",
        {
            "plan": plan,
            "county": plan.county,
            "form": form,
            "kind": part_kind,
            "object": obj,
            "back_url": _editor_url(plan, _anchor(part_kind, obj.pk)),
        },
    )


@login_required
@require_POST
def part_move(
    request: HttpRequest, county_code: str, pk: int, kind: str, part_pk: int
) -> HttpResponse:
    """Move a part one step up or down (a POST button per direction; keyboard accessible)."""
    part_kind = _part_kind(kind)
    plan = _editable_plan(request, county_code, pk)
    if isinstance(plan, HttpResponse):
        return plan
    obj = _part(part_kind, plan, part_pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Okänd riktning."))
    else:
        try:
            part_kind.move(
                **{part_kind.id_arg: obj.pk},
                direction=form.cleaned_data["direction"],
                actor=request.user,
            )
        except PlanError as exc:
            messages.error(request, exc.message)
    return redirect(_editor_url(plan, _anchor(part_kind, obj.pk)))


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
