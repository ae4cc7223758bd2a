"""The report-back pages under a county: edit the texts, finalise, download PDF and DOCX.

The county's coordinators only: another county is 404 (it is fetched through
``County.objects.visible_to``), a visible county whose coordinator you are not is 403.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from followup.exceptions import FollowUpError
from followup.models import FollowUpRound
from followup.national import services
from followup.national.models import ReportBack
from followup.national.output import report_back_docx, report_back_pdf
from followup.national.permissions import can_edit_report_back
from followup.national.report_back import ReportBackData, report_back_data
from kvinnofrid.core.forms import NoControlCharactersForm
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.parsing import parse_version
from kvinnofrid.directory.models import County

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _context(request: HttpRequest, county_code: str, year: int) -> tuple[County, ReportBack | None]:
    if not 2000 <= year <= 2100:
        raise Http404
    county = get_object_or_404(County.objects.visible_to(request.user), code=county_code)
    if not can_edit_report_back(request.user, county.pk):
        raise PermissionDenied
    return county, ReportBack.objects.filter(county=county, year=year).first()


class ReportBackTextsForm(NoControlCharactersForm):
    """One text per national goal (empty: the generated text is used)."""

    lock_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, data_shape: ReportBackData, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for goal in data_shape.goals:
            self.fields[f"text_{goal.key}"] = forms.CharField(
                label=goal.title,
                required=False,
                max_length=services.MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_("Lämna tomt för att använda den genererade texten: %(text)s")
                % {"text": goal.generated_text},
            )


@login_required
def report_back_edit(request: HttpRequest, county_code: str, year: int) -> HttpResponse:
    """The report-back of a county and year: its generated parts, and the coordinator's texts
    per national goal (saved with POST)."""
    county, report_back = _context(request, county_code, year)
    data = report_back_data(county=county, year=year, report_back=report_back)
    final = report_back is not None and report_back.status == ReportBack.Status.FINAL
    initial = {f"text_{k}": v for k, v in (report_back.texts if report_back else {}).items()}
    initial["lock_version"] = report_back.lock_version if report_back else None
    form = ReportBackTextsForm(
        request.POST if request.method == "POST" else None, initial=initial, data_shape=data
    )
    status = 200
    if request.method == "POST" and not final:
        if form.is_valid():
            try:
                services.report_back_save(
                    county_id=county.pk,
                    year=year,
                    texts={g.key: form.cleaned_data.get(f"text_{g.key}", "") for g in data.goals},
                    keys=[g.key for g in data.goals],
                    actor=request.user,
                    expected_version=parse_version(form.cleaned_data.get("lock_version")),
                )
            except (FollowUpError, StaleObjectError) as exc:
                messages.error(request, str(exc))
                status = 409 if isinstance(exc, StaleObjectError) else 400
            else:
                messages.success(request, _("Återrapporteringen är sparad."))
                return redirect(request.path)
        else:
            messages.error(
                request, _("Texterna kunde inte sparas. Rätta det som är markerat och försök igen.")
            )
            status = 400
    elif request.method == "POST":
        messages.error(request, _("Återrapporteringen är fastställd och kan inte längre ändras."))
        return redirect(request.path)
    return render(
        request,
        "followup/national/report_back.html",
        {
            "county": county,
            "year": year,
            "report_back": report_back,
            "final": final,
            "data": data,
            "form": form,
        },
        status=status,
    )


@login_required
def report_back_latest(request: HttpRequest, county_code: str) -> HttpResponse:
    """The county's report-back for its latest round's year (last year if it has no round)."""
    county = get_object_or_404(County.objects.visible_to(request.user), code=county_code)
    if not can_edit_report_back(request.user, county.pk):
        raise PermissionDenied
    year = (
        FollowUpRound.objects.filter(plan__county=county)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    ) or timezone.localdate().year - 1
    return redirect("followup:report-back", county_code=county.code, year=year)


@login_required
@require_POST
def report_back_finalise(request: HttpRequest, county_code: str, year: int) -> HttpResponse:
    """ "Fastställ" the saved report-back (a report-back never saved cannot be finalised)."""
    county, report_back = _context(request, county_code, year)
    page = reverse("followup:report-back", kwargs={"county_code": county.code, "year": year})
    if report_back is None:
        messages.error(request, _("Spara återrapporteringen innan du fastställer den."))
        return redirect(page)
    try:
        services.report_back_finalise(
            report_back_id=report_back.pk,
            actor=request.user,
            expected_version=parse_version(request.POST.get("lock_version")),
        )
    except (FollowUpError, StaleObjectError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Återrapporteringen är fastställd."))
    return redirect(page)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def report_back_download(
    request: HttpRequest, county_code: str, year: int, fmt: str
) -> HttpResponse:
    """The report-back as PDF or DOCX, built from what is saved (or generated) now."""
    county, report_back = _context(request, county_code, year)
    data = report_back_data(county=county, year=year, report_back=report_back)
    draft = "" if data.status == ReportBack.Status.FINAL else "-utkast"
    name = f"aterrapportering-{county.code}-{year}{draft}"
    if fmt == "pdf":
        return _download(report_back_pdf(data), "application/pdf", f"{name}.pdf")
    if fmt == "docx":
        return _download(report_back_docx(data), DOCX, f"{name}.docx")
    raise Http404
