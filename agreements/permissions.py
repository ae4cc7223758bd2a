"""Who may read and change county content. Pure functions; no side effects.

The rule of DESIGN §5: everyone with a membership in a county reads that county's agreements and
plans, observers read every county, and only the county's coordinators change anything.
Views fetch through a ``visible_to`` scope (out of scope is 404) and then check a predicate
(visible but not allowed is 403). Which counties a user reads is decided in
``kvinnofrid.directory.scopes``.
"""

from typing import Any

from kvinnofrid.accounts.models import Role
from kvinnofrid.directory.scopes import can_view_county, is_active_user


def can_edit_county(user: Any, county_id: int | None) -> bool:
    """Only the county's coordinators (and superusers) write agreements and plans."""
    if not is_active_user(user):
        return False
    return user.is_superuser or user.has_county_role(county_id, {Role.COORDINATOR})


def can_view_agreement(user: Any, agreement: Any) -> bool:
    """Everyone who reads the agreement's county reads the agreement."""
    return can_view_county(user, agreement.county_id)


def can_edit_agreement(user: Any, agreement: Any) -> bool:
    """The county's coordinators change its agreements."""
    return can_edit_county(user, agreement.county_id)
