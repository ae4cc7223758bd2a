"""A county's people: one organisation with its people and invitations, inviting, resending,
revoking, changing roles; the invitation page; the national admin's coordinators.

County pages fetch the county through ``visible_to`` (another county is 404), then the object
within that county (404 if it belongs elsewhere), then check the predicate (403).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kvinnofrid.accounts import memberships, permissions, services
from kvinnofrid.accounts.models import Invitation, Membership, Role, User
from kvinnofrid.accounts.onboarding_forms import (
    AcceptInvitationForm,
    InvitationForm,
    MembershipRoleForm,
    MembershipTitleForm,
    NationalCoordinatorForm,
)
from kvinnofrid.core.landing import landing_url
from kvinnofrid.directory import services as directory_services
from kvinnofrid.directory.exceptions import DirectoryError
from kvinnofrid.directory.forms import OrganisationForm
from kvinnofrid.directory.models import County, Organisation
from kvinnofrid.directory.permissions import can_manage_actors
from kvinnofrid.directory.views import add_form_errors, county_for_actors

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _county(request: HttpRequest, county_code: str) -> County:
    return get_object_or_404(County.objects.visible_to(request.user), code=county_code)


def _organisation(request: HttpRequest, county: County, pk: int) -> Organisation:
    return get_object_or_404(Organisation.objects.filter(county=county), pk=pk)


def _detail_url(organisation: Organisation) -> str:
    return reverse("actors:detail", args=[organisation.county.code, organisation.pk])  # type: ignore[union-attr]


def _pending_invitations(**filters: Any) -> list[Invitation]:
    """Invitations not accepted or revoked (expired ones too: they can be resent)."""
    now = timezone.now()
    invitations = list(
        Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True, **filters)
        .select_related("organisation", "organisation__county", "invited_by")
        .order_by("-created_at")
    )
    for invitation in invitations:
        invitation.expired = invitation.expires_at <= now
    return invitations


def _members(**filters: Any) -> list[Membership]:
    memberships = list(
        Membership.objects.filter(**filters)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__full_name", "user__email", "role")
    )
    for membership in memberships:
        membership.role_form = MembershipRoleForm(
            initial={"role": membership.role}, prefix=f"m{membership.pk}"
        )
        membership.title_form = MembershipTitleForm(
            initial={"title": membership.title}, prefix=f"t{membership.pk}"
        )
    return memberships


@never_cache
@login_required
def actor_detail(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """One organisation: edit its fields (``active_until`` deactivates), its people and its
    pending invitations."""
    county = _county(request, county_code)
    organisation = _organisation(request, county, pk)
    if not can_manage_actors(request.user, county.pk):
        raise PermissionDenied
    initial = {
        f: getattr(organisation, f)
        for f in (
            "name",
            "kind",
            "municipality_code",
            "organisation_number",
            "email",
            "active_from",
            "active_until",
        )
    }
    form = OrganisationForm(
        request.POST if request.method == "POST" else None,
        county=county,
        exclude_pk=organisation.pk,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                directory_services.organisation_update(
                    actor=request.user, organisation_id=organisation.pk, data=form.cleaned_data
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            except DirectoryError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Uppgifterna är sparade."))
                return redirect(_detail_url(organisation))
    return render(
        request,
        "accounts/actor_detail.html",
        {
            "county": county,
            "organisation": organisation,
            "form": form,
            "members": _members(organisation=organisation),
            "invitations": _pending_invitations(organisation=organisation),
        },
        status=status,
    )


@never_cache
@login_required
def invite(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Invite a person by e-mail to the organisation with a role."""
    county = _county(request, county_code)
    organisation = _organisation(request, county, pk)
    if not can_manage_actors(request.user, county.pk):
        raise PermissionDenied
    form = InvitationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                invitation, _token = services.invitation_create(
                    actor=request.user,
                    organisation_id=organisation.pk,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                )
            except services.InvitationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("En inbjudan har skickats till %(email)s.") % {"email": invitation.email},
                )
                return redirect(_detail_url(organisation))
    return render(
        request,
        "accounts/invite.html",
        {"county": county, "organisation": organisation, "form": form},
        status=status,
    )


def _invitation_action(
    request: HttpRequest, county_code: str, pk: int, action: str
) -> HttpResponse:
    county = _county(request, county_code)
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation"), pk=pk, organisation__county=county
    )
    if not permissions.can_manage_invitation(request.user, invitation):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        if action == "resend":
            services.invitation_resend(actor=request.user, invitation_id=invitation.pk)
            messages.success(
                request,
                _(
                    "Inbjudan till %(email)s har skickats igen; den gamla länken fungerar inte "
                    "längre."
                )
                % {"email": invitation.email},
            )
        else:
            services.invitation_revoke(actor=request.user, invitation_id=invitation.pk)
            messages.success(
                request, _("Inbjudan till %(email)s är återkallad.") % {"email": invitation.email}
            )
    except services.InvitationError as exc:
        messages.error(request, str(exc))
    return redirect(_back(request, invitation.organisation))


def _back(request: HttpRequest, organisation: Organisation) -> str:
    """Back to the people list if the form came from there, else the organisation's page."""
    back = request.POST.get("next")
    if back == "people":
        return reverse("actors:people", args=[organisation.county.code])  # type: ignore[union-attr]
    if back == "national":
        return reverse("actors:national-coordinators")
    return _detail_url(organisation)


