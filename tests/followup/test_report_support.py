"""Builders shared by the report tests and bench/report_build.py (no tests in this module)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from actionplans.models import ActionPlan, Goal, Indicator, IndicatorValue, SubGoal
from followup.models import (
    Answer,
    FollowUpRound,
    Question,
    ReportedActivity,
    StatusReport,
    Submission,
)
from kvinnofrid.directory.models import Organisation, OrganisationKind
from tests.factories import county

KINDS = [
    OrganisationKind.KOMMUN,
    OrganisationKind.REGION,
    OrganisationKind.POLIS,
    OrganisationKind.FORSAKRINGSKASSAN,
    OrganisationKind.LANSSTYRELSE,
    OrganisationKind.KVINNOJOUR,
]


@dataclass
class CountyData:
    plan: ActionPlan
    round: FollowUpRound
    previous_round: FollowUpRound | None
    report: StatusReport
    goals: list[Goal]
    organisations: list[Organisation]
    activities: list[ReportedActivity] = field(default_factory=list)


def build_county(
    *,
    county_code: str = "06",
    year: int = 2022,
    actors: int = 20,
    submitted: int = 11,
    previous_submitted: int | None = 15,
    goals: int = 5,
    sub_goals_per_goal: int = 4,
    activities: int = 30,
    text: str = "",
    description: str = "",
) -> CountyData:
    """A plan, a round of ``year`` with ``submitted`` of ``actors`` answering, and a draft report."""
    c = county(county_code)
    plan = ActionPlan.objects.create(
        county=c,
        kind=ActionPlan.Kind.STRATEGI,
        title="Regional strategi för att förebygga och bekämpa mäns våld mot kvinnor",
        period_start=2020,
        period_end=2026,
        vision="Ett län fritt från våld",
        target_groups="Yrkesverksamma\nAllmänheten",
        areas="Sexuellt våld\nVåld i nära relation",
        status=ActionPlan.Status.ADOPTED,
    )
    goal_rows = []
    sub_goal_rows = []
    for g in range(1, goals + 1):
        goal = Goal.objects.create(
            plan=plan, number=g, order=g, title=f"Målområde nummer {g}", description=f"Syfte {g}."
        )
        goal_rows.append(goal)
        for s in range(1, sub_goals_per_goal + 1):
            sub_goal_rows.append(
                SubGoal.objects.create(goal=goal, code=f"{g}:{s}", text=f"Delmål {g}:{s}", order=s)
            )
    indicator = Indicator.objects.create(
        plan=plan, name="Antal utbildade", kind=Indicator.Kind.QUANTITATIVE, unit="personer"
    )
    orgs = [
        Organisation.objects.create(county=c, name=f"Aktör {i:03d}", kind=KINDS[i % len(KINDS)])
        for i in range(actors)
    ]
    round_ = FollowUpRound.objects.create(
        plan=plan,
        year=year,
        title=f"Uppföljning {year}",
        opens_on=datetime.date(year + 1, 1, 9),
        deadline=datetime.date(year + 1, 2, 15),
        status=FollowUpRound.Status.CLOSED,
    )
    own_plan = Question.objects.create(
        round=round_, key="own_plan", text="Har ni en egen handlingsplan?", order=1
    )
    submitted_at = timezone.make_aware(datetime.datetime(year + 1, 2, 10, 9, 0))
    subs = []
    for i, org in enumerate(orgs):
        answered = i < submitted
        subs.append(
            Submission.objects.create(
                round=round_,
                organisation=org,
                status=Submission.Status.ACCEPTED if answered else Submission.Status.NOT_STARTED,
                submitted_at=submitted_at if answered else None,
            )
        )
    round_.invited_organisations.set(orgs)
    answered_subs = subs[:submitted]
    for sub in answered_subs[:3]:
        Answer.objects.create(
            submission=sub, question=own_plan, text=f"Plan antagen. {text}".strip(), choice="yes"
        )
    acts = []
    for a in range(activities if answered_subs else 0):
        sub = answered_subs[a % len(answered_subs)]
        act = ReportedActivity.objects.create(
            submission=sub,
            title=f"Aktivitet {a} {text}".strip()[:300],  # the field holds 300 characters
            description=f"Beskrivning av aktivitet {a}. {description} {text}".strip(),
            order=a,
        )
        act.sub_goals.add(sub_goal_rows[(a * 3) % len(sub_goal_rows)])
        acts.append(act)
    IndicatorValue.objects.create(indicator=indicator, year=year, value=42)
    previous = None
    if previous_submitted is not None:
        previous = FollowUpRound.objects.create(
            plan=plan,
            year=year - 1,
            title=f"Uppföljning {year - 1}",
            deadline=datetime.date(year, 2, 15),
            status=FollowUpRound.Status.REPORTED,
        )
        for i, org in enumerate(orgs[: max(actors, previous_submitted)]):
            Submission.objects.create(
                round=previous,
                organisation=org,
                status=Submission.Status.ACCEPTED
                if i < previous_submitted
                else Submission.Status.NOT_STARTED,
            )
    report = StatusReport.objects.create(
        round=round_,
        title=f"Regional lägesrapport {year}",
        introduction=f"Inledande text. {text}".strip(),
        method_text="Uppföljningen har en kvalitativ ansats.",
        usage_text=f"Rapporten kan användas för att anpassa arbetet. {text}".strip(),
        resources_text="Länet har 13 kommuner.",
        strategy_work_text="Aktörerna har kommit olika långt.",
        closing_words=f"Tack till alla aktörer. {text}".strip(),
        place="Jönköping",
        signed_on=datetime.date(year + 1, 4, 20),
        signatures="Anna Andersson, Utvecklingsledare, Länsstyrelsen\nBo Berg, Samordnare",
    )
    return CountyData(
        plan=plan,
        round=round_,
        previous_round=previous,
        report=report,
        goals=goal_rows,
        organisations=orgs,
        activities=acts,
    )
