"""Who may use the national level (DESIGN §5). Pure predicates."""

from typing import Any

from agreements.permissions import can_edit_county
from kvinnofrid.directory.scopes import is_active_user


def can_view_national_overview(user: Any) -> bool:
    """The national observer and the national admin (superusers are national admins)."""
    return is_active_user(user) and (user.is_observer or user.is_national_admin)


def can_edit_report_back(user: Any, county_id: int | None) -> bool:
    """Write, finalise and download drafts of a county's report-back: the county's coordinators
    (and superusers), as for everything else the county writes."""
    return can_edit_county(user, county_id)
