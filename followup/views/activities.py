"""The reported activities of a submission: add, edit, delete."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from followup import permissions, selectors, services
from followup.exceptions import FollowUpError
from followup.forms import (
    ActivityForm,
)
from followup.models import ReportedActivity, Submission
from followup.views.common import _version
from followup.views.submissions import (
    _get_submission,
)
from kvinnofrid.core.locking import StaleObjectError

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
            data = request.POST.copy()  # the form's data, made mutable
            data["lock_version"] = str(Submission.objects.get(pk=submission.pk).lock_version)
            form.data = data
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