@login_required
def invitation_resend(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """POST: a new link for the invitation (the old one dies)."""
    return _invitation_action(request, county_code, pk, "resend")


@login_required
def invitation_revoke(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """POST: end the invitation."""
    return _invitation_action(request, county_code, pk, "revoke")


@never_cache
@login_required
def people(request: HttpRequest, county_code: str) -> HttpResponse:
    """Everyone in the county with role, organisation and last login, and pending invitations."""
    county = county_for_actors(request, county_code)
    return render(
        request,
        "accounts/people.html",
        {
            "county": county,
            "members": _members(organisation__county=county),
            "invitations": _pending_invitations(organisation__county=county),
        },
    )


def _membership(request: HttpRequest, county_code: str, pk: int) -> Membership:
    county = _county(request, county_code)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "user"),
        pk=pk,
        organisation__county=county,
    )
    if not permissions.can_manage_membership(request.user, membership):
        raise PermissionDenied
    return membership


@login_required
def membership_role(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """POST: give the member another role at the same organisation (audited)."""
    membership = _membership(request, county_code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MembershipRoleForm(request.POST, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, _("Välj en roll."))
    else:
        try:
            memberships.membership_change_role(
                actor=request.user, membership_id=membership.pk, role=form.cleaned_data["role"]
            )
        except services.InvitationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Rollen är ändrad."))
    return redirect(_back(request, membership.organisation))


@login_required
def membership_title(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """POST: set the member's title (shown under a signature in the lägesrapport; audited)."""
    county = _county(request, county_code)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation"), pk=pk, organisation__county=county
    )
    if not permissions.can_set_membership_title(request.user, membership):
        raise PermissionDenied
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MembershipTitleForm(request.POST, prefix=f"t{membership.pk}")
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(
            request, _("Titeln sparades inte: %(errors)s") % {"errors": " ".join(errors)}
        )
        return redirect(_back(request, membership.organisation))
    try:
        memberships.membership_set_title(
            actor=request.user, membership_id=membership.pk, title=form.cleaned_data["title"]
        )
    except services.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Titeln är sparad."))
    return redirect(_back(request, membership.organisation))


@login_required
def membership_remove(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """POST: end the membership (the person's history stays in the audit log)."""
    membership = _membership(request, county_code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        memberships.membership_remove(actor=request.user, membership_id=membership.pk)
    except services.InvitationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(person)s är inte längre %(role)s vid %(organisation)s.")
            % {
                "person": membership.user,
                "role": membership.get_role_display().lower(),
                "organisation": membership.organisation.name,
            },
        )
    return redirect(_back(request, membership.organisation))


def _no_referrer(response: HttpResponse) -> HttpResponse:
    # The address holds the token: never send it to another site. ("no-referrer" would make
    # the browser send "Origin: null" with the form, which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    return response


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page the e-mail's link opens: choose a password (new person) or confirm (an existing
    account, logged in); then logged in and sent to their task."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return _no_referrer(
            render(
                request,
                "accounts/invitation_refused.html",
                {"message": services.refused_message()},
                status=404,
            )
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    logged_in = request.user.is_authenticated
    form = (
        None
        if existing
        else AcceptInvitationForm(
            invitation.email, request.POST if request.method == "POST" else None
        )
    )
    error = ""
    if logged_in and (existing is None or existing.pk != request.user.pk):
        error = services.wrong_account_message()
    status = 200
    if request.method == "POST" and not error:
        status = 400
        if existing is not None and not logged_in:
            error = _("Du har redan ett konto. Logga in för att ta emot inbjudan.")
        elif form is None or form.is_valid():
            try:
                user = services.invitation_accept(
                    token=token,
                    password=form.cleaned_data["new_password1"] if form is not None else None,
                    current_user=request.user,
                )
            except services.InvitationError as exc:
                error = str(exc)
            else:
                if not logged_in:
                    login(request, user, backend=MODEL_BACKEND)
                messages.success(
                    request,
                    _("Välkommen! Du är nu %(role)s för %(organisation)s.")
                    % {
                        "role": invitation.get_role_display().lower(),
                        "organisation": invitation.organisation.name,
                    },
                )
                return redirect(landing_url(user, default=reverse("home")))
    login_url = reverse("accounts:login") + "?next=" + request.path
    return _no_referrer(
        render(
            request,
            "accounts/invitation_accept.html",
            {
                "invitation": invitation,
                "form": form,
                "existing": existing,
                "error": error,
                "login_url": login_url,
            },
            status=status,
        )
    )


@never_cache
@login_required
def national_coordinators(request: HttpRequest) -> HttpResponse:
    """The national admin: every county's coordinators and pending coordinator invitations,
    and a form to invite a coordinator for any county."""
    if not permissions.is_national_admin(request.user):
        raise PermissionDenied
    form = NationalCoordinatorForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                invitation, _token = services.coordinator_invite(
                    actor=request.user,
                    county_id=form.cleaned_data["county"].pk,
                    email=form.cleaned_data["email"],
                )
            except services.InvitationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request,
                    _("En inbjudan som samordnare för %(county)s har skickats till %(email)s.")
                    % {"county": form.cleaned_data["county"].name, "email": invitation.email},
                )
                return redirect(reverse("actors:national-coordinators"))
    return render(
        request,
        "accounts/national_coordinators.html",
        {
            "form": form,
            "members": Membership.objects.filter(role=Role.COORDINATOR)
            .select_related("user", "organisation", "organisation__county")
            .order_by("organisation__county__code", "user__email"),
            "invitations": _pending_invitations(role=Role.COORDINATOR),
        },
        status=status,
    )
