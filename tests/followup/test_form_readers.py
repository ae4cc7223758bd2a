"""The hand-written readers behind the actor's form and every logged-in page give what the ORM
gives, in the same order, on whatever database the tests run on: the plan's goals with their
delmål, a submission's activities with their delmål, and a user's memberships."""

import pytest

from actionplans.models import Goal, SubGoal
from followup import selectors
from followup.models import ReportedActivity, ViolenceArea
from followup.selectors.form import OutlineGoal, OutlineSubGoal
from kvinnofrid.accounts.models import Membership, Role, User
from kvinnofrid.directory.models import OrganisationKind
from tests.factories import (
    ActionPlanFactory,
    GoalFactory,
    OrganisationFactory,
    ReportedActivityFactory,
    SubGoalFactory,
    SubmissionFactory,
    UserFactory,
    county,
)

pytestmark = pytest.mark.django_db


def _sub_goal_row(sg):
    return (sg.pk, sg.goal_id, sg.code, sg.text, sg.order)


def _orm_outline(plan):
    return [
        (
            (g.pk, g.number, g.title, g.description, g.order),
            [_sub_goal_row(sg) for sg in g.sub_goals.order_by("order", "id")],
        )
        for g in Goal.objects.filter(plan=plan).order_by("order", "number", "id")
    ]


def _outline(plan):
    goals = selectors.plan_outline(plan_id=plan.pk)
    assert all(isinstance(g, OutlineGoal) for g in goals)
    assert all(isinstance(sg, OutlineSubGoal) for g in goals for sg in g.outline_sub_goals)
    # the delmål read as the activity form's choices show them: as SubGoal.__str__ does
    assert {sg.pk: str(sg) for g in goals for sg in g.outline_sub_goals} == {
        sg.pk: str(sg) for sg in SubGoal.objects.filter(goal__plan=plan)
    }
    return [
        (
            (g.pk, g.number, g.title, g.description, g.order),
            [_sub_goal_row(sg) for sg in g.outline_sub_goals],
        )
        for g in goals
    ]


def _orm_activities(submission):
    return [
        (
            (a.pk, a.title, a.description, a.status, a.areas, a.order),
            [
                _sub_goal_row(sg)
                for sg in a.sub_goals.order_by("goal__order", "goal__number", "order", "id")
            ],
        )
        for a in ReportedActivity.objects.filter(submission=submission).order_by("order", "id")
    ]


def _activities(submission):
    activities = selectors.reported_activities(submission_id=submission.pk)
    assert all(isinstance(a, ReportedActivity) for a in activities)
    return [
        (
            (a.pk, a.title, a.description, a.status, a.areas, a.order),
            [_sub_goal_row(sg) for sg in a.tagged_sub_goals],
        )
        for a in activities
    ]


@pytest.fixture
def plan():
    """A plan whose goal and delmål orders differ from their numbers, codes and ids: goal 3
    (no delmål) comes first, goals 2 and 4 share an order, goal 1 comes last; delmål are
    created out of order and two of them share an order."""
    plan = ActionPlanFactory(county=county("06"))
    g1 = GoalFactory(plan=plan, number=1, order=9, title="Ökad kunskap")
    g2 = GoalFactory(plan=plan, number=2, order=5, title="Tidiga insatser")
    GoalFactory(plan=plan, number=3, order=0, title="Mål utan delmål")
    g4 = GoalFactory(plan=plan, number=4, order=5, title="Stöd till barn", description="Barn\nsom")
    SubGoalFactory(goal=g1, code="1:2", text="Utbildning för personal", order=2)
    SubGoalFactory(goal=g1, code="1:1", text="Kunskapen ska öka", order=1)
    SubGoalFactory(goal=g2, code="2:3", text="Tredje", order=3)
    SubGoalFactory(goal=g2, code="2:1", text="Första", order=1)
    SubGoalFactory(goal=g2, code="", text="Utan beteckning", order=1)
    SubGoalFactory(goal=g4, code="4:1", text="Skydd", order=0)
    # another plan's goals and delmål are not included
    SubGoalFactory(goal=GoalFactory(plan=ActionPlanFactory(county=county("06")), number=1))
    return plan


