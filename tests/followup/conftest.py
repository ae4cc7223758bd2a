"""A small county world for the follow-up tests: one plan with goals, delmål and a quantitative
indicator, an open round created through the services, two organisations and users per role."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from followup import services
from followup.models import FollowUpRound, Submission
from kvinnofrid.accounts.models import Membership, Role
from kvinnofrid.directory.models import OrganisationKind
from tests.factories import (
    ActionPlanFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    SubGoalFactory,
    UserFactory,
    county,
)


@dataclass
class World:
    plan: Any
    goals: list
    sub_goals: list
    indicator: Any
    org: Any
    other_org: Any
    round: FollowUpRound
    submission: Submission
    other_submission: Submission
    users: dict


def _user(role: str, organisation: Any, email: str) -> Any:
    user = UserFactory(email=email)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    today = timezone.localdate()
    plan = ActionPlanFactory(county=county("06"))
    g1 = GoalFactory(plan=plan, number=1, title="Ökad kunskap")
    g2 = GoalFactory(plan=plan, number=2, title="Tidiga insatser")
    sgs = [
        SubGoalFactory(goal=g1, code="1:1", text="Kunskapen ska öka", order=1),
        SubGoalFactory(goal=g1, code="1:2", text="Utbildning för personal", order=2),
        SubGoalFactory(goal=g2, code="2:1", text="Tidig upptäckt", order=1),
    ]
    indicator = IndicatorFactory(plan=plan, name="Antal utbildade", unit="personer")
    lst = OrganisationFactory(
        county=county("06"), kind=OrganisationKind.LANSSTYRELSE, name="Länsstyrelsen Jönköping"
    )
    region = OrganisationFactory(
        county=county("06"), kind=OrganisationKind.REGION, name="Region Testlän"
    )
    org = OrganisationFactory(
        county=county("06"),
        kind=OrganisationKind.KOMMUN,
        name="Aneby kommun",
        email="kansli@aneby.example",
    )
    other_org = OrganisationFactory(
        county=county("06"), kind=OrganisationKind.KOMMUN, name="Tranås kommun"
    )
    kronoberg = OrganisationFactory(
        county=county("07"), kind=OrganisationKind.LANSSTYRELSE, name="Länsstyrelsen Kronoberg"
    )
    kr_kommun = OrganisationFactory(county=county("07"), kind=OrganisationKind.KOMMUN)
    users = {
        "coordinator": _user(Role.COORDINATOR, lst, "samordnare@lst.example"),
        "management": _user(Role.MANAGEMENT, region, "chef@region.example"),
        "reporter": _user(Role.REPORTER, org, "rapportor@aneby.example"),
        "other_org_reporter": _user(Role.REPORTER, other_org, "rapportor@tranas.example"),
        "other_county_coordinator": _user(Role.COORDINATOR, kronoberg, "samordnare@g.example"),
        "other_county_reporter": _user(Role.REPORTER, kr_kommun, "rapportor@g.example"),
    }
    with django_capture_on_commit_callbacks(execute=False):
        round_ = services.round_create(
            plan_id=plan.pk,
            year=today.year - 1,
            title=f"Uppföljning {today.year - 1}",
            instructions="Svara senast sista svarsdag.",
            opens_on=today - datetime.timedelta(days=5),
            deadline=today + datetime.timedelta(days=30),
            organisation_ids=[org.pk, other_org.pk],
            actor=users["coordinator"],
        )
        services.round_open(round_id=round_.pk, actor=users["coordinator"])
    round_.refresh_from_db()
    return World(
        plan=plan,
        goals=[g1, g2],
        sub_goals=sgs,
        indicator=indicator,
        org=org,
        other_org=other_org,
        round=round_,
        submission=Submission.objects.get(round=round_, organisation=org),
        other_submission=Submission.objects.get(round=round_, organisation=other_org),
        users=users,
    )


def fill_required(world: World) -> None:
    """Answer every required question of the world's round for ``world.submission``."""
    s = world.submission
    s.refresh_from_db()
    answers = {
        q.pk: {"text": "Vi har en egen handlingsplan."}
        for q in world.round.questions.filter(required=True)
    }
    services.submission_save(
        submission_id=s.pk,
        lock_version=s.lock_version,
        answers=answers,
        indicator_values={world.indicator.pk: {"value": "12", "note": ""}},
        actor=world.users["reporter"],
    )


def add_question(
    world: World, *, text: str, kind: str = "text", order: int, help_text: str = ""
) -> Any:
    """Add an optional question of ``kind`` to the world's round, as its coordinator."""
    return services.question_save(
        round_id=world.round.pk,
        question_id=None,
        text=text,
        help_text=help_text,
        kind=kind,
        required=False,
        order=order,
        actor=world.users["coordinator"],
    )
