"""Follow-up pages: rounds (coordinator), the actor's form (reporter), review and overview."""

from followup.views.activities import activity_delete, activity_edit
from followup.views.reminders import round_remind_all, submission_remind
from followup.views.rounds import (
    ROUND_ACTIONS,
    index,
    round_create,
    round_detail,
    round_edit,
    round_export,
    round_questions,
    round_transition,
)
from followup.views.submissions import (
    SUBMISSION_FORM_TIMEOUT,
    submission_copy_last_year,
    submission_detail,
    submission_edit,
    submission_review,
    submission_submit,
)

__all__ = [
    "index",
    "round_create",
    "round_edit",
    "round_detail",
    "ROUND_ACTIONS",
    "round_transition",
    "round_questions",
    "round_export",
    "SUBMISSION_FORM_TIMEOUT",
    "submission_edit",
    "submission_submit",
    "submission_copy_last_year",
    "submission_detail",
    "submission_review",
    "activity_edit",
    "activity_delete",
    "round_remind_all",
    "submission_remind",
]
