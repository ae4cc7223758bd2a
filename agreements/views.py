"""Agreement pages and the portal's home page.

Views fetch through ``visible_to`` (another county is a 404), check ``can_edit_agreement`` for
writes (403) and call ``agreements.services``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from agreements import services
from agreements.exceptions import AgreementError
from agreements.forms import AgreementForm, CommitmentForm, MeetingForm, PartyForm
from agreements.models import Agreement, Commitment, Meeting, Party
from agreements.permissions import can_edit_agreement, can_edit_county
from kvinnofrid.core.conflicts import conflict_response
from kvinnofrid.core.forms import ConfirmForm, MoveForm
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.directory.models import County


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a user with one county to its start page; list the counties otherwise."""
    counties = list(County.objects.visible_to(request.user))
    if len(counties) == 1:
        return redirect("actionplans:county-start", county_code=counties[0].code)
    return render(request, "agreements/home.html", {"counties": counties})


def _county(request: HttpRequest, county_code: str) -> County:
    return get_object_or_404(County.objects.visible_to(request.user), code=county_code)


def _agreement(request: HttpRequest, county_code: str, pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("county", "previous"),
        pk=pk,
        county__code=county_code,
    )


def _detail_url(agreement: Agreement, anchor: str = "") -> str:
    url = reverse("agreements:agreement-detail", args=[agreement.county.code, agreement.pk])
    return f"{url}#{anchor}" if anchor else url


def _require_edit(request: HttpRequest, agreement: Agreement) -> None:
    if not can_edit_agreement(request.user, agreement):
        raise PermissionDenied


@login_required
def agreement_list(request: HttpRequest, county_code: str) -> HttpResponse:
    """The county's agreements, newest first."""
    county = _county(request, county_code)
    agreements = Agreement.objects.filter(county=county).order_by("-valid_from", "-id")
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "county": county,
            "agreements": agreements,
            "may_edit": can_edit_county(request.user, county.pk),
        },
    )


@login_required
def agreement_create(request: HttpRequest, county_code: str) -> HttpResponse:
    """A coordinator registers a new agreement."""
    county = _county(request, county_code)
    if not can_edit_county(request.user, county.pk):
        raise PermissionDenied
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            agreement = services.agreement_create(county=county, data=data, actor=request.user)
        except AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Överenskommelsen är skapad."))
            return redirect(_detail_url(agreement))
    return render(
        request,
        "agreements/agreement_form.html",
        {"county": county, "form": form, "agreement": None, "heading": _("Ny överenskommelse")},
    )


@login_required
def agreement_detail(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """The agreement with its parties, målområden and meetings."""
    agreement = _agreement(request, county_code, pk)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "county": agreement.county,
            "parties": agreement.parties.select_related("organisation"),
            "commitments": agreement.commitments.select_related("national_goal"),
            "meetings": agreement.meetings.all(),
            "may_edit": can_edit_agreement(request.user, agreement),
        },
    )


@login_required
def agreement_edit(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Edit the agreement's own fields; a stale save gives the conflict page."""
    agreement = _agreement(request, county_code, pk)
    _require_edit(request, agreement)
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            services.agreement_update(
                agreement_id=agreement.pk,
                expected_version=form.cleaned_data.get("lock_version"),
                data=data,
                actor=request.user,
            )
        except StaleObjectError as exc:
            return conflict_response(
                request,
                form_class=AgreementForm,
                form_kwargs={},
                current=exc.current,
                title=str(exc.current),
                back_url=_detail_url(agreement),
            )
        except AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Överenskommelsen är sparad."))
            return redirect(_detail_url(agreement))
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "county": agreement.county,
            "form": form,
            "agreement": agreement,
            "heading": _("Redigera överenskommelsen"),
        },
    )


@login_required
def agreement_copy(request: HttpRequest, county_code: str, pk: int) -> HttpResponse:
    """Confirm, then start a new agreement from this one (parties and målområden copied)."""
    agreement = _agreement(request, county_code, pk)
    _require_edit(request, agreement)
    if request.method == "POST":
        new = services.agreement_copy(agreement_id=agreement.pk, actor=request.user)
        messages.success(
            request, _("En ny överenskommelse är skapad från den föregående. Fyll i datum.")
        )
        return redirect("agreements:agreement-edit", new.county.code, new.pk)
    return render(
        request,
        "agreements/agreement_copy.html",
        {"agreement": agreement, "county": agreement.county},
    )


# --- parties, commitments, meetings --------------------------------------------------------------


@dataclass(frozen=True)
class ItemKind:
    slug: str
    model: type[models.Model]
    form: Callable[..., forms.ModelForm[Any]]
    label: StrOrPromise
    add: Any
    update: Any
    remove: Any
    move: Any
    id_arg: str
    section: str


ITEM_KINDS = {
    "parter": ItemKind(
        "parter",
        Party,
        PartyForm,
        gettext_lazy("part"),
        services.party_add,
        services.party_update,
        services.party_remove,
        services.party_move,
        "party_id",
        "parter",
    ),
    "malomraden": ItemKind(
        "malomraden",
        Commitment,
        CommitmentForm,
        gettext_lazy("målområde"),
        services.commitment_add,
        services.commitment_update,
        services.commitment_remove,
        services.commitment_move,
        "commitment_id",
        "malomraden",
    ),
    "sammantraden": ItemKind(
        "sammantraden",
        Meeting,
        MeetingForm,
        gettext_lazy("sammanträde"),
        services.meeting_add,
        services.meeting_update,
        services.meeting_remove,
        None,
        "meeting_id",
        "sammantraden",
    ),
}


