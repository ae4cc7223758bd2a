"""The national overview: one row per county for a year, in a fixed number of queries.

Each table is read once for all counties (aggregated with annotations or ``values()``), never
once per county, so the page costs the same with 1 or 21 counties and 1 or 10 years of rounds
(tests/followup/test_national.py holds that).
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from actionplans.models import ActionPlan, Goal, SubGoal
from agreements.models import Agreement
from followup.models import FollowUpRound, ReportedActivity, StatusReport
from followup.national.crosswalk import (
    national_goal_keys,
    reference_goals,
)
from followup.selectors import SUBMITTED_STATUSES
from kvinnofrid.directory.models import County

EXPIRY_WARNING_DAYS = 90


@dataclass
class RoundFigures:
    invited: int = 0
    submitted: int = 0
    on_time: int = 0
    late: int = 0
    previous_year_submitted: int | None = None
    previous_year_invited: int | None = None

    @property
    def percent(self) -> int | None:
        return round(100 * self.submitted / self.invited) if self.invited else None

    @property
    def previous_percent(self) -> int | None:
        if not self.previous_year_invited or self.previous_year_submitted is None:
            return None
        return round(100 * self.previous_year_submitted / self.previous_year_invited)


@dataclass
class CountyRow:
    """What the overview shows for one county and year."""

    county_id: int
    county_code: str
    county_name: str
    agreement_id: int | None = None
    agreement_valid_to: datetime.date | None = None
    agreement_expiring: bool = False
    agreement_expired: bool = False
    plan_id: int | None = None
    plan_title: str = ""
    strategy: str | None = None
    round_id: int | None = None
    round: RoundFigures | None = None
    goals_by_national_goal: dict[str, int] = field(default_factory=dict)
    activities_by_national_goal: dict[str, int] = field(default_factory=dict)
    sub_goal_count: int = 0
    sub_goals_covered: int = 0
    final_report_id: int | None = None

    @property
    def coverage_percent(self) -> int | None:
        if not self.sub_goal_count:
            return None
        return round(100 * self.sub_goals_covered / self.sub_goal_count)

    @property
    def activity_total(self) -> int:
        return sum(self.activities_by_national_goal.values())


@dataclass
class NationalOverview:
    year: int
    national_goals: list[tuple[str, str, str]]
    rows: list[CountyRow]
    today: datetime.date

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _agreements(today: datetime.date) -> dict[int, Agreement]:
    """Each county's agreement to show: the one in force today, else the newest."""
    chosen: dict[int, Agreement] = {}
    for agreement in Agreement.objects.only(
        "pk", "county_id", "signed_on", "valid_from", "valid_until"
    ).order_by("county_id", "-valid_from", "-id"):
        current = chosen.get(agreement.county_id)
        if current is None or (
            current.status_on(today) != Agreement.Status.IN_FORCE
            and agreement.status_on(today) == Agreement.Status.IN_FORCE
        ):
            chosen[agreement.county_id] = agreement
    return chosen


def _rounds(year: int) -> dict[tuple[int, int], dict[str, Any]]:
    """{(county id, year): round figures} for ``year`` and the year before, one query.
    When a county has several plans with a round that year the newest plan version's wins."""
    on_time = Q(submissions__status__in=SUBMITTED_STATUSES) & (
        Q(submissions__submitted_at__isnull=True)
        | Q(submissions__submitted_at__date__lte=F("deadline"))
        | Q(submissions__submitted_at__date__lte=F("submissions__deadline_extended_to"))
    )
    rows = (
        FollowUpRound.objects.filter(year__in=[year, year - 1])
        .annotate(
            n_invited=Count("submissions", distinct=True),
            n_submitted=Count(
                "submissions", filter=Q(submissions__status__in=SUBMITTED_STATUSES), distinct=True
            ),
            n_on_time=Count("submissions", filter=on_time, distinct=True),
        )
        .values("pk", "year", "plan_id", "plan__county_id", "n_invited", "n_submitted", "n_on_time")
        .order_by("plan__county_id", "year", "-plan__version", "-id")
    )
    chosen: dict[tuple[int, int], dict[str, Any]] = {}
    for row in rows:
        chosen.setdefault((row["plan__county_id"], row["year"]), dict(row))
    return chosen


