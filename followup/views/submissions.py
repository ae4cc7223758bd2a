"""The actor's form (reporter): view, autosave, submit, copy last year's, and its review by the
coordinator. Refusals are messages or the form with its errors, never a 500."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from followup import permissions, selectors, services
from followup.documents import can_download_yttrande
from followup.exceptions import FollowUpError, MissingAnswersError, PersonalDataWarning
from followup.forms import (
    ExtendDeadlineForm,
    ReturnForm,
    SubmissionForm,
)
from followup.models import FollowUpRound, Submission
from followup.selectors.submission_page import submission_page
from followup.views.common import _is_htmx, _version
from kvinnofrid.core import fragments
from kvinnofrid.core.csrf import CSRF_PLACEHOLDER, fill_csrf
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.parsing import parse_version

# --- the actor's form ---------------------------------------------------------------------------


_PAGE_RELATED = ("round__plan__county", "organisation")


def _get_submission(
    request: HttpRequest, pk: int, related: tuple[str, ...] = _PAGE_RELATED
) -> Submission:
    return get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(*related), pk=pk
    )


# the form's links, each the form's URL and a fixed tail (followup/urls.py), an activity's with
# its id in between; tests/followup/test_submission_page.py pins each to its reverse
FORM_URL_TAILS = {
    "activity_add": ("followup:activity-add", "aktivitet/ny/"),
    "copy_last_year": ("followup:submission-copy-last-year", "fran-forra-aret/"),
}
ACTIVITY_URL_TAILS = {
    "edit": ("followup:activity-edit", "aktivitet/", "/"),
    "delete": ("followup:activity-delete", "aktivitet/", "/ta-bort/"),
}


def form_urls(submission_id: int, activity_ids: list[int]) -> dict[str, Any]:
    """The form's URLs from one ``reverse`` (instead of a ``{% url %}`` per link): its own
    (``edit``), the tails' and, for each activity id, (edit, delete)."""
    base = reverse("followup:submission-edit", args=[submission_id])
    urls: dict[str, Any] = {key: base + tail for key, (_n, tail) in FORM_URL_TAILS.items()}
    urls["edit"] = base
    edit, delete = ACTIVITY_URL_TAILS["edit"], ACTIVITY_URL_TAILS["delete"]
    urls["activities"] = {
        pk: (f"{base}{edit[1]}{pk}{edit[2]}", f"{base}{delete[1]}{pk}{delete[2]}")
        for pk in activity_ids
    }
    return urls


def _edit_context(
    submission: Submission, form: SubmissionForm, data: Any, *, has_previous: bool
) -> dict[str, Any]:
    urls = form_urls(submission.pk, [a.pk for a in data.activities])
    return {
        "submission": submission,
        "round": submission.round,
        "form": form,
        "data": data,
        "urls": urls,
        # the activities with their (edit, delete) links
        "activity_items": [(a, *urls["activities"][a.pk]) for a in data.activities],
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
        # the offer to start from last year's shows only on a form that can be changed
        has_previous = not locked_reason and selectors.has_previous_submission(
            submission=submission
        )
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
    # the submission with its round, plan and organisation: one written-out query
    # (followup.selectors.submission_page); out of the user's scope → 404
    submission = submission_page(submission_id=pk)
    if submission is None or not permissions.can_view_submission(request.user, submission):
        raise Http404
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
    version = parse_version(request.POST.get("lock_version", ""))
    try:
        if version is None:
            raise StaleObjectError(submission, None)
        services.submission_start_from_last_year(
            submission_id=submission.pk, lock_version=version, actor=request.user
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
            "may_download_pdf": can_download_yttrande(request.user, submission),
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
            return_form = ReturnForm(request.POST)
            if not return_form.is_valid():
                raise FollowUpError(_("Skriv en kommentar om vad som behöver kompletteras."))
            services.submission_return(
                submission_id=submission.pk,
                comment=return_form.cleaned_data["comment"],
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
            extend_form = ExtendDeadlineForm(request.POST)
            if not extend_form.is_valid():
                raise FollowUpError(_("Ange ett giltigt datum (ÅÅÅÅ-MM-DD)."))
            services.submission_extend_deadline(
                submission_id=submission.pk,
                new_deadline=extend_form.cleaned_data["new_deadline"],
                actor=request.user,
            )
            messages.success(request, _("Svarstiden har ändrats."))
        else:
            raise PermissionDenied
    except FollowUpError as exc:
        messages.error(request, str(exc))
    return redirect("followup:submission-detail", pk=submission.pk)
