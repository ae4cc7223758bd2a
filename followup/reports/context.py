"""Report data assembly: everything the lägesrapport shows, as plain dataclasses, plus a digest.

``report_data()`` runs a fixed number of queries whatever the county's size, and returns values
only (no model instances, no lazy querysets), so the same object feeds the HTML preview, the PDF
and the source digest that makes builds idempotent.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplans.models import Goal, IndicatorValue, SubGoal
from followup.models import (
    Answer,
    FollowUpRound,
    GoalAnalysis,
    ReportedActivity,
    StatusReport,
    Submission,
)
from followup.selectors import SUBMITTED_STATUSES, round_summary
from kvinnofrid.directory.models import OrganisationKind

# Bump when the template or the data shape changes so old digests no longer match.
LAYOUT_VERSION = "2026-11-21.1"
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
    id: int
    organisation: str
    title: str
    description: str
    status: str


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
class IndicatorRow:
    name: str
    organisation: str
    value: str
    unit: str
    note: str


@dataclass(frozen=True)
class CoverageMatrix:
    kinds: list[str]
    rows: list[tuple[str, list[int]]]


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
    indicators: list[IndicatorRow] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def digest(self) -> str:
        """sha256 over everything the PDF shows (and the layout version). The status is left
        out: the PDF a report is finalised with is the one built while it was a draft."""
        content = self.as_dict()
        content.pop("status")
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def response_sentence(*, year: int, submitted: int, previous: int | None) -> str:
    """The generated sentence of "Hur har lägesrapporten tagits fram?" (DESIGN §7)."""
    first = ngettext(
        "Totalt svarade %(n)d aktör på yttrande för %(year)d",
        "Totalt svarade %(n)d aktörer på yttrande för %(year)d",
        submitted,
    ) % {"n": submitted, "year": year}
    if previous is None:
        return first + "."
    then = ngettext("då %(m)d aktör svarade", "då %(m)d aktörer svarade", previous) % {
        "m": previous
    }
    if submitted < previous:
        comparison = _("vilket är färre svar jämfört med %(prev_year)d") % {"prev_year": year - 1}
    elif submitted > previous:
        comparison = _("vilket är fler svar jämfört med %(prev_year)d") % {"prev_year": year - 1}
    else:
        comparison = _("vilket är lika många svar som %(prev_year)d") % {"prev_year": year - 1}
    return f"{first}, {comparison} {then}."


def _lines(text: str) -> list[str]:
    return [
        line.strip(" \t-–•o").strip() for line in (text or "").splitlines() if line.strip(" -–•")
    ]


def _join_codes(codes: list[str]) -> str:
    if len(codes) <= 1:
        return "".join(codes)
    return _("%(first)s och %(last)s") % {"first": ", ".join(codes[:-1]), "last": codes[-1]}


def coverage_line(*, year: int, sub_goals: list[SubGoalRow]) -> str:
    """Which delmål had reported activities, in one sentence."""
    if not sub_goals:
        return _("Målet har inga delmål.")
    covered = [s.code or s.text[:40] for s in sub_goals if s.has_activity]
    missing = [s.code or s.text[:40] for s in sub_goals if not s.has_activity]
    if not covered:
        return _("Inga aktiviteter rapporterades för målets delmål under %(year)d.") % {
            "year": year
        }
    if not missing:
        return _("Under %(year)d rapporterades aktiviteter för samtliga delmål.") % {"year": year}
    return _(
        "Under %(year)d rapporterades aktiviteter för delmål %(covered)s. "
        "Aktiviteter saknas för delmål %(missing)s."
    ) % {"year": year, "covered": _join_codes(covered), "missing": _join_codes(missing)}


def _parse_signatures(text: str) -> list[Signature]:
    result = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.split(",")]
        if not parts or not parts[0]:
            continue
        parts += ["", ""]
        result.append(
            Signature(name=parts[0], title=parts[1], organisation=", ".join(parts[2:]).strip(", "))
        )
    return result


def _number(value: Any) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def report_data(*, report_id: int) -> ReportData:
    """Assemble the report of ``report_id``. Queries are constant in the size of the county."""
    report = StatusReport.objects.select_related(
        "round__plan__county", "round__plan__agreement"
    ).get(pk=report_id)
    round_: FollowUpRound = report.round
    plan = round_.plan
    county = plan.county
    summary = round_summary(round_id=round_.pk)

    goals = list(
        Goal.objects.filter(plan=plan).prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.order_by("order", "id"))
        )
    )
    analyses = {
        a.goal_id: a.analysis
        for a in GoalAnalysis.objects.filter(report=report).only("goal_id", "analysis")
    }
    submissions = list(
        Submission.objects.filter(round=round_)
        .select_related("organisation", "round")
        .order_by("organisation__name", "id")
    )
    submitted_ids = {s.pk for s in submissions if s.status in SUBMITTED_STATUSES}
    activities = list(
        ReportedActivity.objects.filter(submission_id__in=submitted_ids)
        .select_related("submission__organisation")
        .prefetch_related(Prefetch("sub_goals", queryset=SubGoal.objects.only("id", "goal_id")))
        .order_by("highlight_order", "submission__organisation__name", "order", "id")
    )

    sub_goal_goal: dict[int, int] = {}
    goal_rank: dict[int, int] = {}
    sub_goal_rank: dict[int, int] = {}
    for gi, goal in enumerate(goals):
        goal_rank[goal.pk] = gi
        for si, sg in enumerate(goal.sub_goals.all()):
            sub_goal_goal[sg.pk] = goal.pk
            sub_goal_rank[sg.pk] = si

    # Coverage: delmål → actor kinds that reported an activity on it (one count per submission).
    kind_order = [k for k, _label in OrganisationKind.choices]
    kind_labels = dict(OrganisationKind.choices)
    covered_by: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    any_highlighted = any(a.highlighted for a in activities)
    goal_activities: dict[int, list[ActivityItem]] = defaultdict(list)
    for act in activities:
        sg_ids = sorted(
            (sg.pk for sg in act.sub_goals.all() if sg.pk in sub_goal_goal),
            key=lambda pk: (goal_rank[sub_goal_goal[pk]], sub_goal_rank[pk]),
        )
        org = act.submission.organisation
        for pk in sg_ids:
            covered_by[pk][org.kind].add(act.submission_id)
        if sg_ids and (act.highlighted or not any_highlighted):
            primary_goal = sub_goal_goal[sg_ids[0]]
            goal_activities[primary_goal].append(
                ActivityItem(
                    id=act.pk,
                    organisation=org.name,
                    title=act.title,
                    description=act.description,
                    status=str(act.get_status_display()),
                )
            )

    sections = []
    for goal in goals:
        rows = [
            SubGoalRow(code=sg.code, text=sg.text, has_activity=sg.pk in covered_by)
            for sg in goal.sub_goals.all()
        ]
        sections.append(
            GoalSection(
                id=goal.pk,
                number=goal.number,
                title=goal.title,
                description=goal.description,
                sub_goals=rows,
                activities=goal_activities.get(goal.pk, []),
                coverage_line=coverage_line(year=round_.year, sub_goals=rows),
                analysis=analyses.get(goal.pk, ""),
                sub_goal_count=len(rows),
                covered_count=sum(1 for r in rows if r.has_activity),
                anchor=f"mal-{goal.number}-{goal.pk}",
            )
        )

    kinds_present = sorted(
        {s.organisation.kind for s in submissions},
        key=lambda k: kind_order.index(k) if k in kind_order else 99,
    )
    matrix_rows = []
    for goal in goals:
        for sg in goal.sub_goals.all():
            label = sg.code or f"{goal.number}: {sg.text[:40]}"
            counts = [len(covered_by.get(sg.pk, {}).get(k, ())) for k in kinds_present]
            matrix_rows.append((label, counts))
    coverage = CoverageMatrix(
        kinds=[str(kind_labels.get(k, k)) for k in kinds_present], rows=matrix_rows
    )

    history_rounds = (
        FollowUpRound.objects.filter(plan__county_id=county.pk, year__lte=round_.year)
        .order_by("year", "-id")
        .values("id", "year")
    )
    seen_years: dict[int, int] = {}
    for row in history_rounds:
        seen_years.setdefault(row["year"], row["id"])
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in Submission.objects.filter(round_id__in=seen_years.values()).values(
        "round_id", "status"
    ):
        c = counts[row["round_id"]]
        c[0] += 1
        if row["status"] in SUBMITTED_STATUSES:
            c[1] += 1
    history = [
        YearPoint(year=y, invited=counts[rid][0], submitted=counts[rid][1])
        for y, rid in sorted(seen_years.items())[-8:]
    ]

    own_plan = [
        OwnPlanAnswer(
            organisation=a.submission.organisation.name,
            choice=str(a.get_choice_display()) if a.choice else "",
            text=a.text,
        )
        for a in Answer.objects.filter(
            question__round=round_, question__key=OWN_PLAN_KEY, submission_id__in=submitted_ids
        )
        .select_related("submission__organisation")
        .order_by("submission__organisation__name")
        if a.text or a.choice
    ]

    actors = [
        ActorRow(
            name=s.organisation.name,
            kind=str(kind_labels.get(s.organisation.kind, s.organisation.kind)),
            status=str(s.get_status_display()),
            submitted_on=(
                formats.date_format(timezone.localdate(s.submitted_at), "j F Y")
                if s.submitted_at and s.pk in submitted_ids
                else ""
            ),
            late=s.pk in submitted_ids and s.is_late,
        )
        for s in submissions
    ]

    indicators = [
        IndicatorRow(
            name=v.indicator.name,
            organisation=v.organisation.name if v.organisation_id else _("Länet totalt"),
            value=_number(v.value),
            unit=v.indicator.unit,
            note=v.note,
        )
        for v in IndicatorValue.objects.filter(indicator__plan=plan, year=round_.year)
        .select_related("indicator", "organisation")
        .order_by("indicator__order", "indicator_id", "organisation__name")
    ]

    if plan.agreement_id:
        actor_names = list(
            plan.agreement.parties.order_by("order", "id").values_list(
                "organisation__name", flat=True
            )
        )
    else:
        actor_names = []
    if not actor_names:
        actor_names = [s.organisation.name for s in submissions]

    cover_day = report.signed_on or timezone.localdate()
    return ReportData(
        layout_version=LAYOUT_VERSION,
        report_id=report.pk,
        title=report.title or _("Regional lägesrapport %(year)d") % {"year": round_.year},
        status=report.status,
        year=round_.year,
        county_code=county.code,
        county_name=county.name,
        board_name=county.board_name,
        plan_title=plan.title,
        plan_period=f"{plan.period_start}–{plan.period_end}",
        plan_name=(
            plan.title
            if f"{plan.period_start}–{plan.period_end}" in plan.title
            else f"{plan.title} {plan.period_start}–{plan.period_end}"
        ),
        plan_vision=plan.vision.strip().rstrip("."),
        plan_target_groups=_lines(plan.target_groups),
        plan_areas=_lines(plan.areas),
        plan_actors=actor_names,
        cover_date=formats.date_format(cover_day, "F Y").capitalize(),
        introduction=report.introduction,
        method_text=report.method_text,
        response_sentence=response_sentence(
            year=round_.year,
            submitted=summary.submitted,
            previous=summary.previous_year_submitted,
        ),
        invited=summary.invited,
        submitted=summary.submitted,
        on_time=summary.on_time,
        late=summary.late,
        by_kind=[
            KindRow(label=k.label, invited=k.invited, submitted=k.submitted, percent=k.percent)
            for k in summary.by_kind
        ],
        history=history,
        usage_text=report.usage_text,
        resources_text=report.resources_text,
        goals=sections,
        own_plan_answers=own_plan,
        strategy_work_text=report.strategy_work_text,
        closing_words=report.closing_words,
        place=report.place or county.name,
        signed_on=formats.date_format(report.signed_on, "j F Y") if report.signed_on else "",
        signatures=_parse_signatures(report.signatures),
        actors=actors,
        coverage=coverage,
        indicators=indicators,
    )


def editor_goals(*, report_id: int) -> list[dict[str, Any]]:
    """Per goal: its analysis and the submitted activities whose first delmål is in the goal,
    with their highlight flag and position, for the report editor. Constant query count."""
    report = StatusReport.objects.select_related("round__plan").get(pk=report_id)
    goals = list(
        Goal.objects.filter(plan_id=report.round.plan_id).prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.order_by("order", "id"))
        )
    )
    analyses = dict(GoalAnalysis.objects.filter(report=report).values_list("goal_id", "analysis"))
    rank: dict[int, tuple[int, int, int]] = {}
    for gi, goal in enumerate(goals):
        for si, sg in enumerate(goal.sub_goals.all()):
            rank[sg.pk] = (gi, si, goal.pk)
    per_goal: dict[int, list[dict[str, Any]]] = defaultdict(list)
    activities = (
        ReportedActivity.objects.filter(
            submission__round_id=report.round_id, submission__status__in=SUBMITTED_STATUSES
        )
        .select_related("submission__organisation")
        .prefetch_related(Prefetch("sub_goals", queryset=SubGoal.objects.only("id", "goal_id")))
        .order_by(
            "-highlighted", "highlight_order", "submission__organisation__name", "order", "id"
        )
    )
    for act in activities:
        ranks = sorted(rank[sg.pk] for sg in act.sub_goals.all() if sg.pk in rank)
        if not ranks:
            continue
        per_goal[ranks[0][2]].append(
            {
                "id": act.pk,
                "organisation": act.submission.organisation.name,
                "title": act.title,
                "description": act.description,
                "highlighted": act.highlighted,
                "position": act.highlight_order if act.highlighted else None,
            }
        )
    return [
        {
            "id": goal.pk,
            "number": goal.number,
            "title": goal.title,
            "analysis": analyses.get(goal.pk, ""),
            "activities": per_goal.get(goal.pk, []),
        }
        for goal in goals
    ]
