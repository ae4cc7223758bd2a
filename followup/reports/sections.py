"""One builder per section of the lägesrapport (cover, inledning, method, use and resources, each
goal chapter, strategy work, closing words, appendix) and the material they share.

Each builder returns the :class:`~followup.reports.data.ReportData` fields of its section;
``followup.reports.context.report_data`` assembles them. Every query runs once per report,
whatever the size of the county.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplans.models import ActionPlan, Goal, SubGoal
from followup.models import (
    Answer,
    FollowUpRound,
    GoalAnalysis,
    ReportedActivity,
    StatusReport,
    Submission,
)
from followup.reports.activities import Coverage
from followup.reports.data import (
    OWN_PLAN_KEY,
    ActorRow,
    CoverageMatrix,
    GoalSection,
    KindRow,
    OwnPlanAnswer,
    Signature,
    SubGoalRow,
    YearPoint,
)
from followup.reports.overview import split_resources_analysis
from followup.selectors import SUBMITTED_STATUSES, RoundSummary
from kvinnofrid.directory.models import County, OrganisationKind


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


# --- the material every section reads ---------------------------------------------------------


@dataclass
class Material:
    """The rows the report is built from, each read once: the plan's goals (with their delmål in
    order), the report's goal analyses, the round's submissions and the activities of the
    submitted ones."""

    report: StatusReport
    round: FollowUpRound
    plan: ActionPlan
    county: County
    goals: list[Goal]
    analyses: dict[int, str]
    submissions: list[Submission]
    submitted_ids: set[int]
    activities: list[ReportedActivity]


def load_material(report: StatusReport) -> Material:
    """Read the goals, analyses, submissions and submitted activities of ``report``."""
    round_: FollowUpRound = report.round
    plan = round_.plan
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
        .prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.only("id", "goal_id")),
            "goal_highlights",
        )
        .order_by("submission__organisation__name", "order", "id")
    )
    return Material(
        report=report,
        round=round_,
        plan=plan,
        county=plan.county,
        goals=goals,
        analyses=analyses,
        submissions=submissions,
        submitted_ids=submitted_ids,
        activities=activities,
    )


# --- the sections, in the order the report shows them -----------------------------------------


def cover_section(material: Material) -> dict[str, Any]:
    """Försättsblad: title, county, plan and the month of the cover: the day the report was
    adopted (fastställd); a draft shows the day it is to be signed, else today."""
    report, round_, plan, county = material.report, material.round, material.plan, material.county
    period = f"{plan.period_start}–{plan.period_end}"
    if report.status == StatusReport.Status.FINAL and report.finalised_at:
        cover_day = timezone.localdate(report.finalised_at)
    else:
        cover_day = report.signed_on or timezone.localdate()
    return {
        "title": report.title or _("Regional lägesrapport %(year)d") % {"year": round_.year},
        "year": round_.year,
        "county_code": county.code,
        "county_name": county.name,
        "board_name": county.board_name,
        "plan_title": plan.title,
        "plan_period": period,
        "plan_name": plan.title if period in plan.title else f"{plan.title} {period}",
        "cover_date": formats.date_format(cover_day, "F Y").capitalize(),
    }


def introduction_section(material: Material) -> dict[str, Any]:
    """Inledning: the plan's vision, target groups, areas and the actors behind the strategy
    (the agreement's parties, else the invited organisations)."""
    plan = material.plan
    actor_names: list[str] = []
    agreement = plan.agreement if plan.agreement_id else None
    if agreement is not None:
        actor_names = list(
            agreement.parties.order_by("order", "id").values_list("organisation__name", flat=True)
        )
    if not actor_names:
        actor_names = [s.organisation.name for s in material.submissions]
    return {
        "introduction": material.report.introduction,
        "plan_vision": plan.vision.strip().rstrip("."),
        "plan_target_groups": _lines(plan.target_groups),
        "plan_areas": _lines(plan.areas),
        "plan_actors": actor_names,
    }


def method_section(material: Material, summary: RoundSummary) -> dict[str, Any]:
    """Hur har lägesrapporten tagits fram?: the response sentence, the response table by actor
    kind and the response history of the county's last eight years."""
    year = material.round.year
    return {
        "method_text": material.report.method_text,
        "response_sentence": response_sentence(
            year=year, submitted=summary.submitted, previous=summary.previous_year_submitted
        ),
        "invited": summary.invited,
        "submitted": summary.submitted,
        "on_time": summary.on_time,
        "late": summary.late,
        "by_kind": [
            KindRow(label=k.label, invited=k.invited, submitted=k.submitted, percent=k.percent)
            for k in summary.by_kind
        ],
        "history": response_history(county_id=material.county.pk, year=year),
    }


def response_history(*, county_id: int, year: int) -> list[YearPoint]:
    """Invited and submitted per year for the county's rounds up to ``year`` (the last eight;
    for a year with two rounds, the newest)."""
    history_rounds = (
        FollowUpRound.objects.filter(plan__county_id=county_id, year__lte=year)
        .order_by("year", "-id")
        .values("id", "year")
    )
    seen_years: dict[int, int] = {}
    for row in history_rounds:
        seen_years.setdefault(row["year"], row["id"])
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for sub in Submission.objects.filter(round_id__in=seen_years.values()).values(
        "round_id", "status"
    ):
        c = counts[sub["round_id"]]
        c[0] += 1
        if sub["status"] in SUBMITTED_STATUSES:
            c[1] += 1
    return [
        YearPoint(year=y, invited=counts[rid][0], submitted=counts[rid][1])
        for y, rid in sorted(seen_years.items())[-8:]
    ]


def use_and_resources_section(material: Material) -> dict[str, Any]:
    """Hur kan lägesrapporten användas? and Regionala resurser: the coordinator's texts."""
    resources, analysis = split_resources_analysis(material.report.resources_text)
    return {
        "usage_text": material.report.usage_text,
        "resources_text": resources,
        "resources_analysis": analysis,
    }


def goal_chapter(goal: Goal, *, year: int, analysis: str, coverage: Coverage) -> GoalSection:
    """One goal's chapter: its delmål (covered or not), the coverage sentence, the listed
    activities and the coordinator's analysis."""
    rows = [
        SubGoalRow(code=sg.code, text=sg.text, has_activity=sg.pk in coverage.covered_by)
        for sg in goal.sub_goals.all()
    ]
    return GoalSection(
        id=goal.pk,
        number=goal.number,
        title=goal.title,
        description=goal.description,
        sub_goals=rows,
        activities=coverage.goal_activities.get(goal.pk, []),
        coverage_line=coverage_line(year=year, sub_goals=rows),
        analysis=analysis,
        sub_goal_count=len(rows),
        covered_count=sum(1 for r in rows if r.has_activity),
        anchor=f"mal-{goal.number}-{goal.pk}",
    )


def strategy_work_section(material: Material) -> dict[str, Any]:
    """Arbete – regional strategi och handlingsplaner: the coordinator's text and the submitted
    answers to the question about the actor's own plan."""
    own_plan = [
        OwnPlanAnswer(
            organisation=a.submission.organisation.name,
            choice=str(a.get_choice_display()) if a.choice else "",
            text=a.text,
        )
        for a in Answer.objects.filter(
            question__round=material.round,
            question__key=OWN_PLAN_KEY,
            submission_id__in=material.submitted_ids,
        )
        .select_related("submission__organisation")
        .order_by("submission__organisation__name")
        if a.text or a.choice
    ]
    return {
        "own_plan_answers": own_plan,
        "strategy_work_text": material.report.strategy_work_text,
    }


def closing_section(material: Material) -> dict[str, Any]:
    """Avslutande ord: closing words, place, date and signatures."""
    report = material.report
    return {
        "closing_words": report.closing_words,
        "place": report.place or material.county.name,
        "signed_on": formats.date_format(report.signed_on, "j F Y") if report.signed_on else "",
        "signatures": _parse_signatures(report.signatures),
    }


def appendix_section(material: Material, coverage: Coverage) -> dict[str, Any]:
    """Bilaga: every invited actor's response and the delmål × actor kind coverage matrix (the
    indicators over the years: :mod:`followup.reports.indicators`)."""
    return {
        "actors": _actor_rows(material),
        "coverage": _coverage_matrix(material, coverage),
        "other_activities": coverage.other_activities,
    }


def _kind_labels() -> dict[str, str]:
    return {kind: str(label) for kind, label in OrganisationKind.choices}


def _actor_rows(material: Material) -> list[ActorRow]:
    kind_labels = _kind_labels()
    submitted_ids = material.submitted_ids
    return [
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
        for s in material.submissions
    ]


def _coverage_matrix(material: Material, coverage: Coverage) -> CoverageMatrix:
    kind_order = [k for k, _label in OrganisationKind.choices]
    kind_labels = _kind_labels()
    kinds_present = sorted(
        {s.organisation.kind for s in material.submissions},
        key=lambda k: kind_order.index(k) if k in kind_order else 99,
    )
    matrix_rows = []
    for goal in material.goals:
        for sg in goal.sub_goals.all():
            label = sg.code or f"{goal.number}: {sg.text[:40]}"
            counts = [len(coverage.covered_by.get(sg.pk, {}).get(k, ())) for k in kinds_present]
            matrix_rows.append((label, counts))
    return CoverageMatrix(
        kinds=[str(kind_labels.get(k, k)) for k in kinds_present], rows=matrix_rows
    )
