"""Who may use the national level (DESIGN §5). Pure predicates."""

from typing import Any

from kvinnofrid.accounts.models import Role
from kvinnofrid.directory.scopes import is_active_user


def can_view_national_overview(user: Any) -> bool:
    """The national observer and the national admin (superusers are national admins)."""
    return is_active_user(user) and (user.is_observer or user.is_national_admin)


def can_edit_report_back(user: Any, county_id: int | None) -> bool:
    """Write, finalise and download drafts of a county's report-back: its coordinators only."""
    return is_active_user(user) and user.has_county_role(county_id, {Role.COORDINATOR})