def _item_kind(kind: str) -> ItemKind:
    try:
        return ITEM_KINDS[kind]
    except KeyError:
        raise Http404 from None


def _form_kwargs(item_kind: ItemKind, agreement: Agreement) -> dict[str, Any]:
    return {"county_id": agreement.county_id} if item_kind.model is Party else {}


@login_required
def item_create(request: HttpRequest, county_code: str, pk: int, kind: str) -> HttpResponse:
    """Add a party, målområde or meeting; the form carries the agreement's lock_version."""
    item_kind = _item_kind(kind)
    agreement = _agreement(request, county_code, pk)
    _require_edit(request, agreement)
    kwargs = _form_kwargs(item_kind, agreement)
    form = item_kind.form(
        request.POST or None, initial={"lock_version": agreement.lock_version}, **kwargs
    )
    back_url = _detail_url(agreement, item_kind.section)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            item_kind.add(
                agreement_id=agreement.pk,
                expected_version=form.cleaned_data.get("lock_version"),
                data=data,
                actor=request.user,
            )
        except StaleObjectError as exc:
            return conflict_response(
                request,
                form_class=item_kind.form,
                form_kwargs=kwargs,
                current=item_kind.model(agreement=exc.current),
                title=str(agreement),
                back_url=back_url,
                lock_version=exc.current.lock_version,
            )
        except AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sparat."))
            return redirect(back_url)
    return render(
        request,
        "agreements/item_form.html",
        {
            "agreement": agreement,
            "county": agreement.county,
            "form": form,
            "heading": _("Lägg till %(kind)s") % {"kind": item_kind.label},
            "back_url": back_url,
        },
    )


def _item(item_kind: ItemKind, agreement: Agreement, item_pk: int) -> Any:
    return get_object_or_404(item_kind.model, pk=item_pk, agreement=agreement)


@login_required
def item_edit(
    request: HttpRequest, county_code: str, pk: int, kind: str, item_pk: int
) -> HttpResponse:
    """Edit a party, målområde or meeting; stale saves give the conflict page."""
    item_kind = _item_kind(kind)
    agreement = _agreement(request, county_code, pk)
    _require_edit(request, agreement)
    obj = _item(item_kind, agreement, item_pk)
    kwargs = _form_kwargs(item_kind, agreement)
    form = item_kind.form(
        request.POST or None,
        instance=obj,
        initial={"lock_version": agreement.lock_version},
        **kwargs,
    )
    back_url = _detail_url(agreement, item_kind.section)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            item_kind.update(
                **{item_kind.id_arg: obj.pk},
                expected_version=form.cleaned_data.get("lock_version"),
                data=data,
                actor=request.user,
            )
        except StaleObjectError as exc:
            return conflict_response(
                request,
                form_class=item_kind.form,
                form_kwargs=kwargs,
                current=item_kind.model._default_manager.get(pk=obj.pk),
                title=str(obj),
                back_url=back_url,
                lock_version=exc.current.lock_version,
            )
        except AgreementError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Sparat."))
            return redirect(back_url)
    return render(
        request,
        "agreements/item_form.html",
        {
            "agreement": agreement,
            "county": agreement.county,
            "form": form,
            "heading": _("Redigera %(kind)s") % {"kind": item_kind.label},
            "back_url": back_url,
        },
    )


@login_required
def item_delete(
    request: HttpRequest, county_code: str, pk: int, kind: str, item_pk: int
) -> HttpResponse:
    """Ask for confirmation, then remove the party, målområde or meeting."""
    item_kind = _item_kind(kind)
    agreement = _agreement(request, county_code, pk)
    _require_edit(request, agreement)
    obj = _item(item_kind, agreement, item_pk)
    form = ConfirmForm(request.POST or None, initial={"lock_version": agreement.lock_version})
    back_url = _detail_url(agreement, item_kind.section)
    if request.method == "POST" and form.is_valid():
        try:
            item_kind.remove(
                **{item_kind.id_arg: obj.pk},
                expected_version=form.cleaned_data.get("lock_version"),
                actor=request.user,
            )
        except StaleObjectError:
            messages.error(
                request,
                _(
                    "Överenskommelsen har ändrats sedan du öppnade sidan. Kontrollera och försök igen."
                ),
            )
            return redirect(request.path)
        messages.success(request, _("Borttaget."))
        return redirect(back_url)
    return render(
        request,
        "agreements/item_delete.html",
        {
            "agreement": agreement,
            "county": agreement.county,
            "form": form,
            "object": obj,
            "kind": item_kind,
            "back_url": back_url,
        },
    )


@login_required
@require_POST
def item_move(
    request: HttpRequest, county_code: str, pk: int, kind: str, item_pk: int
) -> HttpResponse:
    """Move a party or målområde one step up or down."""
    item_kind = _item_kind(kind)
    if item_kind.move is None:
        raise Http404
    agreement = _agreement(request, county_code, pk)
    _require_edit(request, agreement)
    obj = _item(item_kind, agreement, item_pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        item_kind.move(
            **{item_kind.id_arg: obj.pk},
            direction=form.cleaned_data["direction"],
            actor=request.user,
        )
    else:
        messages.error(request, _("Okänd riktning."))
    return redirect(_detail_url(agreement, item_kind.section))
