"""Report data assembly: everything the lägesrapport shows, as plain dataclasses, plus a digest.

``report_data()`` runs a fixed number of queries whatever the county's size, and returns values
only (no model instances, no lazy querysets), so the same object feeds the HTML preview, the PDF
and the source digest that makes builds idempotent. The data shape lives in
``followup.reports.data``, one builder per report section in ``followup.reports.sections``.
"""

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch

from actionplans.models import Goal, SubGoal
from followup.models import GoalAnalysis, ReportedActivity, StatusReport
from followup.reports.activities import activity_coverage, highlight_positions
from followup.reports.data import (
    LAYOUT_VERSION,
    OWN_PLAN_KEY,
    ActivityItem,
    ActorRow,
    CoverageMatrix,
    GoalSection,
    KindRow,
    OwnPlanAnswer,
    ReportData,
    Signature,
    SubGoalRow,
    YearPoint,
)
from followup.reports.facts import Facts, apply_facts
from followup.reports.indicators import ReportIndicator, indicator_section
from followup.reports.overview import overview_section
from followup.reports.sections import (
    appendix_section,
    closing_section,
    cover_section,
    coverage_line,
    goal_chapter,
    introduction_section,
    load_material,
    method_section,
    response_sentence,
    strategy_work_section,
    use_and_resources_section,
)
from followup.selectors import SUBMITTED_STATUSES, round_summary

__all__ = [
    "LAYOUT_VERSION",
    "OWN_PLAN_KEY",
    "ActivityItem",
    "ActorRow",
    "CoverageMatrix",
    "GoalSection",
    "ReportIndicator",
    "KindRow",
    "OwnPlanAnswer",
    "ReportData",
    "Signature",
    "SubGoalRow",
    "YearPoint",
    "coverage_line",
    "editor_goals",
    "report_data",
    "response_sentence",
]


def report_data(*, report_id: int) -> ReportData:
    """Assemble the report of ``report_id`` section by section, in the order it is shown.
    Queries are constant in the size of the county."""
    report = StatusReport.objects.select_related(
        "round__plan__county", "round__plan__agreement"
    ).get(pk=report_id)
    summary = round_summary(round_id=report.round_id)
    material = load_material(report)
    coverage = activity_coverage(material)
    goals = [
        goal_chapter(
            goal,
            year=material.round.year,
            analysis=material.analyses.get(goal.pk, ""),
            coverage=coverage,
        )
        for goal in material.goals
    ]
    data = ReportData(
        layout_version=LAYOUT_VERSION,
        report_id=report.pk,
        status=report.status,
        **cover_section(material),
        **introduction_section(material),
        **method_section(material, summary),
        **use_and_resources_section(material),
        **overview_section(material),
        goals=goals,
        **strategy_work_section(material),
        **closing_section(material),
        **appendix_section(material, coverage),
        **indicator_section(plan=material.plan, year=material.round.year),
    )
    facts = Facts(
        year=material.round.year,
        submitted=summary.submitted,
        invited=summary.invited,
        previous_submitted=summary.previous_year_submitted,
    )
    return apply_facts(data, facts)  # {år}, {antal_svar} … as plain text, before any Markdown


def editor_goals(*, report_id: int) -> list[dict[str, Any]]:
    """Per goal: its analysis and the submitted activities serving it (through any of their
    delmål), each with whether and where it is highlighted under that goal, for the report
    editor. An activity serving several goals appears under each. Constant query count."""
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
        .prefetch_related(
            Prefetch("sub_goals", queryset=SubGoal.objects.only("id", "goal_id")),
            "goal_highlights",
        )
        .order_by("submission__organisation__name", "order", "id")
    )
    for act in activities:
        ranks = sorted(rank[sg.pk] for sg in act.sub_goals.all() if sg.pk in rank)
        goal_ids = list(dict.fromkeys(r[2] for r in ranks))
        positions = highlight_positions(act, goal_ids[0] if goal_ids else None)
        for goal_id in goal_ids:
            per_goal[goal_id].append(
                {
                    "id": act.pk,
                    "organisation": act.submission.organisation.name,
                    "title": act.title,
                    "description": act.description,
                    "highlighted": goal_id in positions,
                    "position": positions.get(goal_id),
                    "other_goals": len(goal_ids) - 1,
                }
            )
    for rows in per_goal.values():  # highlighted first, in their order
        rows.sort(key=lambda r: (not r["highlighted"], r["position"] or 0))
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
