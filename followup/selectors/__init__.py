"""Non-trivial reads for the follow-up. Return plain data, never lazy querysets."""

from followup.selectors.form import (
    SubmissionFormData,
    has_previous_submission,
    indicators_with_answers,
    plan_outline,
    questions_with_answers,
    reported_activities,
    submission_form_data,
)
from followup.selectors.index import rounds_visible_to
from followup.selectors.rounds import (
    SUBMITTED_STATUSES,
    ActorRow,
    KindCount,
    RoundOverview,
    RoundSummary,
    county_current_round,
    previous_round,
    previous_statuses,
    reporter_submissions,
    round_overview,
    round_summary,
    round_years_visible_to,
    submitted_count,
)

__all__ = [
    "SUBMITTED_STATUSES",
    "KindCount",
    "RoundSummary",
    "previous_round",
    "submitted_count",
    "round_summary",
    "previous_statuses",
    "round_years_visible_to",
    "rounds_visible_to",
    "reporter_submissions",
    "ActorRow",
    "RoundOverview",
    "round_overview",
    "county_current_round",
    "SubmissionFormData",
    "questions_with_answers",
    "indicators_with_answers",
    "submission_form_data",
    "plan_outline",
    "reported_activities",
    "has_previous_submission",
]