def _plans(year: int) -> dict[int, ActionPlan]:
    """Each county's plan for the year: one whose period covers it (adopted before drafts,
    newest version first), else its newest non-archived plan."""
    chosen: dict[int, ActionPlan] = {}
    fallback: dict[int, ActionPlan] = {}
    plans = (
        ActionPlan.objects.current()
        .select_related("strategy")
        .only(
            "pk",
            "county_id",
            "title",
            "status",
            "period_start",
            "period_end",
            "version",
            "strategy__name",
        )
        .order_by("county_id", "-period_start", "-version", "-id")
    )
    for plan in plans:
        fallback.setdefault(plan.county_id, plan)
        if plan.period_start <= year <= plan.period_end:
            current = chosen.get(plan.county_id)
            if current is None or (
                current.status != ActionPlan.Status.ADOPTED
                and plan.status == ActionPlan.Status.ADOPTED
            ):
                chosen[plan.county_id] = plan
    return {**fallback, **chosen}


def _plans_by_id(plan_ids: set[int]) -> dict[int, ActionPlan]:
    return {
        p.pk: p
        for p in ActionPlan.objects.filter(pk__in=plan_ids)
        .select_related("strategy")
        .only("pk", "county_id", "title", "strategy__name")
    }


def _goals_by_national_goal(plan_ids: set[int], reference: int | None) -> dict[int, dict[str, int]]:
    """{plan id: {national goal key: regional goals mapped to it}}, one query plus the keys."""
    rows = list(
        Goal.national_goals.through.objects.filter(goal__plan_id__in=plan_ids).values_list(
            "goal__plan_id", "goal_id", "nationalgoal_id"
        )
    )
    keys = national_goal_keys(goal_ids={ng for _p, _g, ng in rows}, reference=reference)
    goals: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for plan_id, goal_id, ng in rows:
        for key in keys.get(ng, []):
            goals[plan_id][key].add(goal_id)
    return {p: {k: len(v) for k, v in by_key.items()} for p, by_key in goals.items()}


def _activities_by_national_goal(
    round_ids: set[int], reference: int | None
) -> dict[int, dict[str, int]]:
    """{round id: {national goal key: activities}}: each submitted activity of the round counts
    once per distinct national goal it serves (activity → delmål → goal → national goals)."""
    rows: list[tuple[int, int, int]] = list(
        ReportedActivity.objects.filter(
            submission__round_id__in=round_ids,
            submission__status__in=SUBMITTED_STATUSES,
            sub_goals__goal__national_goals__isnull=False,
        )
        .values_list("submission__round_id", "pk", "sub_goals__goal__national_goals")
        .distinct()
    )
    keys = national_goal_keys(goal_ids={ng for _r, _a, ng in rows}, reference=reference)
    served: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for round_id, activity_id, ng in rows:
        for key in keys.get(ng, []):
            served[round_id][key].add(activity_id)
    return {r: {k: len(v) for k, v in sorted(by.items())} for r, by in served.items()}


