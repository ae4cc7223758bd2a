"""Who may read and change county content. Pure functions; no side effects.

The rule of DESIGN §5: everyone with a membership in a county reads that county's agreements and
plans, observers read every county, and only the county's coordinators change anything.
Views fetch through a ``visible_to`` scope (out of scope is 404) and then check a predicate
(visible but not allowed is 403). Which counties a user reads is decided in
``kvinnofrid.directory.scopes``.
"""

from agreements.models import Agreement
from kvinnofrid.accounts.models import Actor, Role, active_user
from kvinnofrid.directory.scopes import can_view_county


def can_edit_county(user: Actor, county_id: int | None) -> bool:
    """Only the county's coordinators (and superusers) write agreements and plans."""
    active = active_user(user)
    if active is None:
        return False
    return active.is_superuser or active.has_county_role(county_id, {Role.COORDINATOR})


def can_view_agreement(user: Actor, agreement: Agreement) -> bool:
    """Everyone who reads the agreement's county reads the agreement."""
    return can_view_county(user, agreement.county_id)


def can_edit_agreement(user: Actor, agreement: Agreement) -> bool:
    """The county's coordinators change its agreements."""
    return can_edit_county(user, agreement.county_id)
