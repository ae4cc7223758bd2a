"""The lägesrapport's data shape: plain frozen dataclasses (values only, no model instances),
so the same object feeds the HTML preview, the PDF and the source digest."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from followup.reports.indicators import ReportIndicator

# Bump when the template or the data shape changes so old digests no longer match.
LAYOUT_VERSION = "2026-12-01.merged-2"
OWN_PLAN_KEY = "own_plan"


@dataclass(frozen=True)
class KindRow:
    label: str
    invited: int
    submitted: int
    percent: int


@dataclass(frozen=True)
class YearPoint:
    year: int
    invited: int
    submitted: int


@dataclass(frozen=True)
class SubGoalRow:
    code: str
    text: str
    has_activity: bool


@dataclass(frozen=True)
class ActivityItem:
    """One activity as the report shows it; identical activities of several actors are one
    item: ``organisation`` names them all, ``organisations``/``ids`` list them."""

    id: int
    organisation: str
    title: str
    description: str
    status: str
    organisations: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    withheld: bool = False  # the text looks like personal data: only the actors are shown


@dataclass(frozen=True)
class ActivityGroup:
    """Activities of the appendix under one heading (the goal of their first delmål)."""

    heading: str
    items: list[ActivityItem]


@dataclass(frozen=True)
class NationalGoalRef:
    number: int
    title: str


@dataclass(frozen=True)
class GoalOverviewRow:
    """One regional goal of "Regional uppföljning för {år}" and the national goals it serves."""

    number: int
    title: str
    anchor: str
    national_goals: list[NationalGoalRef]


@dataclass(frozen=True)
class GoalSection:
    id: int
    number: int
    title: str
    description: str
    sub_goals: list[SubGoalRow]
    activities: list[ActivityItem]
    coverage_line: str
    analysis: str
    sub_goal_count: int
    covered_count: int
    anchor: str


@dataclass(frozen=True)
class OwnPlanAnswer:
    organisation: str
    choice: str
    text: str


@dataclass(frozen=True)
class ActorRow:
    name: str
    kind: str
    status: str
    submitted_on: str
    late: bool


@dataclass(frozen=True)
class CoverageMatrix:
    kinds: list[str]
    rows: list[tuple[str, list[int]]]

    # How many actor-kind columns one printed table holds beside the delmål column: at 8 pt,
    # five columns of about 27 mm fill the A4 portrait text width (163 mm) and never overflow.
    COLUMNS_PER_TABLE = 5

    @property
    def column_groups(self) -> list["CoverageMatrix"]:
        """The matrix split into as few tables of at most ``COLUMNS_PER_TABLE`` kinds as needed,
        of even widths, each repeating the delmål column, so a wide matrix is never cut at the
        page edge."""
        tables = -(-len(self.kinds) // self.COLUMNS_PER_TABLE)  # ceil
        size = max(1, -(-len(self.kinds) // max(tables, 1)))  # balanced: 11 → 4 + 4 + 3
        return [
            CoverageMatrix(
                kinds=self.kinds[start : start + size],
                rows=[(label, counts[start : start + size]) for label, counts in self.rows],
            )
            for start in range(0, len(self.kinds), size)
        ] or [self]


@dataclass(frozen=True)
class Signature:
    name: str
    title: str
    organisation: str


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows. Free text stays plain text; templates escape it."""

    layout_version: str
    report_id: int
    title: str
    status: str
    year: int
    county_code: str
    county_name: str
    board_name: str
    plan_title: str
    plan_period: str
    plan_name: str
    plan_vision: str
    plan_target_groups: list[str]
    plan_areas: list[str]
    plan_actors: list[str]
    cover_date: str
    introduction: str
    method_text: str
    response_sentence: str
    invited: int
    submitted: int
    on_time: int
    late: int
    by_kind: list[KindRow]
    history: list[YearPoint]
    usage_text: str
    resources_text: str
    goals: list[GoalSection]
    own_plan_answers: list[OwnPlanAnswer]
    strategy_work_text: str
    closing_words: str
    place: str
    signed_on: str
    signatures: list[Signature]
    actors: list[ActorRow]
    coverage: CoverageMatrix
    indicators: list[ReportIndicator] = field(default_factory=list)
    goal_overview: list[GoalOverviewRow] = field(default_factory=list)
    resources_analysis: str = ""
    other_activities: list[ActivityGroup] = field(default_factory=list)
    logo_data_uri: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def digest(self) -> str:
        """sha256 over everything the PDF shows (and the layout version). The status is left
        out: the PDF a report is finalised with is the one built while it was a draft."""
        content = self.as_dict()
        content.pop("status")
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
