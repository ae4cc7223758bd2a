"""The national overview reads the counties' rounds with a written-out query
(followup.national.selectors._rounds): the same figures as the ORM's annotated query."""

import datetime

import pytest
from django.db.models import Count, F, OuterRef, Q, Subquery

from followup.models import FollowUpRound, StatusReport, Submission
from followup.national.selectors import _rounds
from followup.selectors import SUBMITTED_STATUSES
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    OrganisationFactory,
    StatusReportFactory,
    SubmissionFactory,
    county,
)

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def _orm(year, county_ids):
    """The reading the written-out query replaces."""
    finals = StatusReport.objects.filter(
        round=OuterRef("pk"), status=StatusReport.Status.FINAL
    ).order_by("-finalised_at", "-id")
    on_time = Q(submissions__status__in=SUBMITTED_STATUSES) & (
        Q(submissions__submitted_at__isnull=True)
        | Q(submissions__submitted_at__date__lte=F("deadline"))
        | Q(submissions__submitted_at__date__lte=F("submissions__deadline_extended_to"))
    )
    rows = (
        FollowUpRound.objects.filter(year__in=[year, year - 1], plan__county_id__in=county_ids)
        .annotate(
            final_report_id=Subquery(finals.values("pk")[:1]),
            n_invited=Count("submissions", distinct=True),
            n_submitted=Count(
                "submissions", filter=Q(submissions__status__in=SUBMITTED_STATUSES), distinct=True
            ),
            n_on_time=Count("submissions", filter=on_time, distinct=True),
        )
        .values(
            "pk", "year", "plan_id", "plan__county_id", "n_invited", "n_submitted", "n_on_time",
            "final_report_id",
        )
        .order_by("plan__county_id", "year", "-plan__version", "-id")
    )  # fmt: skip
    chosen = {}
    for row in rows:
        chosen.setdefault((row["plan__county_id"], row["year"]), dict(row))
    return chosen


def _submit(round_, status, at=None, extended=None):
    org = OrganisationFactory(county=round_.plan.county)
    SubmissionFactory(
        round=round_, organisation=org, status=status, submitted_at=at,
        deadline_extended_to=extended,
    )  # fmt: skip


def test_rounds_match_the_orm():
    home, other = county("06"), county("01")
    ids = [home.pk, other.pk]
    assert _rounds(2025, ids) == _orm(2025, ids) == {}
    old = ActionPlanFactory(county=home, version=1)
    new = ActionPlanFactory(county=home, version=2)
    deadline = datetime.date(2026, 2, 15)
    older_round = FollowUpRoundFactory(plan=old, year=2025, deadline=deadline)
    current = FollowUpRoundFactory(plan=new, year=2025, deadline=deadline)
    previous = FollowUpRoundFactory(plan=old, year=2024)
    FollowUpRoundFactory(plan=old, year=2023)  # two years back: not read
    FollowUpRoundFactory(plan=ActionPlanFactory(county=other), year=2025)  # no submissions
    FollowUpRoundFactory(plan=ActionPlanFactory(county=county("03")), year=2025)  # not asked
    # 23:30 UTC on the deadline is past midnight in Stockholm: late
    late_evening = datetime.datetime(2026, 2, 15, 23, 30, tzinfo=UTC)
    on_the_day = datetime.datetime(2026, 2, 15, 21, 30, tzinfo=UTC)
    _submit(current, Submission.Status.SUBMITTED, on_the_day)
    _submit(current, Submission.Status.SUBMITTED, late_evening)
    _submit(current, Submission.Status.ACCEPTED, late_evening, extended=datetime.date(2026, 2, 16))
    _submit(current, Submission.Status.ACCEPTED, None)
    _submit(current, Submission.Status.DRAFT, on_the_day)
    _submit(current, Submission.Status.NOT_STARTED)
    _submit(older_round, Submission.Status.SUBMITTED, on_the_day)
    _submit(previous, Submission.Status.ACCEPTED, on_the_day)
    _submit(previous, Submission.Status.RETURNED, on_the_day)
    at = datetime.datetime(2026, 3, 1, 12, tzinfo=UTC)
    StatusReportFactory(round=current, status=StatusReport.Status.FINAL, finalised_at=at)
    newest = StatusReportFactory(
        round=current, status=StatusReport.Status.FINAL, finalised_at=at + datetime.timedelta(1)
    )
    StatusReportFactory(round=current, status=StatusReport.Status.DRAFT)
    got = _rounds(2025, ids)
    assert got == _orm(2025, ids)
    this_year = got[(home.pk, 2025)]
    assert this_year["pk"] == current.pk
    assert this_year["final_report_id"] == newest.pk
    assert (this_year["n_invited"], this_year["n_submitted"], this_year["n_on_time"]) == (6, 4, 3)
    assert got[(home.pk, 2024)]["n_submitted"] == 1
    assert got[(other.pk, 2025)]["n_invited"] == 0
    assert _rounds(2025, []) == _orm(2025, []) == {}


