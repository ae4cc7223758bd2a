"""Agreement pages and the portal's home page.

Views fetch through ``visible_to`` (another county is a 404), check ``can_edit_agreement`` for
writes (403) and call ``agreements.services``.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agreements import services
from agreements.exceptions import AgreementError
from agreements.forms import AgreementForm, CommitmentForm, MeetingForm, PartyForm
from agreements.models import Agreement, Commitment, Meeting, Party
from agreements.permissions import can_edit_agreement, can_edit_county
from kvinnofrid.core.child_views import ChildPage, ChildPages
from kvinnofrid.core.conflicts import conflict_response
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


ITEM_KINDS = {
    "parter": ChildPage(
        "parter", Party, PartyForm, gettext_lazy("part"), services.party_add,
        services.party_update, services.party_remove, services.party_move,
        id_arg="party_id", parent_arg="agreement_id", section="parter",
    ),
    "malomraden": ChildPage(
        "malomraden", Commitment, CommitmentForm, gettext_lazy("målområde"),
        services.commitment_add, services.commitment_update, services.commitment_remove,
        services.commitment_move, id_arg="commitment_id", parent_arg="agreement_id",
        section="malomraden",
    ),
    "sammantraden": ChildPage(
        "sammantraden", Meeting, MeetingForm, gettext_lazy("sammanträde"),
        services.meeting_add, services.meeting_update, services.meeting_remove, None,
        id_arg="meeting_id", parent_arg="agreement_id", section="sammantraden",
    ),
}  # fmt: skip


class AgreementItems(ChildPages[Agreement]):
    """The items' pages: the agreement's ``lock_version`` guards every item form, and a saved
    item is shown in its section of the agreement."""

    kinds = ITEM_KINDS
    error = AgreementError
    aggregate_guards = True
    aggregate_name = "agreement"
    form_template = "agreements/item_form.html"
    delete_template = "agreements/item_delete.html"
    stale_delete_message = gettext_lazy(
        "Överenskommelsen har ändrats sedan du öppnade sidan. Kontrollera och försök igen."
    )

    def aggregate(self, request: HttpRequest, county_code: str, pk: int) -> Agreement:
        agreement = _agreement(request, county_code, pk)
        _require_edit(request, agreement)
        return agreement

    def child(self, kind: ChildPage, aggregate: Agreement, child_pk: int) -> Any:
        return get_object_or_404(kind.model, pk=child_pk, agreement=aggregate)

    def form_kwargs(self, kind: ChildPage, aggregate: Agreement) -> dict[str, Any]:
        return {"county_id": aggregate.county_id} if kind.model is Party else {}

    def back_url(self, aggregate: Agreement, kind: ChildPage, obj: Any = None) -> str:
        return _detail_url(aggregate, kind.section)

    def conflict_current(self, kind: ChildPage, aggregate: Agreement, obj: Any, exc: Any) -> Any:
        if obj is None:  # a new item: nothing saved to compare with
            return kind.model(agreement=exc.current)
        return kind.model._default_manager.get(pk=obj.pk)


AGREEMENT_ITEMS = AgreementItems()


@login_required
def item_create(request: HttpRequest, county_code: str, pk: int, kind: str) -> HttpResponse:
    """Add a party, målområde or meeting; the form carries the agreement's lock_version."""
    return AGREEMENT_ITEMS.create(request, county_code, pk, kind)


@login_required
def item_edit(
    request: HttpRequest, county_code: str, pk: int, kind: str, item_pk: int
) -> HttpResponse:
    """Edit a party, målområde or meeting; stale saves give the conflict page."""
    return AGREEMENT_ITEMS.edit(request, county_code, pk, kind, item_pk)


@login_required
def item_delete(
    request: HttpRequest, county_code: str, pk: int, kind: str, item_pk: int
) -> HttpResponse:
    """Ask for confirmation, then remove the party, målområde or meeting."""
    return AGREEMENT_ITEMS.delete(request, county_code, pk, kind, item_pk)


@login_required
@require_POST
def item_move(
    request: HttpRequest, county_code: str, pk: int, kind: str, item_pk: int
) -> HttpResponse:
    """Move a party or målområde one step up or down."""
    return AGREEMENT_ITEMS.move(request, county_code, pk, kind, item_pk)
