"""The start page's follow-up panel reads the county's newest round with a written-out query
(followup.selectors.rounds.county_current_round): the same round and figures as the ORM."""

import datetime

import pytest
from django.db.models import Count, Q

from followup.models import FollowUpRound, Submission
from followup.selectors.rounds import SUBMITTED_STATUSES, county_current_round
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    OrganisationFactory,
    SubmissionFactory,
    county,
)

pytestmark = pytest.mark.django_db


def _orm(county_id):
    """The reading the written-out query replaces."""
    round_ = (
        FollowUpRound.objects.filter(plan__county_id=county_id)
        .only("title", "status", "deadline")
        .annotate(
            invited=Count("submissions"),
            submitted=Count("submissions", filter=Q(submissions__status__in=SUBMITTED_STATUSES)),
        )
        .order_by("-year", "-id")
        .first()
    )
    if round_ is None:
        return None
    return (
        round_.pk,
        round_.title,
        round_.status,
        round_.deadline,
        round_.invited,
        round_.submitted,
    )


def _written(county_id):
    current = county_current_round(county_id=county_id)
    if current is None:
        return None
    r, responses = current
    return (r.pk, r.title, r.status, r.deadline, responses.invited, responses.submitted)


def test_county_current_round_matches_the_orm():
    home = county("06")
    plans = [ActionPlanFactory(county=home) for _ in range(2)]

    def check():
        assert _written(home.pk) == _orm(home.pk)
        return _written(home.pk)

    assert check() is None
    FollowUpRoundFactory(plan=ActionPlanFactory(county=county("01")), year=2030)  # elsewhere
    assert check() is None
    FollowUpRoundFactory(plan=plans[0], year=2024)
    newest = FollowUpRoundFactory(
        plan=plans[1], year=2025, title="Uppföljning <2025>", deadline=datetime.date(2026, 2, 1)
    )
    assert check() == (newest.pk, "Uppföljning <2025>", "open", datetime.date(2026, 2, 1), 0, 0)
    orgs = [OrganisationFactory(county=home) for _ in range(4)]
    for org, status in zip(orgs, Submission.Status.values, strict=False):
        SubmissionFactory(round=newest, organisation=org, status=status)
    written = check()
    assert written is not None
    assert written[4] == 4
    later = FollowUpRoundFactory(plan=plans[0], year=2025)  # same year, higher id
    assert check()[0] == later.pk


def test_the_round_reads_as_the_panel_shows_it():
    round_ = FollowUpRoundFactory(plan=ActionPlanFactory(county=county("06")), year=2025)
    current = county_current_round(county_id=round_.plan.county_id)
    assert current is not None
    assert current[0].get_status_display() == round_.get_status_display()
    assert current[0].get_deferred_fields() == round_.get_deferred_fields() | (
        {f.attname for f in FollowUpRound._meta.concrete_fields}
        - {"id", "title", "status", "deadline"}
    )
