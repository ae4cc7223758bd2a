"""A plan's export (JSON, XLSX) and import from a file (check, then confirm)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from actionplans import interchange
from actionplans.forms import PlanImportForm
from actionplans.views.common import _county, _detail_url, _plan
from agreements.permissions import can_edit_county

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