def _sg(plan, code):
    return SubGoal.objects.get(goal__plan=plan, code=code)


def test_plan_outline_matches_the_orm_in_plan_order(plan):
    # when the outline is read
    outline = _outline(plan)
    # then it is the ORM's, goal by goal and delmål by delmål
    assert outline == _orm_outline(plan)
    assert [goal[0][1] for goal in outline] == [3, 2, 4, 1]
    assert outline[0][1] == []  # the goal without delmål is there, with no delmål
    assert [sg[2] for sg in outline[1][1]] == ["2:1", "", "2:3"]


def test_plan_outline_follows_a_reorder(plan):
    # given goal 1 moved first and its delmål swapped (as the plan's reorder does: orders only)
    g1 = Goal.objects.get(plan=plan, number=1)
    g1.order = 0
    Goal.objects.bulk_update([g1], ["order"])
    first, second = _sg(plan, "1:1"), _sg(plan, "1:2")
    first.order, second.order = second.order, first.order
    SubGoal.objects.bulk_update([first, second], ["order"])
    # then the outline is still the ORM's
    outline = _outline(plan)
    assert outline == _orm_outline(plan)
    assert [goal[0][1] for goal in outline][:2] == [1, 3]
    assert [sg[2] for sg in outline[0][1]] == ["1:2", "1:1"]


def test_plan_outline_of_a_plan_without_goals_is_empty():
    assert selectors.plan_outline(plan_id=ActionPlanFactory(county=county("06")).pk) == []


def test_reported_activities_match_the_orm_with_tags_in_plan_order(plan):
    submission = SubmissionFactory(round__plan=plan)
    # activities created out of order, two sharing an order, one without delmål
    later = ReportedActivityFactory(
        submission=submission, order=2, title="Kampanj", areas=[ViolenceArea.HEDER]
    )
    untagged = ReportedActivityFactory(submission=submission, order=1, title="Utan delmål")
    tied = ReportedActivityFactory(
        submission=submission, order=1, title="Utbildning", description="Två\ndagar"
    )
    # tagged in an order that is not the plan's: 1:1 (goal 1, last) before 2:3 and 4:1
    later.sub_goals.set([_sg(plan, "1:1"), _sg(plan, "2:3"), _sg(plan, "4:1"), _sg(plan, "2:1")])
    tied.sub_goals.set([_sg(plan, "1:2"), _sg(plan, "")])
    # another submission's activity is not included
    ReportedActivityFactory(submission=SubmissionFactory(round=submission.round)).sub_goals.set(
        [_sg(plan, "1:1")]
    )
    # when the activities are read
    activities = _activities(submission)
    # then they are the ORM's, in order, each with its delmål in the plan's order
    assert activities == _orm_activities(submission)
    assert [a[0][0] for a in activities] == [untagged.pk, tied.pk, later.pk]
    assert activities[0][1] == []
    assert [sg[2] for sg in activities[2][1]] == ["2:1", "2:3", "4:1", "1:1"]
    assert activities[2][0][4] == [ViolenceArea.HEDER]


def test_reported_activities_follow_a_goal_reorder(plan):
    submission = SubmissionFactory(round__plan=plan)
    activity = ReportedActivityFactory(submission=submission)
    activity.sub_goals.set([_sg(plan, "1:1"), _sg(plan, "2:1"), _sg(plan, "4:1")])
    # when goal 1 moves first and goal 4 before goal 2
    Goal.objects.filter(plan=plan, number=1).update(order=0)
    Goal.objects.filter(plan=plan, number=4).update(order=4)
    activities = _activities(submission)
    assert activities == _orm_activities(submission)
    assert [sg[2] for sg in activities[0][1]] == ["1:1", "4:1", "2:1"]


def test_reported_activities_of_a_submission_without_activities_are_empty(plan):
    assert selectors.reported_activities(submission_id=SubmissionFactory(round__plan=plan).pk) == []


# --- a user's memberships -------------------------------------------------------------------------


