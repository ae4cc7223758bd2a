"""The county's diarium: the settings page and the manual entry of a document's number."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from followup import permissions, services
from followup.exceptions import FollowUpError
from followup.models import StatusReport, Submission
from followup.registry import Registry
from followup.services.registry import clean_prefix
from kvinnofrid.core.forms import NoControlCharactersMixin
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.directory.models import County


class RegistryForm(NoControlCharactersMixin, forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Hur diarieför länet yttranden och lägesrapporter?"),
        choices=Registry.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Välj hur länet diarieför.")},
    )
    series_prefix = forms.CharField(
        label=gettext_lazy("Förled"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "Skrivs före löpnumret, t.ex. 851- (ger 851-12-2023). Används bara med löpnummer "
            "i portalen."
        ),
        error_messages={"max_length": gettext_lazy("Förledet får vara högst 20 tecken.")},
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def clean_series_prefix(self) -> str:
        try:
            return clean_prefix(self.cleaned_data.get("series_prefix") or "")
        except FollowUpError as exc:
            raise forms.ValidationError(str(exc)) from exc


class DiarienummerForm(NoControlCharactersMixin, forms.Form):
    diarienummer = forms.CharField(
        label=gettext_lazy("Diarienummer"),
        max_length=50,
        error_messages={
            "required": gettext_lazy("Skriv diarienumret."),
            "max_length": gettext_lazy("Diarienumret får vara högst 50 tecken."),
        },
    )


@login_required
def registry_edit(request: HttpRequest, county_code: str) -> HttpResponse:
    """Diarieinställningar: the county's coordinators choose the series (404 for other counties,
    403 for those of the county who may not configure)."""
    county = get_object_or_404(County.objects.visible_to(request.user), code=county_code)
    if not permissions.can_edit_county(request.user, county.pk):
        raise PermissionDenied
    registry = services.county_registry(county.pk)
    initial: dict[str, Any] = {"lock_version": registry.lock_version if registry else 0}
    if registry is not None:
        initial.update(mode=registry.mode, series_prefix=registry.prefix)
    form = RegistryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.registry_update(
                county=county,
                mode=d["mode"],
                prefix=d["series_prefix"],
                lock_version=d["lock_version"],
                actor=request.user,
            )
        except StaleObjectError:
            form.add_error(
                None,
                _(
                    "Någon annan har ändrat diarieinställningarna sedan du öppnade sidan. Ladda "
                    "om sidan och gör ändringen igen."
                ),
            )
        except FollowUpError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Diarieinställningarna har sparats."))
            return redirect("followup:registry-edit", county_code=county.code)
    return render(
        request,
        "followup/registry_form.html",
        {"county": county, "registry": registry, "form": form},
    )


@login_required
@require_POST
def submission_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in a received yttrande's number from the county's own diarium."""
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related("round__plan"), pk=pk
    )
    if not permissions.can_review_submission(request.user, submission):
        raise PermissionDenied
    _register(request, services.submission_set_diarienummer, submission_id=submission.pk)
    return redirect("followup:submission-detail", pk=submission.pk)


@login_required
@require_POST
def report_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Type in a final lägesrapport's number from the county's own diarium."""
    report = get_object_or_404(
        StatusReport.objects.visible_to(request.user).select_related("round__plan"), pk=pk
    )
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    _register(request, services.report_set_diarienummer, report_id=report.pk)
    return redirect("followup:report-detail", pk=report.pk)


def _register(request: HttpRequest, service: Any, **target: int) -> None:
    form = DiarienummerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, str(errors[0]))
        return
    try:
        service(diarienummer=form.cleaned_data["diarienummer"], actor=request.user, **target)
    except FollowUpError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Diarienumret har sparats."))
