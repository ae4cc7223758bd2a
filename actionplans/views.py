"""Action plan pages: the county start page, the plan view, the editor, versions and import/export.

Every view fetches through ``visible_to`` (another county is a 404) and checks the predicate
(a visible object the user may not change is a 403); writes go through ``actionplans.services``.
"""

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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from actionplans import expiry, fragments, interchange, selectors, services
from actionplans.exceptions import PlanError
from actionplans.forms import (
    ActionPlanForm,
    GoalForm,
    IndicatorForm,
    IndicatorValueForm,
    PlanImportForm,
    PlannedActivityForm,
    SubGoalForm,
)
from actionplans.models import ActionPlan, Goal, Indicator, IndicatorValue, PlannedActivity, SubGoal
from actionplans.permissions import can_edit_plan
from agreements.forms import ConfirmForm, MoveForm, SafeModelChoiceField
from agreements.models import Agreement
from agreements.permissions import can_edit_county
from kvinnofrid.core.conflicts import conflict_response
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.panels import county_start_panels
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
    "sub_goals": gettext_lazy("Delmål"),
}


def _county(request: HttpRequest, county_code: str) -> County:
    return get_object_or_404(County.objects.visible_to(request.user), code=county_code)


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


# --- county start -----------------------------------------------------------------------------


@login_required
def county_start(request: HttpRequest, county_code: str) -> HttpResponse:
    """The county's start page: its agreement, its current plan and the follow-up status.

    The agreement and plan sections are one cached fragment shared by everyone who sees them
    alike (key: the county's data fingerprint, the edit flag, today's date for the agreement's
    days left, the language); the follow-up panel caches its own fragment."""
    county = _county(request, county_code)
    may_edit = can_edit_county(request.user, county.pk)

    def context() -> dict[str, Any]:
        agreement = Agreement.objects.filter(county=county).order_by("-valid_from", "-id").first()
        current = selectors.county_current_plan(county=county)
        plan = selectors.plan_with_goals(pk=current.pk) if current else None
        return {
            "county": county,
            "agreement": agreement,
            "plan": plan,
            "may_edit": may_edit,
            # issue 14: agreement or plan ending within 90 days
            "expiry_warnings": expiry.county_expiry_warnings(county=county),
        }

    content = fragments.cached_fragment(
        templates=(
            "actionplans/_county_start_content.html",
            "actionplans/_plan_status.html",
            "actionplans/_expiry_warnings.html",
        ),
        version=(
            selectors.county_start_version(county=county),
            may_edit,
            timezone.localdate(),
        ),
        context=context,
    )
    return render(
        request,
        "actionplans/county_start.html",
        {
            "county": county,
            "content": content,
            "may_edit": may_edit,
            "panels": county_start_panels(request, county),
        },
    )


# --- plans ------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest, county_code: str) -> HttpResponse:
    """Every plan and version of the county."""
    county = _county(request, county_code)
    plans = ActionPlan.objects.filter(county=county).order_by("-period_start", "-version", "-id")
    return render(
        request,
        "actionplans/plan_list.html",
        {"county": county, "plans": plans, "may_edit": can_edit_county(request.user, county.pk)},
    )


@login_required
def plan_create(request: HttpRequest, county_code: str) -> HttpResponse:
    """A coordinator starts a new draft plan for the county."""
    county = _county(request, county_code)
    if not can_edit_county(request.user, county.pk):
        raise PermissionDenied
    form = ActionPlanForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(county=county, data=form.cleaned_data, actor=request.user)
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Planen är skapad. Lägg till mål och delmål."))
            return redirect(_editor_url(plan))
    return render(
        request,
        "actionplans/plan_form.html",
        {"county": county, "form": form, "plan": None, "heading": _("Ny plan")},
    )


# what the plan view reads outside its cached fragment (breadcrumbs, title, permission, key);
# fewer columns make the scoped fetch cheaper to compile
PLAN_DETAIL_FIELDS = (
    "title",
    "version",
    "lock_version",
    "updated_at",
    "county__code",
    "county__name",
)
PLAN_DETAIL_TEMPLATES = (
    "actionplans/_plan_detail_content.html",
    "actionplans/_breadcrumbs.html",
    "actionplans/_plan_header.html",
    "actionplans/_plan_status.html",
    "actionplans/_plan_tree.html",
)


@login_required
def plan_detail(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """The readable plan: goals → delmål → activities → indicators; constant query count.

    The breadcrumbs and the content are one cached fragment, shared by everyone who sees it
    alike (key: the plan tree's fingerprint, the county's name, the edit flag, the language)."""
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(request.user)
        .select_related("county")
        .only(*PLAN_DETAIL_FIELDS),
        pk=pk,
        county__code=county_code,
    )
    may_edit = can_edit_plan(request.user, plan)

    def context() -> dict[str, Any]:
        tree = selectors.plan_with_tree(plans=ActionPlan.objects.all(), pk=plan.pk)
        return {"plan": tree, "county": tree.county, "may_edit": may_edit}

    breadcrumbs, content = fragments.split(
        fragments.cached_fragment(
            templates=PLAN_DETAIL_TEMPLATES,
            version=(selectors.plan_tree_version(plan=plan), plan.county.name, may_edit),
            context=context,
        ),
        2,
    )
    return render(
        request,
        "actionplans/plan_detail.html",
        {
            "plan": plan,
            "county": plan.county,
            "may_edit": may_edit,
            "breadcrumbs": breadcrumbs,
            "content": content,
        },
    )


