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
from followup.reports.indicators import ReportIndicator, indicator_section
from followup.reports.sections import (
    activity_coverage,
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
    return ReportData(
        layout_version=LAYOUT_VERSION,
        report_id=report.pk,
        status=report.status,
        **cover_section(material),
        **introduction_section(material),
        **method_section(material, summary),
        **use_and_resources_section(material),
        goals=goals,
        **strategy_work_section(material),
        **closing_section(material),
        **appendix_section(material, coverage),
        **indicator_section(plan=material.plan, year=material.round.year),
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
