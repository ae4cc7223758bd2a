"""Who may see and change follow-up data (DESIGN §5). Pure functions; no side effects."""

from typing import Any

from django.db.models import Q

from agreements.permissions import can_edit_county
from kvinnofrid.accounts.models import Role
from kvinnofrid.directory.scopes import can_view_county, sees_all_counties
from kvinnofrid.directory.scopes import is_active_user as _is_user

EDITABLE_STATUSES = {"not_started", "draft", "returned"}


# What management and observers may read: a yttrande once it is sent in (drafts, not-started
# and returned ones are the organisation's own work in progress).
READABLE_WHEN_SUBMITTED = ("submitted", "accepted")


def submission_scope_q(user: Any) -> Q:
    """Coordinators see every submission of their county, reporters their own organisation's,
    management the submitted ones of their county and national readers (observers) the submitted
    ones of every county; superusers all."""
    if not _is_user(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    submitted = Q(status__in=READABLE_WHEN_SUBMITTED)
    q = Q(organisation_id__in=user.reporter_organisation_ids())
    coordinator = user.county_ids_for({Role.COORDINATOR})
    if coordinator:
        q |= Q(round__plan__county_id__in=coordinator)
    if sees_all_counties(user):
        q |= submitted
    management = user.county_ids_for({Role.MANAGEMENT})
    if management:
        q |= Q(round__plan__county_id__in=management) & submitted
    return q


def county_id_of_round(round_: Any) -> int:
    return round_.plan.county_id


def can_view_round(user: Any, round_: Any) -> bool:
    return can_view_county(user, county_id_of_round(round_))


def can_manage_round(user: Any, round_: Any) -> bool:
    """Create, open, close, extend and review: the county's coordinators."""
    return can_edit_county(user, county_id_of_round(round_))


def can_edit_submission(user: Any, submission: Any) -> bool:
    """Reporters of the organisation (and the county's coordinators, on behalf, logged) may edit
    while the submission is not yet submitted or has been returned."""
    if submission.status not in EDITABLE_STATUSES or not _is_user(user):
        return False
    return user.reports_for(submission.organisation_id) or can_manage_round(user, submission.round)


def can_review_submission(user: Any, submission: Any) -> bool:
    return can_manage_round(user, submission.round)


def can_edit_report(user: Any, report: Any) -> bool:
    return can_manage_round(user, report.round)


def can_download_report(user: Any, report: Any) -> bool:
    """Final reports: everyone who can see the county. Drafts: the coordinators."""
    if report.status == "final":
        return can_view_county(user, county_id_of_round(report.round))
    return can_edit_report(user, report)


def can_view_round_overview(user: Any, round_: Any) -> bool:
    """The response overview: the county's coordinators and management, observers."""
    return can_view_county_overviews(user, county_id_of_round(round_))


def can_view_county_overviews(user: Any, county_id: int | None) -> bool:
    """Response overviews of the county's rounds: its coordinators and management, observers."""
    if not _is_user(user):
        return False
    return sees_all_counties(user) or user.has_county_role(
        county_id, {Role.COORDINATOR, Role.MANAGEMENT}
    )


def coordinated_county_ids(user: Any) -> set[int] | None:
    """Counties where ``user`` may create rounds; ``None`` means all (superuser)."""
    if not _is_user(user):
        return set()
    if user.is_superuser:
        return None
    return user.county_ids_for({Role.COORDINATOR})
