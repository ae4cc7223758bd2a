"""Who may invite people and change memberships (DESIGN §5). Pure functions; no side effects.

A county's coordinators invite people of any role to its organisations and keep their
memberships. The national admin creates coordinators for any county. Co-coordinators are
always members of the county's länsstyrelse (an organisation of kind ``lansstyrelse``): the
coordinator role is the county board's, and a municipality officer who helps with the
follow-up is a reporter or in the management group, never a coordinator.
"""

from typing import Any

from django.db.models import Q

from kvinnofrid.accounts.models import Role
from kvinnofrid.directory.models import OrganisationKind
from kvinnofrid.directory.permissions import can_manage_actors
from kvinnofrid.directory.scopes import is_active_user

INVITABLE_ROLES = (Role.REPORTER, Role.MANAGEMENT, Role.COORDINATOR)


def is_national_admin(user: Any) -> bool:
    """The operator of the service (or a superuser)."""
    return is_active_user(user) and bool(user.is_national_admin)


def role_fits_organisation(role: str, organisation: Any) -> bool:
    """Coordinators belong to the county's länsstyrelse; reporters and management to any
    organisation of a county. National organisations take no invitations here."""
    if organisation.county_id is None or role not in INVITABLE_ROLES:
        return False
    return role != Role.COORDINATOR or organisation.kind == OrganisationKind.LANSSTYRELSE


def can_invite(user: Any, organisation: Any, role: str) -> bool:
    """The county's coordinators invite any role; the national admin invites coordinators."""
    if not is_active_user(user) or organisation.county_id is None:
        return False
    if role == Role.COORDINATOR and is_national_admin(user):
        return True
    return can_manage_actors(user, organisation.county_id)


def can_manage_invitation(user: Any, invitation: Any) -> bool:
    """Resend or revoke: whoever may send such an invitation."""
    return can_invite(user, invitation.organisation, invitation.role)


def can_manage_membership(user: Any, membership: Any) -> bool:
    """Change the role of or remove a membership: the county's coordinators (the national
    admin for coordinators)."""
    return can_invite(user, membership.organisation, membership.role)


def can_set_membership_title(user: Any, membership: Any) -> bool:
    """Set the title a member holds (shown under a signature in the lägesrapport): the
    county's coordinators, for every member in the county, coordinators included."""
    return can_manage_actors(user, membership.organisation.county_id)


def invitation_scope_q(user: Any) -> Q:
    """Invitations ``user`` may see: those of the counties they coordinate; the national admin
    also every coordinator invitation."""
    if not is_active_user(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    q = Q(organisation__county_id__in=user.county_ids_for({Role.COORDINATOR}))
    if is_national_admin(user):
        q |= Q(role=Role.COORDINATOR)
    return q
