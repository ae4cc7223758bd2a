"""The actor's form's written-out reader of the submission (followup.selectors.submission_page)
gives what the ORM's ``select_related`` gives, and ``permissions.can_view_submission`` lets
through exactly the submissions ``Submission.objects.visible_to`` finds."""

import datetime

import pytest
from django.utils import timezone

from followup import permissions
from followup.models import FollowUpRound, Submission
from followup.selectors.submission_page import (
    ORGANISATION_FIELDS,
    PLAN_FIELDS,
    ROUND_FIELDS,
    SUBMISSION_FIELDS,
    submission_page,
)
from kvinnofrid.accounts.models import Role
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    MembershipFactory,
    SubmissionFactory,
    UserFactory,
    county,
)

pytestmark = pytest.mark.django_db


def _fields(obj, names):
    return tuple(getattr(obj, name) for name in names)


def _read(submission):
    return (
        _fields(submission, SUBMISSION_FIELDS),
        _fields(submission.round, ROUND_FIELDS),
        _fields(submission.round.plan, PLAN_FIELDS),
        _fields(submission.organisation, ORGANISATION_FIELDS),
        submission.effective_deadline,
        submission.get_status_display(),
        submission.round.get_status_display(),
    )


def test_submission_page_matches_the_orm(django_assert_num_queries):
    round_ = FollowUpRoundFactory(
        plan=ActionPlanFactory(county=county("06")), instructions="Svara <senast>\nfredag"
    )
    submitted = SubmissionFactory(
        round=round_,
        status=Submission.Status.RETURNED,
        submitted_at=timezone.now() - datetime.timedelta(days=2),
        returned_comment="Komplettera, tack",
        deadline_extended_to=datetime.date(2023, 3, 1),
        personal_data_flagged=True,
        diarienummer="LST 1",
    )
    for submission in (submitted, SubmissionFactory(round=round_)):
        orm = Submission.objects.select_related("round__plan", "organisation").get(pk=submission.pk)
        with django_assert_num_queries(1):
            found = submission_page(submission_id=submission.pk)
            assert found is not None
            read = _read(found)  # what the form reads of it: no further query
        assert read == _read(orm)
    assert submission_page(submission_id=987654) is None


def test_can_view_submission_agrees_with_the_scope(make_user):
    plan = ActionPlanFactory(county=county("06"))
    other_plan = ActionPlanFactory(county=county("07"))
    rounds = [FollowUpRoundFactory(plan=p, year=2022) for p in (plan, other_plan)]
    submissions = [
        SubmissionFactory(round=r, status=status)
        for r in rounds
        for status in Submission.Status.values
    ]
    own = submissions[0].organisation
    inactive = make_user(Role.COORDINATOR)
    inactive.is_active = False
    two_roles = make_user(Role.MANAGEMENT)
    MembershipFactory(user=two_roles, organisation=own, role=Role.REPORTER)
    users = [
        make_user(Role.COORDINATOR),
        make_user(Role.COORDINATOR, county_code="07"),
        make_user(Role.REPORTER, organisation=own),
        make_user(Role.REPORTER),
        make_user(Role.MANAGEMENT),
        make_user(Role.OBSERVER),
        two_roles,
        inactive,
        UserFactory(),  # no role
        UserFactory(is_superuser=True),
    ]
    seen = []
    for user in users:
        visible = set(Submission.objects.visible_to(user).values_list("pk", flat=True))
        for submission in submissions:
            found = submission_page(submission_id=submission.pk)
            assert permissions.can_view_submission(user, found) == (submission.pk in visible), (
                user,
                submission.status,
            )
        seen.append(len(visible))
    # the coordinators see their county's five, the observer the submitted and accepted ones of
    # both, the inactive user and the one without a role none, the superuser all ten
    assert seen == [5, 5, 1, 0, 2, 4, 3, 0, 0, 10]
    assert FollowUpRound.objects.count() == 2


@pytest.mark.parametrize(("submission_id", "activity_ids"), [(1, []), (42, [7, 1234]), (987, [5])])
def test_the_form_urls_are_their_reverse(submission_id, activity_ids):
    from django.urls import reverse

    from followup.views.submissions import ACTIVITY_URL_TAILS, FORM_URL_TAILS, form_urls

    urls = form_urls(submission_id, activity_ids)
    assert urls["edit"] == reverse("followup:submission-edit", args=[submission_id])
    for key, (name, _tail) in FORM_URL_TAILS.items():
        assert urls[key] == reverse(name, args=[submission_id])
    assert list(urls["activities"]) == activity_ids
    for pk, pair in urls["activities"].items():
        assert pair == tuple(
            reverse(name, args=[submission_id, pk]) for name, *_ in ACTIVITY_URL_TAILS.values()
        )