def _orm_activities(round_ids):
    from followup.models import ReportedActivity

    return list(
        ReportedActivity.objects.filter(
            submission__round_id__in=round_ids, submission__status__in=SUBMITTED_STATUSES
        )
        .values_list(
            "submission__round_id", "pk", "sub_goals", "sub_goals__goal__plan_id",
            "sub_goals__goal__national_goals",
        )
        .distinct()
    )  # fmt: skip


def test_reported_activities_match_the_orm():
    from followup.national.selectors import _reported_activities
    from tests.factories import GoalFactory, ReportedActivityFactory, SubGoalFactory, national_goal

    plan = ActionPlanFactory(county=county("06"))
    rounds = [FollowUpRoundFactory(plan=plan, year=y) for y in (2024, 2025)]
    goal = GoalFactory(plan=plan, number=1)
    goal.national_goals.set([national_goal(1), national_goal(2)])
    bare = GoalFactory(plan=plan, number=2)  # no national goal
    sub_goals = [SubGoalFactory(goal=goal), SubGoalFactory(goal=goal), SubGoalFactory(goal=bare)]
    for round_ in rounds:
        for status in Submission.Status.values:
            org = OrganisationFactory(county=plan.county)
            submission = SubmissionFactory(round=round_, organisation=org, status=status)
            ReportedActivityFactory(submission=submission)  # no delmål
            ReportedActivityFactory(submission=submission).sub_goals.set(sub_goals)
            ReportedActivityFactory(submission=submission).sub_goals.set(sub_goals[2:])
    for ids in (set(), {rounds[0].pk}, {r.pk for r in rounds}, {rounds[1].pk, 999999}):
        got = _reported_activities(ids)
        assert sorted(got, key=repr) == sorted(_orm_activities(ids), key=repr)
        assert len(got) == len(set(got))
    # per submitted submission: the bare activity, 2 × 2 + 1 links of the second, 1 of the third
    assert len(_reported_activities({rounds[1].pk})) == 2 * (1 + 5 + 1)


def test_agreements_and_plans_read_what_the_orm_reads():
    from actionplans.models import ActionPlan
    from agreements.models import Agreement
    from followup.national.sql import agreements_and_plans
    from tests.factories import AgreementFactory

    home, other = county("06"), county("01")
    ids = [home.pk, other.pk]
    d = datetime.date
    for valid_from in (d(2020, 1, 1), None, d(2024, 1, 1), d(2024, 1, 1)):
        AgreementFactory(county=home, valid_from=valid_from, valid_until=None)
    AgreementFactory(county=other, signed_on=d(2023, 1, 1), valid_from=d(2023, 1, 1))
    AgreementFactory(county=county("03"))  # not asked
    ActionPlanFactory(county=home, period_start=2021, status=ActionPlan.Status.ADOPTED)
    ActionPlanFactory(county=home, period_start=2023, version=2)
    ActionPlanFactory(county=home, period_start=2023, version=3, strategy=None)
    ActionPlanFactory(county=home, status=ActionPlan.Status.ARCHIVED)
    ActionPlanFactory(county=other, period_start=2019)
    agreements = list(
        Agreement.objects.filter(county_id__in=ids)
        .values("pk", "county_id", "signed_on", "valid_from", "valid_until")
        .order_by("county_id", "-valid_from", "-id")
    )
    plans = list(
        ActionPlan.objects.current()
        .filter(county_id__in=ids)
        .values(
            "pk", "county_id", "title", "strategy__name", "status", "period_start", "period_end"
        )
        .order_by("county_id", "-period_start", "-version", "-id")
    )
    assert agreements_and_plans(ids, ActionPlan.Status.ARCHIVED) == (agreements, plans)
    assert len(agreements) == 5
    assert len(plans) == 4
    assert agreements_and_plans([], ActionPlan.Status.ARCHIVED) == ([], [])
    assert agreements_and_plans([other.pk], ActionPlan.Status.ARCHIVED) == (
        [a for a in agreements if a["county_id"] == other.pk],
        [p for p in plans if p["county_id"] == other.pk],
    )


