"""Follow-up rounds: the index (forms and rounds), create, edit, the response overview, status
changes, questions and export. Views fetch through ``visible_to`` scopes (out of scope → 404),
check a predicate (→ 403) and call a service; refusals are messages, never a 500."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from actionplans.models import ActionPlan
from followup import overview_cells, permissions, selectors, services
from followup.exceptions import FollowUpError
from followup.forms import (
    QuestionForm,
    RoundForm,
)
from followup.models import FollowUpRound, StatusReport
from followup.selectors.round_page import round_page
from kvinnofrid.core import fragments
from kvinnofrid.core.csrf import CSRF_PLACEHOLDER, fill_csrf
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.parsing import parse_id, parse_int
from kvinnofrid.directory.models import Organisation
from kvinnofrid.directory.scopes import can_view_county, sees_all_counties

# --- overview of rounds / my forms --------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Reporters: their organisation's forms. Coordinators, management and observers: the
    rounds of one year (``?ar=``, default the newest), with links to the other years. For those
    who see every county the rounds section is a national cached fragment (key: the national
    version, the year asked for, the language)."""
    user = request.user
    asked = request.GET.get("ar", "")
    asked = asked if parse_int(asked, minimum=1000, maximum=9999) is not None else ""
    may_create = permissions.coordinated_county_ids(user) != set()

    def context() -> dict[str, Any]:
        years = selectors.round_years_visible_to(user=user)
        year = next((y for y in years if str(y) == asked), years[0] if years else None)
        rounds = [
            r
            for r in selectors.rounds_visible_to(user=user, year=year)
            if permissions.can_view_round_overview(user, r)
        ]
        years = years if rounds else []
        return {
            "rounds": rounds,
            "round_rows": overview_cells.index_rows(rounds),
            "years": years,
            "year": year,
            "may_create": may_create,
        }

    template = "followup/_index_rounds.html"
    if sees_all_counties(user):
        section = fragments.cached_fragment(
            template=template, county_id=None, flags=(asked, may_create), context=context
        )
    else:
        section = render_to_string(template, context())
    return render(
        request,
        "followup/index.html",
        {
            "submissions": selectors.reporter_submissions(user=user),
            "rounds_section": section,
            "may_create": may_create,
        },
    )


# --- rounds -------------------------------------------------------------------------------------