@login_required
def plan_editor(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """The editor: the plan tree with edit, delete, move and add controls (drafts only)."""
    plan = _plan(request, county_code, pk)
    _require_edit(request, plan)
    if not plan.is_editable:
        messages.error(request, _("Planen är antagen och kan inte ändras. Revidera den först."))
        return redirect(_detail_url(plan))
    plan = selectors.plan_with_tree(plans=ActionPlan.objects.select_related("county"), pk=plan.pk)
    return render(
        request,
        "actionplans/plan_editor.html",
        {"plan": plan, "county": plan.county, "may_edit": True, "editing": True},
    )


@login_required
def plan_edit(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Edit the plan's own fields (title, period, vision …)."""
    plan = _plan(request, county_code, pk)
    _require_edit(request, plan)
    if not plan.is_editable:
        messages.error(request, _("Planen är antagen och kan inte ändras. Revidera den först."))
        return redirect(_detail_url(plan))
    form = ActionPlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            services.plan_update(
                plan_id=plan.pk,
                expected_version=form.cleaned_data.get("lock_version"),
                data=data,
                actor=request.user,
            )
        except StaleObjectError as exc:
            return conflict_response(
                request,
                form_class=ActionPlanForm,
                form_kwargs={},
                current=exc.current,
                title=_("Planens uppgifter"),
                back_url=_editor_url(plan),
            )
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Planens uppgifter är sparade."))
            return redirect(_editor_url(plan))
    return render(
        request,
        "actionplans/plan_form.html",
        {"county": plan.county, "form": form, "plan": plan, "heading": _("Planens uppgifter")},
    )


def _confirm_view(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    template_context: dict[str, Any],
    action: Any,
) -> HttpResponse:
    form = ConfirmForm(request.POST or None, initial={"lock_version": plan.lock_version})
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data.get("lock_version"))
        except StaleObjectError:
            messages.error(
                request,
                _("Planen har ändrats sedan du öppnade sidan. Kontrollera den och försök igen."),
            )
            return redirect(request.path)
        except PlanError as exc:
            form.add_error(None, exc.message)
        else:
            return result
    return render(
        request,
        "actionplans/plan_confirm.html",
        {"plan": plan, "county": plan.county, "form": form, **template_context},
    )


@login_required
def plan_adopt(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Confirm and adopt a draft; the version it supersedes is archived."""
    plan = _plan(request, county_code, pk)
    _require_edit(request, plan)

    def action(version: int | None) -> HttpResponse:
        services.plan_adopt(plan_id=plan.pk, expected_version=version, actor=request.user)
        messages.success(request, _("Planen är antagen."))
        return redirect(_detail_url(plan))

    return _confirm_view(
        request,
        plan,
        action=action,
        template_context={
            "heading": _("Anta planen"),
            "question": _(
                "När planen är antagen kan den inte ändras. Föregående antagna version arkiveras."
            ),
            "button": _("Anta"),
            "refused": None if plan.is_editable else _("Bara ett utkast kan antas."),
        },
    )


@login_required
def plan_revise(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Confirm and create a new draft version (deep copy) of an adopted plan."""
    plan = _plan(request, county_code, pk)
    _require_edit(request, plan)

    def action(_version: int | None) -> HttpResponse:
        new = services.plan_revise(plan_id=plan.pk, actor=request.user)
        messages.success(
            request, _("Version %(version)s är skapad som utkast.") % {"version": new.version}
        )
        return redirect(_editor_url(new))

    refused = None
    if plan.status != ActionPlan.Status.ADOPTED:
        refused = _("Bara en antagen plan kan revideras.")
    return _confirm_view(
        request,
        plan,
        action=action,
        template_context={
            "heading": _("Revidera planen"),
            "question": _(
                "Ett nytt utkast (version %(version)s) skapas som en kopia av planen. "
                "Den antagna versionen gäller tills utkastet antas."
            )
            % {"version": plan.version + 1},
            "button": _("Revidera"),
            "refused": refused,
        },
    )


@login_required
def plan_delete(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Confirm and delete a draft plan (e.g. an abandoned revision or import)."""
    plan = _plan(request, county_code, pk)
    _require_edit(request, plan)

    def action(version: int | None) -> HttpResponse:
        services.plan_delete(plan_id=plan.pk, expected_version=version, actor=request.user)
        messages.success(request, _("Utkastet är borttaget."))
        return redirect("actionplans:plan-list", plan.county.code)

    return _confirm_view(
        request,
        plan,
        action=action,
        template_context={
            "heading": _("Ta bort utkastet"),
            "question": _("Utkastet tas bort med alla mål, delmål, aktiviteter och indikatorer."),
            "button": _("Ja, ta bort"),
            "refused": None if plan.is_editable else _("Bara ett utkast kan tas bort."),
        },
    )


@login_required
def plan_history(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Who changed what and when in this version of the plan."""
    plan = _plan(request, county_code, pk)
    entries = selectors.plan_history(plan=plan)
    for entry in entries:
        entry.change_rows = [
            (FIELD_LABELS.get(name, name), values[0], values[1])
            for name, values in entry.changes.items()
            if isinstance(values, list) and len(values) == 2
        ]
    return render(
        request,
        "actionplans/plan_history.html",
        {"plan": plan, "county": plan.county, "entries": entries},
    )


class CompareForm(forms.Form):
    med = SafeModelChoiceField(
        label=gettext_lazy("Jämför med version"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


@login_required
def plan_compare(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Added, removed and changed parts between this plan and another version (default: the one
    it supersedes)."""
    plan = _plan(request, county_code, pk)
    others = ActionPlan.objects.filter(county_id=plan.county_id).exclude(pk=plan.pk)
    form = CompareForm(request.GET or None, initial={"med": plan.supersedes_id})
    form.fields["med"].queryset = others.order_by("-version")
    form.fields["med"].label_from_instance = lambda p: (
        _("Version %(v)s – %(title)s (%(status)s)")
        % {
            "v": p.version,
            "title": p.title,
            "status": p.get_status_display(),
        }
    )
    other_id = plan.supersedes_id
    if form.is_bound and form.is_valid():
        other_id = form.cleaned_data["med"].pk
    comparison = None
    if other_id:
        base = ActionPlan.objects.select_related("county")
        other = selectors.plan_with_tree(plans=base, pk=other_id)
        this = selectors.plan_with_tree(plans=base, pk=plan.pk)
        old, new = (other, this) if other.version <= this.version else (this, other)
        comparison = selectors.plan_compare(old=old, new=new)
        for change in comparison.changes:
            change.rows = [(FIELD_LABELS.get(n, n), a, b) for n, a, b in change.fields]
    return render(
        request,
        "actionplans/plan_compare.html",
        {"plan": plan, "county": plan.county, "form": form, "comparison": comparison},
    )


# --- parts (goals, delmål, activities, indicators) ---------------------------------------------


@dataclass(frozen=True)
class PartKind:
    slug: str
    model: type[models.Model]
    form: type[forms.ModelForm]
    parent_model: type[models.Model] | None
    label: str
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
    obj = kind.model.objects.filter(pk=part_pk).first()
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


def _data(form: forms.Form) -> dict[str, Any]:
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
        parent = part_kind.parent_model.objects.filter(pk=parent_pk).first()
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
        if not may_edit:
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


# --- import / export -----------------------------------------------------------------------------


@login_required
def plan_export(request: HttpRequest, county_code: str, pk: int, fmt: str) -> HttpResponse:
    """Download the plan in the interchange format (JSON or XLSX)."""
    plan = _plan(request, county_code, pk)
    if fmt not in ("json", "xlsx"):
        raise Http404
    data = interchange.plan_export(plan=plan)
    stem = f"plan-{plan.county.code}-{plan.pk}-v{plan.version}"
    if fmt == "xlsx":
        response = HttpResponse(
            interchange.plan_to_xlsx(data),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            interchange.plan_to_json(data), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


SESSION_IMPORT_KEY = "actionplans_import"


@login_required
def plan_import(request: HttpRequest, county_code: str) -> HttpResponse:
    """Upload a plan file → preview → create a draft plan in the county."""
    county = _county(request, county_code)
    if not can_edit_county(request.user, county.pk):
        raise PermissionDenied
    preview = None
    form = PlanImportForm()
    if request.method == "POST" and request.POST.get("step") == "create":
        stored = request.session.get(SESSION_IMPORT_KEY)
        if not stored or stored.get("county") != county.code:
            messages.error(request, _("Ladda upp filen igen."))
            return redirect(request.path)
        try:
            plan = interchange.plan_import(
                data=stored["data"], actor=request.user, county_code=county.code
            )
        except interchange.PlanImportError as exc:
            messages.error(request, str(exc))
            return redirect(request.path)
        request.session.pop(SESSION_IMPORT_KEY, None)
        messages.success(request, _("Planen är importerad som utkast."))
        return redirect(_detail_url(plan))
    if request.method == "POST":
        form = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = interchange.parse_plan_file(content=upload.read(), filename=upload.name)
                preview = interchange.validate_plan_data(data, county_code=county.code)
            except interchange.PlanImportError as exc:
                form.add_error("file", str(exc))
            else:
                request.session[SESSION_IMPORT_KEY] = {"county": county.code, "data": data}
    return render(
        request,
        "actionplans/plan_import.html",
        {"county": county, "form": form, "preview": preview},
    )