def _orm_memberships(user):
    return set(user.memberships.values_list("organisation_id", "organisation__county_id", "role"))


def test_membership_rows_match_the_orm_for_several_memberships():
    user = UserFactory()
    national = OrganisationFactory(
        county=None, kind=OrganisationKind.MYNDIGHET, name="Jämställdhetsmyndigheten"
    )
    for organisation, role in [
        (OrganisationFactory(county=county("06")), Role.REPORTER),
        (
            OrganisationFactory(county=county("06"), kind=OrganisationKind.LANSSTYRELSE),
            Role.COORDINATOR,
        ),
        (OrganisationFactory(county=county("07"), kind=OrganisationKind.REGION), Role.MANAGEMENT),
        (national, Role.OBSERVER),
    ]:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    # another user's membership is not included
    Membership.objects.create(user=UserFactory(), organisation=national, role=Role.OBSERVER)
    # when the rows are read on a fresh instance (they are cached per instance)
    rows = User.objects.get(pk=user.pk)._membership_rows
    # then they are the ORM's, the national organisation with no county
    assert len(rows) == 4
    assert set(rows) == _orm_memberships(user)
    assert (national.pk, None, Role.OBSERVER) in rows
    # and the county codes come with them
    codes = {c: code for _o, c, _r, code in User.objects.get(pk=user.pk)._memberships}
    assert codes == {county("06").pk: "06", county("07").pk: "07", None: None}


def test_membership_rows_are_empty_for_an_inactive_or_unsaved_user():
    user = UserFactory(is_active=False)
    Membership.objects.create(
        user=user, organisation=OrganisationFactory(county=county("06")), role=Role.REPORTER
    )
    assert _orm_memberships(user)  # the membership is there
    assert User.objects.get(pk=user.pk)._membership_rows == []
    assert User(email="ny@example.se")._membership_rows == []


def test_has_previous_submission_matches_the_orm():
    """Only the same organisation's earlier rounds in the same county (any plan of it) count,
    and only where the submission holds an activity or an answer."""
    from followup.models import Answer
    from followup.services import previous_submissions
    from tests.factories import FollowUpRoundFactory, QuestionFactory

    org = OrganisationFactory(county=county("06"))
    other_org = OrganisationFactory(county=county("06"))
    plans = [ActionPlanFactory(county=county("06")), ActionPlanFactory(county=county("06"))]
    elsewhere = ActionPlanFactory(county=county("01"))
    rounds = {
        year: FollowUpRoundFactory(plan=plans[year % 2], year=year) for year in range(2020, 2026)
    }
    current = SubmissionFactory(round=rounds[2025], organisation=org)

    def check(expected):
        current.refresh_from_db()
        assert previous_submissions(current).exists() is expected
        assert selectors.has_previous_submission(submission=current) is expected

    check(False)
    empty = SubmissionFactory(round=rounds[2024], organisation=org)
    check(False)  # nothing to start from
    ReportedActivityFactory(
        submission=SubmissionFactory(round=rounds[2025], organisation=other_org)
    )
    ReportedActivityFactory(
        submission=SubmissionFactory(round=rounds[2023], organisation=other_org)
    )
    later = FollowUpRoundFactory(plan=plans[0], year=2026)
    ReportedActivityFactory(submission=SubmissionFactory(round=later, organisation=org))
    same_year = FollowUpRoundFactory(plan=plans[0], year=2025)
    ReportedActivityFactory(submission=SubmissionFactory(round=same_year, organisation=org))
    other_county = FollowUpRoundFactory(plan=elsewhere, year=2021)
    ReportedActivityFactory(submission=SubmissionFactory(round=other_county, organisation=org))
    check(False)  # another organisation, a later or the same year, another county
    question = QuestionFactory(round=rounds[2024])
    Answer.objects.create(submission=empty, question=question, text="Svar")
    check(True)  # an answer only
    Answer.objects.all().delete()
    check(False)
    ReportedActivityFactory(submission=SubmissionFactory(round=rounds[2021], organisation=org))
    check(True)  # an activity only, in another plan of the county, years back