def _sub_goal_coverage(plan_ids: set[int], round_ids: set[int]) -> dict[int, tuple[int, int]]:
    """{plan id: (delmål, delmål with at least one submitted activity in the round)}."""
    totals = dict(
        SubGoal.objects.filter(goal__plan_id__in=plan_ids)
        .values_list("goal__plan_id")
        .annotate(n=Count("pk"))
        .values_list("goal__plan_id", "n")
    )
    covered = dict(
        SubGoal.objects.filter(
            goal__plan_id__in=plan_ids,
            reported_activities__submission__round_id__in=round_ids,
            reported_activities__submission__status__in=SUBMITTED_STATUSES,
        )
        .values_list("goal__plan_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("goal__plan_id", "n")
    )
    return {p: (totals.get(p, 0), covered.get(p, 0)) for p in plan_ids}


def _final_reports(round_ids: set[int]) -> dict[int, int]:
    """{round id: its newest final lägesrapport's id}."""
    out: dict[int, int] = {}
    for round_id, report_id in (
        StatusReport.objects.filter(round_id__in=round_ids, status=StatusReport.Status.FINAL)
        .order_by("round_id", "-finalised_at", "-id")
        .values_list("round_id", "pk")
    ):
        out.setdefault(round_id, report_id)
    return out


def national_overview(*, year: int, today: datetime.date | None = None) -> NationalOverview:
    """Every county's row for ``year``: agreement validity (expiring within 90 days marked), the
    plan and its frame, regional goals and submitted activities per national goal, the year's
    round against the year before, delmål coverage and the final lägesrapport.

    A fixed number of queries (about ten) whatever the number of counties, plans and years.
    """
    today = today or timezone.localdate()
    counties = list(County.objects.only("pk", "code", "name").order_by("code"))
    agreements = _agreements(today)
    rounds = _rounds(year)
    plans = _plans(year)
    # the round's plan is the county's plan for that year, when there is a round
    round_plan_ids = {r["plan_id"] for (c, y), r in rounds.items() if y == year}
    known = {p.pk: p for p in plans.values()}
    missing = round_plan_ids - set(known)
    known.update(_plans_by_id(missing) if missing else {})
    for (county_id, y), r in rounds.items():
        if y == year:
            plans[county_id] = known[r["plan_id"]]
    plan_ids = {p.pk for p in plans.values()}
    round_ids = {r["pk"] for (c, y), r in rounds.items() if y == year}
    reference = reference_goals(year=year, with_strategy=True)
    reference_id = reference[0][3] if reference else None
    goals = _goals_by_national_goal(plan_ids, reference_id)
    activities = _activities_by_national_goal(round_ids, reference_id)
    coverage = _sub_goal_coverage(plan_ids, round_ids)
    finals = _final_reports(round_ids)

    rows = []
    for county in counties:
        row = CountyRow(county_id=county.pk, county_code=county.code, county_name=county.name)
        agreement = agreements.get(county.pk)
        if agreement is not None:
            row.agreement_id = agreement.pk
            row.agreement_valid_to = agreement.valid_until
            if agreement.valid_until:
                days = (agreement.valid_until - today).days
                row.agreement_expired = days < 0
                row.agreement_expiring = 0 <= days <= EXPIRY_WARNING_DAYS
        plan = plans.get(county.pk)
        if plan is not None:
            row.plan_id = plan.pk
            row.plan_title = plan.title
            row.strategy = plan.strategy.name if plan.strategy else None
            row.goals_by_national_goal = goals.get(plan.pk, {})
            row.sub_goal_count, row.sub_goals_covered = coverage.get(plan.pk, (0, 0))
        this_year = rounds.get((county.pk, year))
        if this_year is not None:
            previous = rounds.get((county.pk, year - 1))
            row.round_id = this_year["pk"]
            row.round = RoundFigures(
                invited=this_year["n_invited"],
                submitted=this_year["n_submitted"],
                on_time=this_year["n_on_time"],
                late=this_year["n_submitted"] - this_year["n_on_time"],
                previous_year_submitted=previous["n_submitted"] if previous else None,
                previous_year_invited=previous["n_invited"] if previous else None,
            )
            row.activities_by_national_goal = activities.get(this_year["pk"], {})
            row.final_report_id = finals.get(this_year["pk"])
        else:
            row.sub_goals_covered = 0
        rows.append(row)
    return NationalOverview(
        year=year,
        national_goals=[goal[:3] for goal in reference],
        rows=rows,
        today=today,
    )


def overview_years() -> list[int]:
    """The years with a round anywhere, newest first (for the year filter). One query."""
    return list(FollowUpRound.objects.order_by("-year").values_list("year", flat=True).distinct())


@dataclass(frozen=True)
class IndicatorFigure:
    county_code: str
    county_name: str
    indicator: str
    unit: str
    value: Any
    is_person_count: bool


def indicator_figures(*, overview: NationalOverview) -> list[IndicatorFigure]:
    """The year's value of each indicator of the counties' plans: the county total where one is
    recorded, else the sum of the organisations' values. One query."""
    from actionplans.models import IndicatorValue
    from kvinnofrid.core.small_numbers import is_person_count

    by_plan = {r.plan_id: r for r in overview.rows if r.plan_id}
    totals: dict[int, dict[str, Any]] = {}
    for row in (
        IndicatorValue.objects.filter(year=overview.year, indicator__plan_id__in=set(by_plan))
        .values(
            "indicator_id",
            "indicator__plan_id",
            "indicator__name",
            "indicator__unit",
            "indicator__order",
            "organisation_id",
            "value",
        )
        .order_by("indicator__plan_id", "indicator__order", "indicator_id")
    ):
        entry = totals.setdefault(row["indicator_id"], {**row, "county": None, "sum": 0})
        if row["organisation_id"] is None:
            entry["county"] = row["value"]
        else:
            entry["sum"] += row["value"]
    out = []
    for entry in totals.values():
        county_row = by_plan[entry["indicator__plan_id"]]
        name, unit = entry["indicator__name"], entry["indicator__unit"]
        out.append(
            IndicatorFigure(
                county_code=county_row.county_code,
                county_name=county_row.county_name,
                indicator=name,
                unit=unit,
                value=entry["county"] if entry["county"] is not None else entry["sum"],
                is_person_count=is_person_count(unit=unit, name=name),
            )
        )
    return out
