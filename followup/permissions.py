"""Who may see and change follow-up data (DESIGN §5). Pure functions; no side effects."""

from django.db.models import Q

from agreements.permissions import can_edit_county as can_edit_county
from followup.models import FollowUpRound, StatusReport, Submission
from kvinnofrid.accounts.models import Actor, Role, active_user
from kvinnofrid.directory.scopes import can_view_county, sees_all_counties

EDITABLE_STATUSES = {
    Submission.Status.NOT_STARTED,
    Submission.Status.DRAFT,
    Submission.Status.RETURNED,
}


# What management and observers may read: a yttrande once it is sent in (drafts, not-started
# and returned ones are the organisation's own work in progress).
READABLE_WHEN_SUBMITTED = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


def submission_scope_q(user: Actor) -> Q:
    """Coordinators see every submission of their county, reporters their own organisation's,
    management the submitted ones of their county and national readers (observers, national
    admins) the submitted ones of every county; superusers all. A draft, not-started or returned
    yttrande is the organisation's own work in progress (issue 12 item 11)."""
    active = active_user(user)
    if active is None:
        return Q(pk__in=[])
    if active.is_superuser:
        return Q()
    submitted = Q(status__in=READABLE_WHEN_SUBMITTED)
    q = Q(organisation_id__in=active.reporter_organisation_ids())
    coordinator = active.county_ids_for({Role.COORDINATOR})
    if coordinator:
        q |= Q(round__plan__county_id__in=coordinator)
    if sees_all_counties(active):
        q |= submitted
    management = active.county_ids_for({Role.MANAGEMENT})
    if management:
        q |= Q(round__plan__county_id__in=management) & submitted
    return q


def can_view_submission(user: Actor, submission: Submission) -> bool:
    """Whether ``submission`` (with its round and plan) is in :func:`submission_scope_q` of
    ``user``: the same rules, on a submission already read (tests/followup/test_round_page.py
    checks the two agree)."""
    active = active_user(user)
    if active is None:
        return False
    if active.is_superuser or active.reports_for(submission.organisation_id):
        return True
    county_id = county_id_of_round(submission.round)
    if active.has_county_role(county_id, {Role.COORDINATOR}):
        return True
    if submission.status not in READABLE_WHEN_SUBMITTED:
        return False
    return sees_all_counties(active) or active.has_county_role(county_id, {Role.MANAGEMENT})


def county_id_of_round(round_: FollowUpRound) -> int:
    """The county whose plan the round follows up."""
    county_id: int = round_.plan.county_id
    return county_id


def can_view_round(user: Actor, round_: FollowUpRound) -> bool:
    return can_view_county(user, county_id_of_round(round_))


def can_manage_round(user: Actor, round_: FollowUpRound) -> bool:
    """Create, open, close, extend and review: the county's coordinators."""
    return can_edit_county(user, county_id_of_round(round_))


def can_edit_submission(user: Actor, submission: Submission) -> bool:
    """Reporters of the organisation (and the county's coordinators, on behalf, logged) may edit
    while the submission is not yet submitted or has been returned."""
    active = active_user(user)
    if submission.status not in EDITABLE_STATUSES or active is None:
        return False
    return active.reports_for(submission.organisation_id) or can_manage_round(
        active, submission.round
    )


def can_review_submission(user: Actor, submission: Submission) -> bool:
    return can_manage_round(user, submission.round)


def can_edit_report(user: Actor, report: StatusReport) -> bool:
    return can_manage_round(user, report.round)


def can_download_report(user: Actor, report: StatusReport) -> bool:
    """Final reports: everyone who can see the county. Drafts: the coordinators."""
    if report.status == StatusReport.Status.FINAL:
        return can_view_county(user, county_id_of_round(report.round))
    return can_edit_report(user, report)


def can_view_round_overview(user: Actor, round_: FollowUpRound) -> bool:
    """The response overview: the county's coordinators and management, observers."""
    return can_view_county_overviews(user, county_id_of_round(round_))


def can_view_county_overviews(user: Actor, county_id: int | None) -> bool:
    """Response overviews of the county's rounds: its coordinators and management, observers."""
    active = active_user(user)
    if active is None:
        return False
    return sees_all_counties(active) or active.has_county_role(
        county_id, {Role.COORDINATOR, Role.MANAGEMENT}
    )


def coordinated_county_ids(user: Actor) -> set[int] | None:
    """Counties where ``user`` may create rounds; ``None`` means all (superuser)."""
    active = active_user(user)
    if active is None:
        return set()
    if active.is_superuser:
        return None
    return active.county_ids_for({Role.COORDINATOR})
