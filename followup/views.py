"""Follow-up pages: rounds (coordinator), the actor's form (reporter), review and overview.

Views fetch through ``visible_to`` scopes (out of scope → 404), check a predicate (→ 403) and
call a service; domain refusals are shown as messages, never as a 500.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from actionplans.models import ActionPlan
from agreements.models import Organisation
from followup import permissions, selectors, services
from followup.exceptions import FollowUpError, MissingAnswersError, PersonalDataWarning
from followup.forms import (
    ActivityForm,
    ExtendDeadlineForm,
    QuestionForm,
    ReturnForm,
    RoundForm,
    SubmissionForm,
)
from followup.models import FollowUpRound, ReportedActivity, StatusReport, Submission
from kvinnofrid.core import fragments
from kvinnofrid.core.csrf import CSRF_PLACEHOLDER, fill_csrf
from kvinnofrid.core.locking import StaleObjectError


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _version(form: Any) -> int | None:
    value = form.cleaned_data.get("lock_version") if hasattr(form, "cleaned_data") else None
    return value if value is not None else None


# --- overview of rounds / my forms --------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Reporters: their organisation's forms. Coordinators and management: the rounds."""
    user = request.user
    rounds = [
        r
        for r in selectors.rounds_visible_to(user=user)
        if permissions.can_view_round_overview(user, r)
    ]
    return render(
        request,
        "followup/index.html",
        {
            "submissions": selectors.reporter_submissions(user=user),
            "rounds": rounds,
            "may_create": permissions.coordinated_county_ids(user) != set(),
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
    if request.GET.get("plan", "").isdigit():
        initial["plan"] = int(request.GET["plan"])
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

    The round's details, the figures, the actor table and the coverage matrix are one cached
    fragment (key: the county's version, the round, the manage flag, the language) in two parts; the
    buttons between them, with CSRF tokens, are rendered for each request."""
    round_ = get_object_or_404(
        FollowUpRound.objects.visible_to(request.user).select_related("plan__county"), pk=pk
    )
    if not permissions.can_view_round_overview(request.user, round_):
        raise PermissionDenied
    may_manage = permissions.can_manage_round(request.user, round_)

    def context() -> dict[str, Any]:
        overview = selectors.round_overview(round_id=round_.pk, round_=round_)
        return {
            "round": overview.round,
            "overview": overview,
            "summary": overview.summary,
            "may_manage": may_manage,
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
    # a closed round can be marked reported once its lägesrapport is final
    may_mark_reported = (
        may_manage
        and round_.status == FollowUpRound.Status.CLOSED
        and StatusReport.objects.filter(
            round_id=round_.pk, status=StatusReport.Status.FINAL
        ).exists()
    )
    return render(
        request,
        "followup/round_detail.html",
        {
            "round": round_,
            "overview_head": head,
            "overview_body": body,
            "may_manage": may_manage,
            "may_mark_reported": may_mark_reported,
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
    try:
        service(round_id=round_.pk, actor=request.user)
    except FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, str(done))
    return redirect("followup:round-detail", pk=round_.pk)


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


# --- the actor's form ---------------------------------------------------------------------------


_PAGE_RELATED = ("round__plan__county", "organisation")
# the form page shows the round and the actor (a coordinator's permission check reads the plan)
_EDIT_RELATED = ("round__plan", "organisation")


def _get_submission(
    request: HttpRequest, pk: int, related: tuple[str, ...] = _PAGE_RELATED
) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(*related), pk=pk
    )


def _edit_context(
    submission: Submission, form: SubmissionForm, data: Any, *, has_previous: bool
) -> dict[str, Any]:
    return {
        "submission": submission,
        "round": submission.round,
        "form": form,
        "data": data,
        "question_fields": [(q, form[f"q_{q.pk}"]) for q in data.questions],
        "indicator_fields": [
            (ind, form[f"ind_{ind.pk}_value"], form[f"ind_{ind.pk}_note"])
            for ind in data.indicators
        ],
        "has_previous": has_previous,
    }


# one reporter's form changes with every save: keep its body an hour (a reload, a look back)
SUBMISSION_FORM_TIMEOUT = 60 * 60


def _edit_page(
    request: HttpRequest,
    submission: Submission,
    locked_reason: str | None,
    form: SubmissionForm | None = None,
) -> HttpResponse:
    """The actor's form page. Unbound (a GET), its body is a cached fragment (key: the county's
    version, the submission, the locked reason, the language); the CSRF tokens are filled in
    per request. A refused POST (``form`` bound, with its errors) is rendered afresh."""

    def context() -> dict[str, Any]:
        data = selectors.submission_form_data(submission=submission)
        shown = form
        if shown is None:
            initial = SubmissionForm.initial_for(data) | {"lock_version": submission.lock_version}
            shown = SubmissionForm(
                initial=initial, questions=data.questions, indicators=data.indicators
            )
        has_previous = services.previous_submission(submission) is not None
        return _edit_context(submission, shown, data, has_previous=has_previous) | {
            "locked_reason": locked_reason,
            "goals": selectors.plan_outline(plan_id=submission.round.plan_id),
            "csrf_token": CSRF_PLACEHOLDER,
        }

    template = "followup/_submission_form.html"
    if form is None:
        body = fragments.cached_fragment(
            template=template,
            county_id=submission.round.plan.county_id,
            flags=(submission.pk, locked_reason),
            context=context,
            timeout=SUBMISSION_FORM_TIMEOUT,
        )
    else:
        body = render_to_string(template, context())
    return render(
        request,
        "followup/submission_edit.html",
        {"submission": submission, "round": submission.round, "body": fill_csrf(body, request)},
    )


def _locked_reason(submission: Submission) -> str | None:
    """Why the form cannot be changed now, or None."""
    if submission.round.status != FollowUpRound.Status.OPEN:
        return _("Uppföljningen är inte öppen.")
    if services.submission_is_locked_by_deadline(submission):
        return _(
            "Sista svarsdag (%(date)s) har passerat. Kontakta Länsstyrelsen om du behöver "
            "förlängd svarstid."
        ) % {"date": submission.effective_deadline.isoformat()}
    return None


def _conflict_rows(form: SubmissionForm, current: Submission) -> list[dict[str, Any]]:
    data = selectors.submission_form_data(submission=current)
    saved = SubmissionForm.initial_for(data)
    rows = []
    for name, field in form.fields.items():
        if name == "lock_version":
            continue
        mine = form.data.get(name, "")
        theirs = saved.get(name, "")
        rows.append(
            {
                "name": name,
                "label": field.label,
                "mine": mine,
                "saved": "" if theirs is None else theirs,
                "differs": str(mine or "").strip()
                != str(theirs if theirs is not None else "").strip(),
            }
        )
    return rows


@login_required
def submission_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form. POST: save (htmx autosave returns a status fragment) and, with
    ``action=submit``, submit."""
    # A save (autosave every few seconds) needs the round and plan; the page its round and actor.
    submission = _get_submission(
        request, pk, related=("round__plan",) if request.method == "POST" else _EDIT_RELATED
    )
    if not permissions.can_edit_submission(request.user, submission):
        if submission.status in permissions.EDITABLE_STATUSES:
            raise PermissionDenied
        return redirect("followup:submission-detail", pk=submission.pk)
    locked_reason = _locked_reason(submission)
    if request.method != "POST":
        return _edit_page(request, submission, locked_reason)
    data = selectors.submission_form_data(submission=submission, light=True)
    initial = SubmissionForm.initial_for(data) | {"lock_version": submission.lock_version}
    form = SubmissionForm(
        request.POST or None, initial=initial, questions=data.questions, indicators=data.indicators
    )
    htmx = _is_htmx(request)
    if not form.is_valid():
        if htmx:
            response = render(
                request, "followup/_autosave_status.html", {"form": form, "invalid": True}
            )
            response["X-Autosave"] = "refused"
            return response
        # an empty POST shows the saved form; a refused one the typed values and the errors
        return _edit_page(request, submission, locked_reason, form if form.is_bound else None)
    try:
        submission = services.submission_save(
            submission_id=submission.pk,
            lock_version=_version(form),
            answers=form.answers(),
            indicator_values=form.indicator_values(),
            actor=request.user,
        )
    except StaleObjectError as exc:
        ctx = {
            "submission": exc.current,
            "rows": _conflict_rows(form, exc.current),
            "current_version": exc.current.lock_version,
        }
        template = "followup/_autosave_conflict.html" if htmx else "followup/conflict.html"
        return render(request, template, ctx, status=409)
    except FollowUpError as exc:
        if htmx:
            response = render(request, "followup/_autosave_status.html", {"error": str(exc)})
            response["X-Autosave"] = "refused"
            return response
        messages.error(request, str(exc))
        return redirect("followup:submission-detail", pk=submission.pk)
    if htmx:
        response = render(
            request,
            "followup/_autosave_status.html",
            {"submission": submission, "saved_at": timezone.localtime()},
        )
        response["X-Autosave"] = "saved"
        return response
    if request.POST.get("action") == "submit":
        return _do_submit(request, submission, confirm=False)
    messages.success(request, _("Utkastet har sparats."))
    return redirect("followup:submission-edit", pk=submission.pk)


def _do_submit(request: HttpRequest, submission: Submission, *, confirm: bool) -> HttpResponse:
    try:
        services.submission_submit(
            submission_id=submission.pk, actor=request.user, confirm_personal_data=confirm
        )
    except MissingAnswersError as exc:
        return render(
            request,
            "followup/submit_problem.html",
            {"submission": submission, "message": str(exc), "missing": exc.missing},
            status=200,
        )
    except PersonalDataWarning as exc:
        return render(
            request,
            "followup/submit_problem.html",
            {"submission": submission, "message": str(exc), "findings": exc.findings},
            status=200,
        )
    except FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Tack! Yttrandet har skickats in."))
    return redirect("followup:submission-detail", pk=submission.pk)


@login_required
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _get_submission(request, pk)
    if submission.status in services.SUBMITTED_STATUSES:
        messages.info(request, _("Yttrandet är redan inskickat."))
        return redirect("followup:submission-detail", pk=submission.pk)
    if not permissions.can_edit_submission(request.user, submission):
        raise PermissionDenied
    return _do_submit(request, submission, confirm=request.POST.get("confirm_personal_data") == "1")


@login_required
@require_POST
def submission_copy_last_year(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _get_submission(request, pk)
    if not permissions.can_edit_submission(request.user, submission):
        raise PermissionDenied
    version = request.POST.get("lock_version", "")
    try:
        services.submission_start_from_last_year(
            submission_id=submission.pk,
            lock_version=int(version) if version.isdigit() else None,
            actor=request.user,
        )
    except StaleObjectError:
        messages.error(request, _("Formuläret har ändrats sedan du öppnade det. Försök igen."))
    except FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Förra årets aktiviteter och svar har kopierats in. Gå igenom och uppdatera dem."),
        )
    return redirect("followup:submission-edit", pk=submission.pk)


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Read-only view of a submission, with the coordinator's review actions."""
    submission = _get_submission(request, pk)
    data = selectors.submission_form_data(submission=submission)
    may_review = permissions.can_review_submission(request.user, submission)
    return render(
        request,
        "followup/submission_detail.html",
        {
            "submission": submission,
            "round": submission.round,
            "data": data,
            "answers": [(q, data.answers.get(q.pk)) for q in data.questions],
            "indicator_rows": [(i, data.indicator_answers.get(i.pk)) for i in data.indicators],
            "may_edit": permissions.can_edit_submission(request.user, submission),
            "may_review": may_review,
            "return_form": ReturnForm(),
            "extend_form": ExtendDeadlineForm(
                initial={"new_deadline": submission.deadline_extended_to}
            ),
        },
    )


@login_required
@require_POST
def submission_review(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """return / accept / reopen / extend, by the county's coordinators."""
    submission = _get_submission(request, pk)
    if not permissions.can_review_submission(request.user, submission):
        raise PermissionDenied
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                raise FollowUpError(_("Skriv en kommentar om vad som behöver kompletteras."))
            services.submission_return(
                submission_id=submission.pk,
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
            messages.success(request, _("Yttrandet har skickats tillbaka för komplettering."))
        elif action == "accept":
            services.submission_accept(submission_id=submission.pk, actor=request.user)
            messages.success(request, _("Yttrandet är godkänt."))
        elif action == "reopen":
            services.submission_reopen(submission_id=submission.pk, actor=request.user)
            messages.success(request, _("Yttrandet är öppnat igen som utkast."))
        elif action == "extend":
            form = ExtendDeadlineForm(request.POST)
            if not form.is_valid():
                raise FollowUpError(_("Ange ett giltigt datum (ÅÅÅÅ-MM-DD)."))
            services.submission_extend_deadline(
                submission_id=submission.pk,
                new_deadline=form.cleaned_data["new_deadline"],
                actor=request.user,
            )
            messages.success(request, _("Svarstiden har ändrats."))
        else:
            raise PermissionDenied
    except FollowUpError as exc:
        messages.error(request, str(exc))
    return redirect("followup:submission-detail", pk=submission.pk)


# --- activities ---------------------------------------------------------------------------------


@login_required
def activity_edit(request: HttpRequest, pk: int, activity_id: int | None = None) -> HttpResponse:
    submission = _get_submission(request, pk)
    if not permissions.can_edit_submission(request.user, submission):
        raise PermissionDenied
    activity = (
        get_object_or_404(ReportedActivity, pk=activity_id, submission=submission)
        if activity_id
        else None
    )
    goals = selectors.plan_outline(plan_id=submission.round.plan_id)
    initial: dict[str, Any] = {"lock_version": submission.lock_version}
    if activity is not None:
        initial |= {
            "title": activity.title,
            "description": activity.description,
            "sub_goals": [sg.pk for sg in activity.sub_goals.all()],
            "prevention_level": activity.prevention_level,
            "areas": activity.areas,
            "target_groups": activity.target_groups,
            "partners": activity.partners,
            "status": activity.status,
        }
    form = ActivityForm(request.POST or None, initial=initial, goals=goals)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_save(
                submission_id=submission.pk,
                activity_id=activity.pk if activity else None,
                lock_version=_version(form),
                data=form.cleaned_data,
                actor=request.user,
            )
        except StaleObjectError:
            form.add_error(
                None,
                _(
                    "Formuläret har sparats från en annan flik eller av en kollega sedan du "
                    "öppnade sidan. Det du skrev finns kvar nedan; spara igen för att använda det."
                ),
            )
            form.data = form.data.copy()
            form.data["lock_version"] = str(Submission.objects.get(pk=submission.pk).lock_version)
        except FollowUpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Aktiviteten har sparats."))
            return redirect("followup:submission-edit", pk=submission.pk)
    return render(
        request,
        "followup/activity_form.html",
        {"submission": submission, "round": submission.round, "form": form, "activity": activity},
    )


@login_required
def activity_delete(request: HttpRequest, pk: int, activity_id: int) -> HttpResponse:
    submission = _get_submission(request, pk)
    if not permissions.can_edit_submission(request.user, submission):
        raise PermissionDenied
    activity = get_object_or_404(ReportedActivity, pk=activity_id, submission=submission)
    if request.method == "POST":
        try:
            services.activity_delete(
                submission_id=submission.pk,
                activity_id=activity.pk,
                lock_version=None,
                actor=request.user,
            )
        except FollowUpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Aktiviteten har tagits bort."))
        return redirect("followup:submission-edit", pk=submission.pk)
    return render(
        request,
        "followup/activity_confirm_delete.html",
        {"submission": submission, "activity": activity},
    )
