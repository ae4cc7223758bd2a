"""The response overview's written-out readers give what the ORM gives: the plan's delmål in
plan order and the links per delmål and organisation of the round's submitted and accepted
submissions only; last year's statuses by organisation."""

import pytest
from django.db.models import Count

from actionplans.models import SubGoal
from followup.models import FollowUpRound, ReportedActivity, Submission
from followup.selectors.rounds import SUBMITTED_STATUSES, coverage_counts, previous_statuses
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    GoalFactory,
    OrganisationFactory,
    ReportedActivityFactory,
    SubGoalFactory,
    SubmissionFactory,
    county,
)

pytestmark = pytest.mark.django_db


def _orm(plan, round_):
    sub_goals = list(
        SubGoal.objects.filter(goal__plan_id=plan.pk)
        .order_by("goal__order", "goal__number", "order", "id")
        .values_list("pk", "goal_id", "code", "text", "goal__number")
    )
    cells = (
        ReportedActivity.sub_goals.through.objects.filter(
            reportedactivity__submission__round_id=round_.pk,
            reportedactivity__submission__status__in=SUBMITTED_STATUSES,
        )
        .values_list("subgoal_id", "reportedactivity__submission__organisation_id")
        .annotate(n=Count("id"))
    )
    return sub_goals, {(sg, org): n for sg, org, n in cells}


def test_coverage_counts_match_the_orm():
    plan = ActionPlanFactory(county=county("06"))
    other_plan = ActionPlanFactory(county=county("06"))
    g1 = GoalFactory(plan=plan, number=1, order=9)
    g2 = GoalFactory(plan=plan, number=2, order=5)
    GoalFactory(plan=plan, number=3, order=0)  # no delmål
    g4 = GoalFactory(plan=plan, number=4, order=5)
    subs = [
        SubGoalFactory(goal=g1, code="1.2", order=2),
        SubGoalFactory(goal=g1, code="1.1", order=1),
        SubGoalFactory(goal=g2, code="", order=0, text="Utan <kod>"),
        SubGoalFactory(goal=g4, code="4.1", order=1),
        SubGoalFactory(goal=g4, code="4.0", order=1),
    ]
    SubGoalFactory(goal=GoalFactory(plan=other_plan, number=1, order=0))
    round_ = FollowUpRoundFactory(plan=plan, year=2025)
    other_round = FollowUpRoundFactory(plan=plan, year=2024)
    assert coverage_counts(plan_id=plan.pk, round_id=round_.pk) == _orm(plan, round_)
    orgs = [OrganisationFactory(county=county("06")) for _ in range(4)]
    statuses = [
        Submission.Status.SUBMITTED,
        Submission.Status.ACCEPTED,
        Submission.Status.DRAFT,
        Submission.Status.RETURNED,
    ]
    for i, (org, status) in enumerate(zip(orgs, statuses, strict=True)):
        submission = SubmissionFactory(round=round_, organisation=org, status=status)
        for k in range(i + 2):
            ReportedActivityFactory(submission=submission).sub_goals.set(subs[k % 5 : k % 5 + 2])
        old = SubmissionFactory(round=other_round, organisation=org, status=status)
        ReportedActivityFactory(submission=old).sub_goals.set(subs)
    ReportedActivityFactory(
        submission=Submission.objects.get(round=round_, organisation=orgs[0])
    ).sub_goals.set([])
    sub_goals, counts = coverage_counts(plan_id=plan.pk, round_id=round_.pk)
    assert (sub_goals, counts) == _orm(plan, round_)
    assert counts
    assert {org for _sg, org in counts} == {orgs[0].pk, orgs[1].pk}
    assert coverage_counts(plan_id=other_plan.pk, round_id=round_.pk)[1] == {}


def _orm_previous(round_):
    rows = list(
        FollowUpRound.objects.filter(
            plan__county_id=round_.plan.county_id, year=round_.year - 1
        ).values_list("id", "submissions__organisation_id", "submissions__status")
    )
    if not rows:
        return None
    newest = max(row[0] for row in rows)
    return {org: status for rid, org, status in rows if rid == newest and org is not None}


def test_previous_statuses_match_the_orm():
    plans = [ActionPlanFactory(county=county("06")) for _ in range(2)]
    round_ = FollowUpRoundFactory(plan=plans[0], year=2025)

    def check(expected):
        assert _orm_previous(round_) == expected
        assert previous_statuses(round_=round_) == expected

    check(None)
    FollowUpRoundFactory(plan=ActionPlanFactory(county=county("01")), year=2024)
    FollowUpRoundFactory(plan=plans[0], year=2023)
    check(None)  # another county, two years back
    older = FollowUpRoundFactory(plan=plans[0], year=2024)
    check({})  # a round without submissions
    orgs = [OrganisationFactory(county=county("06")) for _ in range(3)]
    SubmissionFactory(round=older, organisation=orgs[0], status=Submission.Status.ACCEPTED)
    SubmissionFactory(round=older, organisation=orgs[1], status=Submission.Status.DRAFT)
    check({orgs[0].pk: "accepted", orgs[1].pk: "draft"})
    newer = FollowUpRoundFactory(plan=plans[1], year=2024)  # another plan of the county
    SubmissionFactory(round=newer, organisation=orgs[2], status=Submission.Status.SUBMITTED)
    check({orgs[2].pk: "submitted"})