def _round_form_choices(user: Any, county_id: int | None = None) -> tuple[list[Any], Any]:
    ids = permissions.coordinated_county_ids(user)
    plans = (
        ActionPlan.objects.current()
        .select_related("county")
        .order_by("county__code", "-period_start")
    )
    orgs = Organisation.objects.active_on(timezone.localdate()).order_by("kind", "name")
    if ids is not None:
        plans = plans.filter(county_id__in=ids)
        orgs = orgs.filter(county_id__in=ids)
    if county_id is not None:
        plans = plans.filter(county_id=county_id)
        orgs = orgs.filter(county_id=county_id)
    return list(plans), orgs


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    if permissions.coordinated_county_ids(request.user) == set():
        raise PermissionDenied
    plans, orgs = _round_form_choices(request.user)
    year = timezone.localdate().year - 1
    initial = {
        "year": year,
        "title": _("Uppföljning %(year)s") % {"year": year},
        "organisations": list(orgs.values_list("pk", flat=True)),
    }
    plan_id = parse_id(request.GET.get("plan", ""))
    if plan_id is not None:
        initial["plan"] = plan_id
    form = RoundForm(request.POST or None, initial=initial, plans=plans, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            round_ = services.round_create(
                plan_id=d["plan"],
                year=d["year"],
                title=d["title"],
                instructions=d["instructions"],
                opens_on=d["opens_on"],
                deadline=d["deadline"],
                organisation_ids=[o.pk for o in d["organisations"]],
                actor=request.user,
            )
        except FollowUpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Uppföljningen har skapats som utkast."))
            return redirect("followup:round-detail", pk=round_.pk)
    return render(request, "followup/round_form.html", {"form": form, "round": None})


def _get_round(request: HttpRequest, pk: int) -> FollowUpRound:
    return get_object_or_404(
        FollowUpRound.objects.visible_to(request.user).select_related("plan__county"), pk=pk
    )


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _get_round(request, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied
    plans, orgs = _round_form_choices(request.user, round_.plan.county_id)
    initial = {
        "plan": round_.plan_id,
        "year": round_.year,
        "title": round_.title,
        "instructions": round_.instructions,
        "opens_on": round_.opens_on,
        "deadline": round_.deadline,
        "organisations": list(round_.invited_organisations.values_list("pk", flat=True)),
        "lock_version": round_.lock_version,
    }
    form = RoundForm(request.POST or None, initial=initial, plans=plans, organisations=orgs)
    form.fields["plan"].disabled = True
    form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.round_update(
                round_id=round_.pk,
                lock_version=d["lock_version"],
                title=d["title"],
                instructions=d["instructions"],
                opens_on=d["opens_on"],
                deadline=d["deadline"],
                organisation_ids=[o.pk for o in d["organisations"]],
                actor=request.user,
            )
        except StaleObjectError:
            form.add_error(
                None,
                _(
                    "Någon annan har ändrat uppföljningen sedan du öppnade sidan. Ladda om sidan "
                    "och gör ändringen igen."
                ),
            )
        except FollowUpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Uppföljningen har sparats."))
            return redirect("followup:round-detail", pk=round_.pk)
    return render(request, "followup/round_form.html", {"form": form, "round": round_})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The response overview of a round (coordinators, management, observers).

    The round's details, the figures, the actor table (with the reminders sent and, for the
    county's coordinators, "Skicka påminnelse nu") and the coverage matrix are one cached
    fragment (key: the county's version, the round, the manage flag, the language) in two parts,
    its CSRF tokens placeholders filled in per request; the buttons between them are rendered
    for each request."""
    # the round (what the page shows of it, its plan and county) and its lägesrapporter: one
    # written-out query (followup.selectors.round_page); out of the user's counties → 404
    found = round_page(round_id=pk)
    if found is None or not can_view_county(request.user, found[0].plan.county_id):
        raise Http404
    round_, reports = found
    if not permissions.can_view_round_overview(request.user, round_):
        raise PermissionDenied
    may_manage = permissions.can_manage_round(request.user, round_)

    def context() -> dict[str, Any]:
        overview = selectors.round_overview(round_id=round_.pk, round_=round_)
        # "Skicka påminnelse nu" (issue 16 item 5); the token is filled in per request
        may_remind = may_manage and overview.round.status == FollowUpRound.Status.OPEN
        return {
            "round": overview.round,
            "overview": overview,
            "summary": overview.summary,
            "may_manage": may_manage,
            "may_remind": may_remind,
            "csrf_token": CSRF_PLACEHOLDER,
            # the repeated rows, formatted once in Python (followup.overview_cells)
            "actor_rows": overview_cells.actor_rows(
                overview, may_manage=may_manage, may_remind=may_remind, csrf_token=CSRF_PLACEHOLDER
            ),
            "matrix_rows": overview_cells.matrix_rows(overview),
            "goal_items": overview_cells.goal_coverage(overview),
        }

    head, body = fragments.split(
        fragments.cached_fragment(
            template="followup/_round_overview.html",
            county_id=round_.plan.county_id,
            flags=(round_.pk, may_manage),
            context=context,
        ),
        2,
    )
    # the round's lägesrapport: the draft, else the newest final one (issue 15 item 8)
    final = next((r for r in reports if r.status == StatusReport.Status.FINAL), None)
    draft = next((r for r in reports if r.status == StatusReport.Status.DRAFT), None)
    report = draft if may_manage and draft is not None else final
    # a closed round can be marked reported once its lägesrapport is final
    may_mark_reported = may_manage and round_.status == FollowUpRound.Status.CLOSED and bool(final)
    return render(
        request,
        "followup/round_detail.html",
        {
            "round": round_,
            "overview_head": head,
            "overview_body": fill_csrf(body, request),
            "may_manage": may_manage,
            # the buttons' URLs, one reverse for all (followup.overview_cells.round_urls)
            "round_urls": overview_cells.round_urls(round_.pk) if may_manage else None,
            "may_mark_reported": may_mark_reported,
            "report": report,
            "may_create_report": may_manage and draft is None,
            "before_deadline": timezone.localdate() < round_.deadline,
        },
    )


# lazy: the message is translated when shown, in the user's language
ROUND_ACTIONS = {
    "open": (
        services.round_open,
        gettext_lazy("Uppföljningen är öppnad och inbjudningar skickas."),
    ),
    "close": (services.round_close, gettext_lazy("Uppföljningen är stängd.")),
    "reopen": (services.round_reopen, gettext_lazy("Uppföljningen är öppnad igen.")),
    "reported": (
        services.round_mark_reported,
        gettext_lazy("Uppföljningen är markerad som rapporterad."),
    ),
}


@login_required
@require_POST
def round_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = _get_round(request, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied
    if action not in ROUND_ACTIONS:
        raise PermissionDenied
    service, done = ROUND_ACTIONS[action]
    if action == "close" and not request.POST.get("confirm") and _before_deadline(round_):
        return _close_confirm(request, round_)
    try:
        service(round_id=round_.pk, actor=request.user)
    except FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done))
    return redirect("followup:round-detail", pk=round_.pk)


def _before_deadline(round_: FollowUpRound) -> bool:
    return round_.status == FollowUpRound.Status.OPEN and timezone.localdate() < round_.deadline


def _close_confirm(request: HttpRequest, round_: FollowUpRound) -> HttpResponse:
    """Closing before the deadline: say how many have not submitted and ask again."""
    summary = selectors.round_summary(round_id=round_.pk, round_=round_)
    return render(
        request,
        "followup/round_close_confirm.html",
        {"round": round_, "summary": summary, "missing": summary.invited - summary.submitted},
    )


@login_required
def round_questions(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the round's questions (one small form per question, plus one for a new question)."""
    round_ = _get_round(request, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied
    questions = list(round_.questions.all())
    bound_id = request.POST.get("question_id", "") if request.method == "POST" else None
    forms_ = []
    for q in questions:
        data = request.POST if bound_id == str(q.pk) else None
        forms_.append((q, QuestionForm(data, instance=q, prefix=f"q{q.pk}")))
    new_form = QuestionForm(
        request.POST if bound_id == "" else None,
        prefix="new",
        initial={"order": len(questions) + 1},
    )
    if request.method == "POST":
        target = (
            new_form
            if bound_id == ""
            else next((f for q, f in forms_ if str(q.pk) == bound_id), None)
        )
        if target is None:
            raise PermissionDenied
        if target.is_valid():
            d = target.cleaned_data
            try:
                services.question_save(
                    round_id=round_.pk,
                    question_id=int(bound_id) if bound_id else None,
                    text=d["text"],
                    help_text=d["help_text"],
                    kind=d["kind"],
                    required=d["required"],
                    order=d["order"],
                    actor=request.user,
                )
            except FollowUpError as exc:
                target.add_error(None, str(exc))
            else:
                messages.success(request, _("Frågan har sparats."))
                return redirect("followup:round-questions", pk=round_.pk)
    return render(
        request,
        "followup/round_questions.html",
        {"round": round_, "forms": forms_, "new_form": new_form},
    )


@login_required
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The round as xlsx (sheets: submissions, activities, answers, indicator values)."""
    from followup.exports import RoundExport

    round_ = _get_round(request, pk)
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied
    content = RoundExport(round_id=round_.pk).xlsx_bytes()
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"uppfoljning-{round_.plan.county.code}-{round_.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