def test_goal_links_and_delmal_read_what_the_orm_reads():
    from actionplans.models import Goal, SubGoal
    from followup.national.sql import goal_links_sql, plan_links, sub_goal_plans_sql, tuples
    from tests.factories import GoalFactory, SubGoalFactory, national_goal

    plans = [ActionPlanFactory(county=county("06")) for _ in range(3)]
    for i, plan in enumerate(plans):
        for number in range(1, i + 2):
            goal = GoalFactory(plan=plan, number=number)
            goal.national_goals.set([national_goal(n) for n in range(1, number + 1)])
            for _ in range(number):
                SubGoalFactory(goal=goal)
    GoalFactory(plan=plans[0], number=9)  # neither link nor delmål
    ids = sorted(p.pk for p in plans[:2])
    links = Goal.national_goals.through.objects.filter(goal__plan_id__in=ids).values_list(
        "goal__plan_id", "goal_id", "nationalgoal_id"
    )
    assert sorted(tuples(goal_links_sql(), ids)) == sorted(links)
    delmal = SubGoal.objects.filter(goal__plan_id__in=ids).values_list("goal__plan_id", flat=True)
    assert sorted(r[0] for r in tuples(sub_goal_plans_sql(), ids)) == sorted(delmal)
    assert len(delmal) == 1 + 1 + 2
    assert tuples(goal_links_sql(), []) == []
    # both in one statement
    got_links, got_delmal = plan_links(ids)
    assert sorted(got_links) == sorted(links)
    assert sorted(got_delmal) == sorted(delmal)
    assert plan_links([]) == ([], [])


def test_indicator_values_read_what_the_orm_reads():
    from decimal import Decimal

    from actionplans.models import IndicatorValue
    from followup.national.sql import indicator_values
    from tests.factories import IndicatorFactory

    plans = [ActionPlanFactory(county=county("06")) for _ in range(3)]
    org = OrganisationFactory(county=plans[0].county)
    for p, plan in enumerate(plans):
        for order in (2, 1):
            indicator = IndicatorFactory(plan=plan, order=order, name=f"<i>{p}{order}</i>")
            for year in (2024, 2025):
                IndicatorValue.objects.create(indicator=indicator, year=year, value=Decimal("4.5"))
                IndicatorValue.objects.create(
                    indicator=indicator, year=year, organisation=org, value=Decimal(order * 7)
                )
    ids = sorted(p.pk for p in plans[:2])
    orm = list(
        IndicatorValue.objects.filter(year=2025, indicator__plan_id__in=set(ids))
        .values(
            "indicator_id", "indicator__plan_id", "indicator__name", "indicator__unit",
            "organisation_id", "value",
        )
        .order_by("indicator__plan_id", "indicator__order", "indicator_id")
    )  # fmt: skip
    got = indicator_values(2025, ids)
    assert sorted(got, key=repr) == sorted(orm, key=repr)
    assert [(r["indicator_id"], r["indicator__plan_id"]) for r in got] == [
        (r["indicator_id"], r["indicator__plan_id"]) for r in orm
    ]
    assert [str(r["value"]) for r in got] == [str(r["value"]) for r in orm]
    assert len(got) == 8
    assert indicator_values(2025, []) == []


def test_overview_years_are_the_orms():
    from followup.national.selectors import overview_years

    def orm():
        return list(
            FollowUpRound.objects.order_by("-year").values_list("year", flat=True).distinct()
        )

    assert overview_years() == orm() == []
    plan = ActionPlanFactory(county=county("06"))
    for year in (2023, 2025, 2024):
        FollowUpRoundFactory(plan=plan, year=year)
    FollowUpRoundFactory(plan=ActionPlanFactory(county=county("01")), year=2025)
    assert overview_years() == orm() == [2025, 2024, 2023]
