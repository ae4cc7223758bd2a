"""The follow-up index reads its rounds with a written-out query
(followup.selectors.index.rounds_visible_to): the same rounds, figures and related rows as the
ORM's reading, for every role."""

import pytest
from django.db.models import Count, Q

from followup.models import FollowUpRound, Submission
from followup.selectors import SUBMITTED_STATUSES, rounds_visible_to
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    OrganisationFactory,
    SubmissionFactory,
    county,
)

pytestmark = pytest.mark.django_db


def _orm(user, year=None):
    """The reading the written-out query replaces."""
    rounds = FollowUpRound.objects.visible_to(user)
    if year is not None:
        rounds = rounds.filter(year=year)
    return list(
        rounds.select_related("plan__county")
        .only("pk", "title", "year", "status", "plan__county__code", "plan__county__name")
        .annotate(
            n_invited=Count("submissions"),
            n_submitted=Count("submissions", filter=Q(submissions__status__in=SUBMITTED_STATUSES)),
        )
        .order_by("-year", "plan__county__code", "-id")
    )


def _shown(rounds):
    return [
        (
            r.pk, r.title, r.year, r.status, r.get_status_display(), r.plan_id, r.plan.pk,
            r.plan.county_id, r.plan.county.pk, r.plan.county.code, r.plan.county.name,
            r.n_invited, r.n_submitted, r.get_deferred_fields(), r.plan.get_deferred_fields(),
            r.plan.county.get_deferred_fields(),
        )
        for r in rounds
    ]  # fmt: skip


@pytest.mark.parametrize("role", ["coordinator", "management", "observer", "reporter", "none"])
def test_the_rounds_are_the_orms(make_user, role):
    home = ActionPlanFactory(county=county("06"))
    for year in (2024, 2025):
        round_ = FollowUpRoundFactory(plan=home, year=year, title=f"<b>{year}</b>")
        for status in Submission.Status.values:
            SubmissionFactory(
                round=round_, organisation=OrganisationFactory(county=home.county), status=status
            )
    FollowUpRoundFactory(plan=ActionPlanFactory(county=county("01")), year=2025)
    FollowUpRoundFactory(
        plan=ActionPlanFactory(county=county("06")), year=2025, status=FollowUpRound.Status.DRAFT
    )
    user = None if role == "none" else make_user(role)
    for year in (None, 2025, 2023):
        expected = _shown(_orm(user, year))
        assert _shown(rounds_visible_to(user=user, year=year)) == expected
    if role == "observer":
        assert len(_orm(user)) == 4
