"""Which counties a user reads: the one rule every county-scoped query and predicate starts from.

DESIGN §5: everyone with a membership in a county reads that county; national observers and
superusers read every county. The user is read through the attributes the accounts app's ``User``
provides (``is_observer``, ``is_national_admin``, ``member_county_ids``, ``county_ids_for``,
``has_county_role``), so this bottom layer needs no import of it.
"""

from collections.abc import Iterable
from typing import Protocol, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q


class CountyReader(Protocol):
    """The attributes of a logged-in user this module reads (the accounts app's ``User``)."""

    @property
    def is_authenticated(self) -> bool: ...
    @property
    def is_active(self) -> bool: ...
    @property
    def is_superuser(self) -> bool: ...
    @property
    def is_observer(self) -> bool: ...
    @property
    def is_national_admin(self) -> bool: ...
    @property
    def member_county_ids(self) -> Iterable[int]: ...
    def county_ids_for(self, roles: Iterable[str]) -> set[int]: ...
    def has_county_role(self, county_id: int | None, roles: Iterable[str]) -> bool: ...


# A request's user (possibly anonymous), or None when a command acts without a user.
type Reader = CountyReader | AnonymousUser | None


def is_active_user(user: Reader) -> TypeGuard[CountyReader]:
    """A logged-in, active user (anonymous users and ``None`` are not)."""
    return bool(
        user is not None
        and not isinstance(user, AnonymousUser)
        and user.is_authenticated
        and user.is_active
    )


def sees_all_counties(user: Reader) -> bool:
    """Superusers, national observers and national admins read every county."""
    return is_active_user(user) and (
        user.is_superuser or user.is_observer or user.is_national_admin
    )


def visible_county_ids(user: Reader) -> set[int] | None:
    """The counties ``user`` may read; ``None`` means all of them."""
    if not is_active_user(user):
        return set()
    if sees_all_counties(user):
        return None
    return set(user.member_county_ids)


def county_scope_q(user: Reader, county_path: str) -> Q:
    """A filter for objects whose county (reached through ``county_path``) ``user`` may read."""
    ids = visible_county_ids(user)
    if ids is None:
        return Q()
    if not ids:
        return Q(pk__in=[])
    return Q(**{f"{county_path}__in": ids})


def can_view_county(user: Reader, county_id: int | None) -> bool:
    """Whether ``user`` reads the county ``county_id``."""
    ids = visible_county_ids(user)
    return ids is None or (county_id is not None and county_id in ids)
