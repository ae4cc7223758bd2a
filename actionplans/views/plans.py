"""The county start page and the plan pages: list, create, view, editor, adopt, revise, delete,
history and comparison. Every view fetches through ``visible_to`` and checks the predicate;
writes go through ``actionplans.services``."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actionplans import expiry, selectors, services, start_readers, tree_cells, tree_readers
from actionplans.exceptions import PlanError
from actionplans.forms import ActionPlanForm
from actionplans.models import ActionPlan
from actionplans.permissions import can_edit_plan, can_view_plan
from actionplans.views.common import (
    FIELD_LABELS,
    _county,
    _detail_url,
    _editor_url,
    _plan,
    _require_edit,
)
from agreements.permissions import can_edit_county
from kvinnofrid.core import fragments
from kvinnofrid.core.conflicts import conflict_response
from kvinnofrid.core.forms import ConfirmForm, SafeModelChoiceField, model_choice_field
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.panels import county_start_panels

# --- county start -----------------------------------------------------------------------------


@login_required
def county_start(request: HttpRequest, county_code: str) -> HttpResponse:
    """The county's start page: its agreement, its current plan and the follow-up status.

    The agreement and plan sections are one cached fragment shared by everyone who sees them
    alike (key: the county's version, the edit flag, today's date for the agreement's
    days left, the language); the follow-up panel caches its own fragment."""
    county = _county(request, county_code)
    may_edit = can_edit_county(request.user, county.pk)

    def context() -> dict[str, Any]:
        # all of the county's agreements and plans (a few rows): the current ones, the draft
        # revising the plan and the expiry warnings are picked from them
        # only the columns the page and the expiry warnings read
        agreements = start_readers.county_agreements(county_id=county.pk)
        plans = start_readers.county_plans(county_id=county.pk)
        plan = selectors.current_plan_among(plans, include_drafts=may_edit)
        goals, revision_drafts = [], []
        if plan is not None:
            plan.county = county
            goals = selectors.plan_goals(plan=plan)
            revision_drafts = [
                p for p in plans if p.supersedes_id == plan.pk and p.status == p.Status.DRAFT
            ]
        return {
            "county": county,
            "agreement": agreements[0] if agreements else None,
            "plan": plan,
            "goals": goals,
            "revision_drafts": revision_drafts,
            "may_edit": may_edit,
            # issue 14: agreement or plan ending within 90 days
            "expiry_warnings": expiry.county_expiry_warnings(
                county=county, agreements=agreements, plans=plans
            ),
        }

    content = fragments.cached_fragment(
        template="actionplans/_county_start_content.html",
        county_id=county.pk,
        flags=(may_edit, timezone.localdate()),
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
    plans = (
        ActionPlan.objects.visible_to(request.user)
        .filter(county=county)
        .order_by("-period_start", "-version", "-id")
    )
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


@login_required
def plan_detail(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """The readable plan: goals → delmål → activities → indicators; constant query count.

    The breadcrumbs and the content are one cached fragment, shared by everyone who sees it
    alike (key: the county's version, the plan, the edit flag, the language)."""
    # the header's fields and the county's code and name, in one written-out read
    plan = tree_readers.plan_for_detail(pk, county_code)
    if plan is None:
        raise Http404("No ActionPlan matches the given query.")
    # visible_to(user) as a check of the row read (the same rule, without compiling its filter)
    if not can_view_plan(request.user, plan):
        raise Http404
    may_edit = can_edit_plan(request.user, plan)

    def context() -> dict[str, Any]:
        texts = tree_cells.words()
        tree = selectors.plan_tree(plan=plan, texts=texts)
        # one reverse for every indicator's link: .../indikator/<id>/varden/
        head, tail = reverse(
            "actionplans:indicator-values", args=[plan.county.code, plan.pk, 0]
        ).rsplit("/0/", 1)
        for indicator in tree["indicators"]:  # the editor shows them with its controls
            url = f"{head}/{indicator['id']}/{tail}"
            indicator["section"] = tree_cells.indicator_section(indicator, url, texts)
        shown: dict[str, Any] = {"plan": plan, "tree": tree, "county": plan.county}
        if may_edit and plan.status == ActionPlan.Status.ADOPTED:  # the header's revision links
            shown["revisions"] = tree_readers.revisions(plan.pk)
        return shown | {"may_edit": may_edit}

    breadcrumbs, content = fragments.split(
        fragments.cached_fragment(
            template="actionplans/_plan_detail_content.html",
            county_id=plan.county_id,
            flags=(plan.pk, may_edit),
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
    context = {"plan": plan, "county": plan.county, "may_edit": True, "editing": True}
    return render(
        request,
        "actionplans/plan_editor.html",
        context | {"tree": selectors.plan_tree(plan=plan)},
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
            result: HttpResponse = action(form.cleaned_data.get("lock_version"))
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
    draft = plan.superseded_by.filter(status=ActionPlan.Status.DRAFT).first()
    if draft is not None:  # revising again leads to the draft, never to a dead end
        messages.info(
            request,
            _("Planen revideras redan: här är utkastet till version %(version)s.")
            % {"version": draft.version},
        )
        return redirect(_detail_url(draft))

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


class _PlanVersionField(SafeModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Version %(v)s – %(title)s (%(status)s)") % {
            "v": obj.version,
            "title": obj.title,
            "status": obj.get_status_display(),
        }


class CompareForm(forms.Form):
    med = _PlanVersionField(
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
    model_choice_field(form, "med").queryset = others.order_by("-version")
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
