"""The national overview: one row per county for a year, in a fixed number of queries.

Each table is read once for all counties (aggregated with annotations or ``values()``), never
once per county, so the page costs the same with 1 or 21 counties and 1 or 10 years of rounds
(tests/followup/test_national.py holds that).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from actionplans.models import ActionPlan
from agreements.models import Agreement
from followup.models import StatusReport
from followup.national.crosswalk import (
    national_goal_keys,
    reference_goals,
)
from followup.national.sql import (
    agreements_and_plans,
    indicator_values,
    plan_links,
    reported_activities_sql,
    round_years_sql,
    rounds_sql,
)
from followup.selectors import SUBMITTED_STATUSES
from kvinnofrid.core import fragments
from kvinnofrid.core.small_numbers import is_person_count
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


@dataclass(frozen=True)
class IndicatorFigure:
    county_code: str
    county_name: str
    indicator: str
    unit: str
    value: Any
    is_person_count: bool


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
    indicators: list[IndicatorFigure] = field(default_factory=list)

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


def _agreements(today: datetime.date, rows: list[dict[str, Any]]) -> dict[int, Mapping[str, Any]]:
    """Each county's agreement to show ({"pk", "valid_until"}): the one in force today, else
    the newest (``rows``: the counties' agreements, newest first)."""

    def in_force(row: Mapping[str, Any]) -> bool:
        status = Agreement.status_of(row["signed_on"], row["valid_from"], row["valid_until"], today)
        return status == Agreement.Status.IN_FORCE

    chosen: dict[int, Mapping[str, Any]] = {}
    for row in rows:
        current = chosen.get(row["county_id"])
        if current is None or (not in_force(current) and in_force(row)):
            chosen[row["county_id"]] = row
    return chosen


def _rounds(year: int, county_ids: list[int]) -> dict[tuple[int, int], dict[str, Any]]:
    """{(county id, year): round figures and the newest final lägesrapport's id} for ``year``
    and the year before, one written-out query (a row per submission; the ORM's compilation of
    the counting annotations and the subquery cost more than the query, on every miss of the
    overview): tests/followup/test_national_rounds.py checks it against the ORM. When a county
    has several plans with a round that year the newest plan version's wins."""
    if not county_ids:
        return {}
    sql = rounds_sql().format(", ".join(["%s"] * len(county_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [StatusReport.Status.FINAL, year, year - 1, *county_ids])
        rows = cursor.fetchall()
    chosen: dict[tuple[int, int], dict[str, Any]] = {}
    for pk, y, plan_id, county_id, deadline, final_id, sub_id, status, at, extended in rows:
        row = chosen.setdefault(
            (county_id, y),
            {"pk": pk, "year": y, "plan_id": plan_id, "plan__county_id": county_id,
             "n_invited": 0, "n_submitted": 0, "n_on_time": 0, "final_report_id": final_id},
        )  # fmt: skip
        if row["pk"] != pk or sub_id is None:
            continue  # another round of the county and year, or a round without submissions
        row["n_invited"] += 1
        if status in SUBMITTED_STATUSES:
            row["n_submitted"] += 1
            if at is None or _local_date(at) <= max(filter(None, [deadline, extended])):
                row["n_on_time"] += 1
    return chosen


def _local_date(moment: datetime.datetime) -> datetime.date:
    """The date of ``moment`` in the current time zone (a naive one, as SQLite's cursor gives
    it, is UTC), as the ORM's ``__date`` reads it."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return timezone.localdate(moment)


_PLAN_FIELDS = ("pk", "county_id", "title", "strategy__name")


def _plans(year: int, plans: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Each county's plan for the year ({"pk", "county_id", "title", "strategy__name"}): one
    whose period covers it (adopted before drafts, newest version first), else its newest
    non-archived plan (``plans``: the counties' non-archived plans, newest first)."""
    chosen: dict[int, dict[str, Any]] = {}
    fallback: dict[int, dict[str, Any]] = {}
    for plan in plans:
        county_id = plan["county_id"]
        fallback.setdefault(county_id, plan)
        if plan["period_start"] <= year <= plan["period_end"]:
            current = chosen.get(county_id)
            if current is None or (
                current["status"] != ActionPlan.Status.ADOPTED
                and plan["status"] == ActionPlan.Status.ADOPTED
            ):
                chosen[county_id] = plan
    return {**fallback, **chosen}


def _plans_by_id(plan_ids: set[int]) -> dict[int, dict[str, Any]]:
    return {p["pk"]: p for p in ActionPlan.objects.filter(pk__in=plan_ids).values(*_PLAN_FIELDS)}


def _goals_by_national_goal(
    rows: list[tuple[int, int, int]], keys: dict[int, list[str]]
) -> dict[int, dict[str, int]]:
    """{plan id: {national goal key: regional goals mapped to it}} of the (plan, goal,
    national goal) links."""
    goals: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for plan_id, goal_id, ng in rows:
        for key in keys.get(ng, []):
            goals[plan_id][key].add(goal_id)
    return {p: {k: len(v) for k, v in by_key.items()} for p, by_key in goals.items()}


def _reported_activities(round_ids: set[int]) -> list[tuple[int, int, int, int, int]]:
    """(round id, activity id, delmål id, its plan id, national goal id) of each submitted
    activity of the rounds, one written-out query (tests/followup/test_national_rounds.py
    checks it against the ORM's); the last three None where the link is missing."""
    if not round_ids:
        return []
    sql = reported_activities_sql().format(", ".join(["%s"] * len(round_ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*SUBMITTED_STATUSES, *sorted(round_ids)])
        rows: list[tuple[int, int, int, int, int]] = cursor.fetchall()
    return rows


def _activities_by_national_goal(
    rows: list[tuple[int, int, int, int, int]], keys: dict[int, list[str]]
) -> dict[int, dict[str, int]]:
    """{round id: {national goal key: activities}}: each submitted activity of the round counts
    once per distinct national goal it serves (activity → delmål → goal → national goals)."""
    served: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for round_id, activity_id, _sg, _plan, ng in rows:
        for key in keys.get(ng, []):
            served[round_id][key].add(activity_id)
    return {r: {k: len(v) for k, v in sorted(by.items())} for r, by in served.items()}


def _sub_goal_coverage(
    plan_ids: set[int], delmal_plans: list[int], activities: list[tuple[int, int, int, int, int]]
) -> dict[int, tuple[int, int]]:
    """{plan id: (delmål, delmål with at least one submitted activity in the rounds)}: the
    delmål counted from their plan ids (``delmal_plans``, one per delmål), the covered ones read
    from the activities."""
    delmal = Counter(delmal_plans)
    covered: dict[int, set[int]] = defaultdict(set)
    for _r, _a, sub_goal_id, plan_id, _ng in activities:
        if sub_goal_id is not None:
            covered[plan_id].add(sub_goal_id)
    return {p: (delmal[p], len(covered[p])) for p in plan_ids}


def _indicator_figures(
    plans: dict[int, dict[str, Any]], year: int, counties: dict[int, tuple[str, str]]
) -> dict[int, list["IndicatorFigure"]]:
    """{plan id: the year's value of each of its indicators}: the county total where one is
    recorded, else the sum of the organisations' values. One written-out query."""
    totals: dict[int, dict[str, Any]] = {}
    for row in indicator_values(year, sorted(plans)):
        entry = totals.setdefault(row["indicator_id"], {**row, "county": None, "sum": 0})
        if row["organisation_id"] is None:
            entry["county"] = row["value"]
        else:
            entry["sum"] += row["value"]
    out: dict[int, list[IndicatorFigure]] = defaultdict(list)
    for entry in totals.values():
        name, unit = entry["indicator__name"], entry["indicator__unit"]
        out[entry["indicator__plan_id"]].append(
            IndicatorFigure(
                *counties[plans[entry["indicator__plan_id"]]["county_id"]],
                indicator=name,
                unit=unit,
                value=entry["county"] if entry["county"] is not None else entry["sum"],
                is_person_count=is_person_count(unit=unit, name=name),
            )
        )
    return out


def national_overview(*, year: int, today: datetime.date | None = None) -> NationalOverview:
    """Every county's row for ``year``: agreement validity (expiring within 90 days marked), the
    plan and its frame, regional goals and submitted activities per national goal, the year's
    round against the year before, delmål coverage, the final lägesrapport and the indicators.

    Each county's row is cached until the next write in that county (``cached_per_county``):
    after an edit in one county only its row is read again, in a fixed number of queries
    (about nine) whatever the number of counties, plans and years; the counties and the
    reference goals are cached until national data changes.
    """
    today = today or timezone.localdate()
    counties = fragments.cached_reference(
        name="counties",
        compute=lambda: list(County.objects.order_by("code").values_list("pk", "code", "name")),
    )
    reference = fragments.cached_reference(
        name="reference-goals",
        flags=(year,),
        compute=lambda: reference_goals(year=year, with_strategy=True),
    )
    by_id = {pk: (code, name) for pk, code, name in counties}
    rows = fragments.cached_per_county(
        name="national-overview-row",
        county_ids=[pk for pk, _c, _n in counties],
        flags=(year, today),
        compute=lambda ids: _county_rows(
            year=year,
            today=today,
            counties={pk: by_id[pk] for pk in ids},
            reference_id=reference[0][3] if reference else None,
        ),
    )
    return NationalOverview(
        year=year,
        national_goals=[goal[:3] for goal in reference],
        rows=list(rows.values()),
        today=today,
    )


def _county_rows(
    *,
    year: int,
    today: datetime.date,
    counties: dict[int, tuple[str, str]],
    reference_id: int | None,
) -> dict[int, CountyRow]:
    """The rows of ``counties`` ({id: (code, name)}) in one query per table."""
    ids = list(counties)
    agreement_rows, plan_rows = agreements_and_plans(ids, ActionPlan.Status.ARCHIVED)
    agreements = _agreements(today, agreement_rows)
    rounds = _rounds(year, ids)
    plans = _plans(year, plan_rows)
    # the round's plan is the county's plan for that year, when there is a round
    round_plan_ids = {r["plan_id"] for (c, y), r in rounds.items() if y == year}
    known = {p["pk"]: p for p in plans.values()}
    missing = round_plan_ids - set(known)
    known.update(_plans_by_id(missing) if missing else {})
    for (county_id, y), r in rounds.items():
        if y == year:
            plans[county_id] = known[r["plan_id"]]
    plan_ids = {p["pk"] for p in plans.values()}
    round_ids = {r["pk"] for (c, y), r in rounds.items() if y == year}
    goal_links, delmal_plans = plan_links(sorted(plan_ids))
    reported = _reported_activities(round_ids)
    keys = national_goal_keys(
        goal_ids={ng for _p, _g, ng in goal_links} | {r[4] for r in reported if r[4] is not None},
        reference=reference_id,
    )
    goals = _goals_by_national_goal(goal_links, keys)
    activities = _activities_by_national_goal(reported, keys)
    coverage = _sub_goal_coverage(plan_ids, delmal_plans, reported)
    indicators = _indicator_figures({p["pk"]: p for p in plans.values()}, year, counties)
    rows = {}
    for county_id, (code, name) in counties.items():
        row = CountyRow(county_id=county_id, county_code=code, county_name=name)
        _agreement_columns(row, agreements.get(county_id), today)
        plan = plans.get(county_id)
        if plan is not None:
            row.plan_id = plan["pk"]
            row.plan_title = plan["title"]
            row.strategy = plan["strategy__name"]
            row.goals_by_national_goal = goals.get(plan["pk"], {})
            row.sub_goal_count, row.sub_goals_covered = coverage.get(plan["pk"], (0, 0))
            row.indicators = indicators.get(plan["pk"], [])
        this_year = rounds.get((county_id, year))
        if this_year is not None:
            previous = rounds.get((county_id, year - 1))
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
            row.final_report_id = this_year["final_report_id"]
        else:
            row.sub_goals_covered = 0
        rows[county_id] = row
    return rows


def _agreement_columns(
    row: CountyRow, agreement: Mapping[str, Any] | None, today: datetime.date
) -> None:
    if agreement is None:
        return
    row.agreement_id = agreement["pk"]
    row.agreement_valid_to = valid_until = agreement["valid_until"]
    if valid_until:
        days = (valid_until - today).days
        row.agreement_expired = days < 0
        row.agreement_expiring = 0 <= days <= EXPIRY_WARNING_DAYS


def overview_years() -> list[int]:
    """The years with a round anywhere, newest first (for the year filter). One written-out
    query: every request of the overview reads it."""
    with connection.cursor() as cursor:
        cursor.execute(round_years_sql())
        return [year for (year,) in cursor.fetchall()]


def indicator_figures(*, overview: NationalOverview) -> list[IndicatorFigure]:
    """The year's value of each indicator of the counties' plans, county by county."""
    return [figure for row in overview.rows for figure in row.indicators]
