"""Who may change a county's directory of actors. Pure functions; no side effects.

DESIGN §5: organisations, people and invitations are kept by the county's coordinators (and
superusers). Everyone else who reads the county gets 403, other counties 404 (views fetch the
county through ``County.objects.visible_to`` first).
"""

from typing import Any

from kvinnofrid.directory.scopes import is_active_user

# The accounts app's Role.COORDINATOR; this layer sits below accounts and cannot import it.
COORDINATOR_ROLE = "coordinator"


def can_manage_actors(user: Any, county_id: int | None) -> bool:
    """The county's coordinators (and superusers) add, edit and deactivate its organisations
    and invite its people."""
    if not is_active_user(user) or county_id is None:
        return False
    return user.is_superuser or user.has_county_role(county_id, {COORDINATOR_ROLE})
