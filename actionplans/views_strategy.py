"""National strategy frame pages (issue 14): the list and a frame's goals for national observers
and admins; creating and editing frames, goals, sub-goals and the crosswalk for national admins.

Everyone else gets a 404 (the pages are national, outside their scope); an observer asking for an
edit page gets a 403. Writes go through ``actionplans.strategies``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from actionplans import strategies
from actionplans.exceptions import PlanError
from actionplans.forms_strategy import NationalGoalForm, StrategyForm
from actionplans.models import NationalGoal, NationalStrategy
from kvinnofrid.core.forms import ConfirmForm


def _require_view(request: HttpRequest) -> None:
    if not strategies.can_view_strategies(request.user):
        raise Http404


def _require_edit(request: HttpRequest) -> None:
    _require_view(request)
    if not strategies.can_edit_strategies(request.user):
        raise PermissionDenied


def _detail_url(strategy: NationalStrategy) -> str:
    return reverse("actionplans:strategy-detail", args=[strategy.pk])


@login_required
def strategy_list(request: HttpRequest) -> HttpResponse:
    """Every strategy frame with its period and number of goals."""
    _require_view(request)
    return render(
        request,
        "actionplans/strategy_list.html",
        {
            "strategies": strategies.strategy_list(),
            "may_edit": strategies.can_edit_strategies(request.user),
        },
    )


@login_required
def strategy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One frame: its goals with sub-goals and the crosswalk to and from other frames."""
    _require_view(request)
    try:
        strategy = strategies.strategy_with_goals(pk=pk)
    except NationalStrategy.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "actionplans/strategy_detail.html",
        {
            "strategy": strategy,
            "plan_count": strategies.plans_on(strategy).count(),
            "may_edit": strategies.can_edit_strategies(request.user),
        },
    )


def _strategy_form_page(
    request: HttpRequest, form: StrategyForm, strategy: NationalStrategy | None
) -> HttpResponse:
    heading = _("Ny nationell ram") if strategy is None else _("Ändra nationell ram")
    return render(
        request,
        "actionplans/strategy_form.html",
        {"form": form, "strategy": strategy, "heading": heading},
    )


@login_required
def strategy_create(request: HttpRequest) -> HttpResponse:
    """A national admin creates a frame (title and period); goals are added on its page."""
    _require_edit(request)
    form = StrategyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            strategy = strategies.strategy_create(data=form.cleaned_data, actor=request.user)
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Ramen är skapad. Lägg till dess målsättningar."))
            return redirect(_detail_url(strategy))
    return _strategy_form_page(request, form, None)


@login_required
def strategy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin changes a frame's title or period."""
    _require_edit(request)
    strategy = get_object_or_404(NationalStrategy, pk=pk)
    initial = {
        "name": strategy.name,
        "valid_from": strategy.valid_from,
        "valid_until": strategy.valid_until,
    }
    form = StrategyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            strategies.strategy_update(
                strategy_id=strategy.pk, data=form.cleaned_data, actor=request.user
            )
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Ramen är sparad."))
            return redirect(_detail_url(strategy))
    return _strategy_form_page(request, form, strategy)


def _goal_form_page(
    request: HttpRequest, form: NationalGoalForm, strategy: NationalStrategy, goal: Any
) -> HttpResponse:
    heading = _("Ny målsättning") if goal is None else _("Ändra målsättning")
    return render(
        request,
        "actionplans/strategy_goal_form.html",
        {"form": form, "strategy": strategy, "goal": goal, "heading": heading},
    )


@login_required
def national_goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A national admin adds a numbered goal (with sub-goals and crosswalk) to a frame."""
    _require_edit(request)
    strategy = get_object_or_404(NationalStrategy, pk=pk)
    next_number = (
        strategy.goals.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    form = NationalGoalForm(
        request.POST or None, strategy=strategy, initial={"number": next_number}
    )
    if request.method == "POST" and form.is_valid():
        try:
            strategies.national_goal_create(
                strategy_id=strategy.pk, data=form.cleaned_data, actor=request.user
            )
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Målsättningen är sparad."))
            return redirect(_detail_url(strategy))
    return _goal_form_page(request, form, strategy, None)


def _goal(pk: int, goal_pk: int) -> NationalGoal:
    return get_object_or_404(
        NationalGoal.objects.select_related("strategy"), pk=goal_pk, strategy_id=pk
    )


@login_required
def national_goal_edit(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """A national admin changes a frame goal, its sub-goals and where it continues."""
    _require_edit(request)
    goal = _goal(pk, goal_pk)
    initial = {
        "number": goal.number,
        "title": goal.title,
        "short_title": goal.short_title,
        "sub_goals": "\n".join(s.title for s in goal.sub_goals.all()),
        "continues_in": list(goal.crosswalk_to.values_list("to_goal_id", flat=True)),
    }
    form = NationalGoalForm(request.POST or None, strategy=goal.strategy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            strategies.national_goal_update(
                goal_id=goal.pk, data=form.cleaned_data, actor=request.user
            )
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Målsättningen är sparad."))
            return redirect(_detail_url(goal.strategy))
    return _goal_form_page(request, form, goal.strategy, goal)


@login_required
def national_goal_delete(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """A national admin deletes a frame goal that no plan or agreement uses (asks first)."""
    _require_edit(request)
    goal = _goal(pk, goal_pk)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            strategies.national_goal_delete(goal_id=goal.pk, actor=request.user)
        except PlanError as exc:
            error = exc.message
        else:
            messages.success(request, _("Målsättningen är borttagen."))
            return redirect(_detail_url(goal.strategy))
    return render(
        request,
        "actionplans/strategy_goal_delete.html",
        {"form": form, "goal": goal, "strategy": goal.strategy, "error": error},
    )
