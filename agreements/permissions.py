"""Who may read and change county content. Pure functions; no side effects.

The rule of DESIGN §5: everyone with a membership in a county reads that county's agreements and
plans, observers read every county, and only the county's coordinators change anything.
Views fetch through a ``visible_to`` scope (out of scope is 404) and then check a predicate
(visible but not allowed is 403).
"""

from typing import Any

from django.db.models import Q

from kvinnofrid.accounts.models import Role


def _is_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def sees_all_counties(user: Any) -> bool:
    """Superusers and national observers read every county."""
    return _is_user(user) and (user.is_superuser or user.is_observer)


def visible_county_ids(user: Any) -> set[int] | None:
    """The counties ``user`` may read; ``None`` means all of them."""
    if not _is_user(user):
        return set()
    if sees_all_counties(user):
        return None
    return user.member_county_ids


def county_scope_q(user: Any, county_path: str) -> Q:
    """A filter for objects whose county (reached through ``county_path``) ``user`` may read."""
    ids = visible_county_ids(user)
    if ids is None:
        return Q()
    if not ids:
        return Q(pk__in=[])
    return Q(**{f"{county_path}__in": ids})


def can_view_county(user: Any, county_id: int | None) -> bool:
    ids = visible_county_ids(user)
    return ids is None or (county_id is not None and county_id in ids)


def can_edit_county(user: Any, county_id: int | None) -> bool:
    """Only the county's coordinators (and superusers) write agreements and plans."""
    if not _is_user(user):
        return False
    return user.is_superuser or user.has_county_role(county_id, {Role.COORDINATOR})


def can_view_agreement(user: Any, agreement: Any) -> bool:
    return can_view_county(user, agreement.county_id)


def can_edit_agreement(user: Any, agreement: Any) -> bool:
    return can_edit_county(user, agreement.county_id)


def plan_scope_q(user: Any) -> Q:
    """Plans ``user`` may read: adopted and archived ones of every county they read; drafts only
    of counties they coordinate (a draft is the coordinators' work in progress)."""
    if not _is_user(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    published = ~Q(status="draft") & county_scope_q(user, "county")
    return published | Q(status="draft", county_id__in=user.county_ids_for({Role.COORDINATOR}))


def can_view_plan(user: Any, plan: Any) -> bool:
    """Everyone who reads the plan's county reads its adopted and archived versions; drafts are
    for the county's coordinators (pairs with ``plan_scope_q``)."""
    if plan.status == "draft":
        return can_edit_county(user, plan.county_id)
    return can_view_county(user, plan.county_id)


def can_edit_plan(user: Any, plan: Any) -> bool:
    """The county's coordinators change its plans (whether the plan is a draft is a state check)."""
    return can_edit_county(user, plan.county_id)
