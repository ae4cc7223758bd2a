"""The county's directory of actors: the list, adding one and importing many (coordinators).

Pages showing an organisation's people and invitations live in ``kvinnofrid.accounts`` (the
layer above). The county is fetched through ``visible_to`` (another county is 404); then
``can_manage_actors`` decides (403 for everyone else who reads the county).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kvinnofrid.directory import services
from kvinnofrid.directory.actor_import import ActorFileError, check_table, read_table
from kvinnofrid.directory.forms import ActorImportForm, CountyLogoForm, OrganisationForm
from kvinnofrid.directory.logo import validate_logo
from kvinnofrid.directory.models import County, Organisation
from kvinnofrid.directory.permissions import can_manage_actors
from kvinnofrid.directory.validation import kind_values

SESSION_IMPORT_KEY = "directory_actor_import"


def county_for_actors(request: HttpRequest, county_code: str) -> County:
    """The county, if the user reads it (else 404) and coordinates it (else 403)."""
    county = get_object_or_404(County.objects.visible_to(request.user), code=county_code)
    if not can_manage_actors(request.user, county.pk):
        raise PermissionDenied
    return county


def add_form_errors(form: OrganisationForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def actor_list(request: HttpRequest, county_code: str) -> HttpResponse:
    """Every organisation of the county (active ones first), with its number of people."""
    county = county_for_actors(request, county_code)
    today = timezone.localdate()
    organisations = (
        Organisation.objects.filter(county=county)
        .annotate(people=Count("memberships__user", distinct=True))
        .order_by("name")
    )
    active = [o for o in organisations if o.active_until is None or o.active_until >= today]
    inactive = [o for o in organisations if o.active_until is not None and o.active_until < today]
    return render(
        request,
        "directory/actor_list.html",
        {"county": county, "active": active, "inactive": inactive},
    )


@login_required
def actor_create(request: HttpRequest, county_code: str) -> HttpResponse:
    """Add one organisation to the county."""
    county = county_for_actors(request, county_code)
    form = OrganisationForm(request.POST if request.method == "POST" else None, county=county)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                actor=request.user, county_id=county.pk, data=form.cleaned_data
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("%(name)s är tillagd.") % {"name": organisation.name})
            return redirect(reverse("actors:detail", args=[county.code, organisation.pk]))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "directory/actor_form.html", {"county": county, "form": form}, status=status
    )


@login_required
def actor_import(request: HttpRequest, county_code: str) -> HttpResponse:
    """Upload a CSV/XLSX file → preview naming each bad row and field → create all or none."""
    county = county_for_actors(request, county_code)
    form = ActorImportForm()
    checked = None
    status = 200
    if request.method == "POST" and request.POST.get("step") == "create":
        stored = request.session.get(SESSION_IMPORT_KEY)
        if not stored or stored.get("county") != county.code:
            messages.error(request, _("Ladda upp filen igen."))
            return redirect(request.path)
        try:
            created = services.organisations_import(
                actor=request.user, county_id=county.pk, table=stored["table"]
            )
        except services.ImportRefused as exc:
            request.session.pop(SESSION_IMPORT_KEY, None)
            messages.error(request, str(exc))
            for problem in exc.problems[:20]:
                messages.error(request, str(problem))
            return redirect(request.path)
        request.session.pop(SESSION_IMPORT_KEY, None)
        messages.success(request, _("%(count)d aktörer importerades.") % {"count": len(created)})
        return redirect(reverse("actors:list", args=[county.code]))
    if request.method == "POST":
        form = ActorImportForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = read_table(content=upload.read(), filename=upload.name)
            except ActorFileError as exc:
                form.add_error("file", str(exc))
            else:
                checked = check_table(table=table, county=county)
                if checked.ok:
                    status = 200
                    request.session[SESSION_IMPORT_KEY] = {"county": county.code, "table": table}
                else:
                    request.session.pop(SESSION_IMPORT_KEY, None)
    return render(
        request,
        "directory/actor_import.html",
        {"county": county, "form": form, "checked": checked, "kinds": kind_values()},
        status=status,
    )


@login_required
def county_logo(request: HttpRequest, county_code: str) -> HttpResponse:
    """Upload, replace or remove the county's logo (the lägesrapport's cover); coordinators."""
    county = county_for_actors(request, county_code)
    form = CountyLogoForm()
    status = 200
    if request.method == "POST" and "remove" in request.POST:
        services.county_logo_remove(actor=request.user, county_id=county.pk)
        messages.success(request, _("Logotypen är borttagen."))
        return redirect(request.path)
    if request.method == "POST":
        form = CountyLogoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.county_logo_set(
                    actor=request.user,
                    county_id=county.pk,
                    content=form.cleaned_data["file"].read(),
                )
            except ValidationError as exc:
                form.add_error("file", exc.messages)
            else:
                messages.success(request, _("Logotypen är sparad."))
                return redirect(request.path)
        status = 400
    current = ""
    if county.logo:
        try:  # shown as a data: URI, checked again (a file that is gone shows as none)
            with county.logo.open("rb") as handle:
                current = validate_logo(handle.read()).data_uri()
        except (OSError, ValidationError):
            current = ""
    return render(
        request,
        "directory/county_logo.html",
        {"county": county, "form": form, "current": current},
        status=status,
    )
