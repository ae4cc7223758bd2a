""" "Skicka påminnelse nu" from the round page (issue 16 item 5): for one actor (a POST from its
row of the actor table) or, after a confirmation page that lists them, for every actor that has
not submitted. Out of scope → 404, not the county's coordinator → 403; refusals and the outcome
are messages on the round page, never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from followup import permissions, services
from followup.exceptions import FollowUpError
from followup.models import FollowUpRound, Submission


def _names(names: list[str]) -> str:
    return ", ".join(names)


def _report(request: HttpRequest, outcome: services.ReminderOutcome) -> None:
    """One message per group of the outcome, in Swedish."""
    if outcome.sent:
        messages.success(
            request,
            ngettext(
                "Påminnelse skickad till %(names)s.",
                "Påminnelser skickade till %(n)d aktörer: %(names)s.",
                len(outcome.sent),
            )
            % {"n": len(outcome.sent), "names": _names(outcome.sent)},
        )
    if outcome.already:
        messages.info(
            request,
            _("Redan påmind i dag, ingen ny påminnelse skickades: %(names)s.")
            % {"names": _names(outcome.already)},
        )
    if outcome.submitted:
        messages.info(
            request,
            _("Har redan skickat in, ingen påminnelse behövs: %(names)s.")
            % {"names": _names(outcome.submitted)},
        )
    if outcome.no_recipients:
        messages.warning(
            request,
            _(
                "Ingen e-postadress (varken funktionsadress eller rapportör), ingen påminnelse "
                "skickades: %(names)s."
            )
            % {"names": _names(outcome.no_recipients)},
        )
    if outcome.failed:
        messages.error(
            request,
            _(
                "E-postservern tog inte emot påminnelsen, den skickades inte: %(names)s. Försök "
                "igen om en stund."
            )
            % {"names": _names(outcome.failed)},
        )
    if not any(vars(outcome).values()):
        messages.info(request, _("Alla aktörer har skickat in. Ingen påminnelse skickades."))


def _back(round_: FollowUpRound) -> HttpResponseRedirect:
    return redirect(reverse("followup:round-detail", args=[round_.pk]) + "#actors-h")


def _send(request: HttpRequest, round_: FollowUpRound, submission_ids: list[int] | None) -> None:
    try:
        outcome = services.reminder_send_now(
            round_id=round_.pk, submission_ids=submission_ids, actor=request.user
        )
    except FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        _report(request, outcome)


@login_required
@require_POST
def submission_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a reminder now to one actor (at most one a day)."""
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("round__plan__county"), pk=pk
    )
    round_ = submission.round
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied
    _send(request, round_, [submission.pk])
    return _back(round_)


@login_required
def round_remind_all(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the actors that have not submitted, with who was already reminded today; POST:
    send them a reminder now."""
    round_ = get_object_or_404(
        FollowUpRound.objects.visible_to(request.user).select_related("plan__county"), pk=pk
    )
    if not permissions.can_manage_round(request.user, round_):
        raise PermissionDenied
    if request.method == "POST":
        _send(request, round_, None)
        return _back(round_)
    targets = services.reminder_targets(round_=round_)
    done = services.reminded_today(
        submission_ids=[s.pk for s in targets], today=timezone.localdate()
    )
    return render(
        request,
        "followup/round_remind_all.html",
        {
            "round": round_,
            "targets": [(s, s.pk in done) for s in targets],
            "to_send": sum(1 for s in targets if s.pk not in done),
            "is_open": round_.status == FollowUpRound.Status.OPEN,
        },
    )
