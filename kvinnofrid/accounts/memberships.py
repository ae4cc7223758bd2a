"""Changing a membership: another role, a title, or none (the county's coordinators; the
national admin for coordinators). Each change is audited; the county keeps a coordinator."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kvinnofrid.accounts import permissions
from kvinnofrid.accounts.models import Membership, Role
from kvinnofrid.accounts.services import InvitationError
from kvinnofrid.core.audit import audit_log
from kvinnofrid.core.forms import LINE_BREAKS, has_control_characters


def _lock_membership(
    membership_id: int,
    actor: Any,
    allowed: Callable[[Any, Membership], bool] = permissions.can_manage_membership,
) -> Membership:
    """The membership locked for the change, if ``allowed`` lets the actor make it."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("organisation", "user")
        .get(pk=membership_id)
    )
    if not allowed(actor, membership):
        raise PermissionDenied
    return membership


def _check_not_last_coordinator(membership: Membership) -> None:
    if membership.role != Role.COORDINATOR:
        return
    county_id = membership.organisation.county_id
    same_county = (
        Q(organisation__county__isnull=True)
        if county_id is None
        else Q(organisation__county_id=county_id)
    )
    others = (
        Membership.objects.filter(same_county, role=Role.COORDINATOR, user__is_active=True)
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise InvitationError(_("Länet måste ha minst en samordnare."))


@transaction.atomic
def membership_change_role(*, actor: Any, membership_id: int, role: str) -> Membership:
    """Give a member another role at the same organisation.

    Raises ``PermissionDenied`` unless the actor may manage both the old and the new role,
    ``InvitationError`` for a role that does not fit the organisation, a role the person already
    has there, or the county's last coordinator. Audited as ``accounts.membership.role_changed``.
    """
    membership = _lock_membership(membership_id, actor)
    if not permissions.can_invite(actor, membership.organisation, role):
        raise PermissionDenied
    if role == membership.role:
        return membership
    if not permissions.role_fits_organisation(role, membership.organisation):
        raise InvitationError(_("Rollen kan inte ges vid den här organisationen."))
    if Membership.objects.filter(
        user=membership.user, organisation=membership.organisation, role=role
    ).exists():
        raise InvitationError(_("Personen har redan den rollen vid organisationen."))
    _check_not_last_coordinator(membership)
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_log(
        actor=actor,
        action="accounts.membership.role_changed",
        target=membership,
        county_id=membership.organisation.county_id,
        changes={"role": [old, role], "user": [membership.user.email, membership.user.email]},
    )
    return membership


@transaction.atomic
def membership_set_title(*, actor: Any, membership_id: int, title: str) -> Membership:
    """Set the member's title at the organisation (e.g. "Länsråd", shown under a signature in
    the lägesrapport); blank removes it. Raises ``PermissionDenied`` unless the actor
    coordinates the member's county, ``InvitationError`` for a control character, a line break
    or more than 200 characters. Audited as ``accounts.membership.title_changed``."""
    membership = _lock_membership(membership_id, actor, permissions.can_set_membership_title)
    title = title.strip()
    max_length = Membership._meta.get_field("title").max_length or 200
    if has_control_characters(title) or LINE_BREAKS.search(title) or len(title) > max_length:
        raise InvitationError(
            _("Titeln får ha högst %(n)d tecken, på en rad och utan styrtecken.")
            % {"n": max_length}
        )
    if title == membership.title:
        return membership
    old = membership.title
    membership.title = title
    membership.save(update_fields=["title"])
    audit_log(
        actor=actor,
        action="accounts.membership.title_changed",
        target=membership,
        county_id=membership.organisation.county_id,
        changes={"title": [old, title]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership_id: int) -> None:
    """End a person's membership of an organisation (the user, their submissions and the audit
    log stay; only this role link goes). Raises ``PermissionDenied`` or ``InvitationError``
    for the county's last coordinator. Audited as ``accounts.membership.removed`` with the
    person, organisation and role, so the history is kept."""
    membership = _lock_membership(membership_id, actor)
    _check_not_last_coordinator(membership)
    audit_log(
        actor=actor,
        action="accounts.membership.removed",
        target=membership,
        county_id=membership.organisation.county_id,
        changes={
            "user": [membership.user.email, None],
            "organisation": [membership.organisation.name, None],
            "role": [membership.role, None],
        },
    )
    membership.delete()
