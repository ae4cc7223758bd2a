"""Every write of the follow-up (DESIGN §4–6): rounds, submissions, activities, review,
e-mail.

Each state-changing service: lock the row → check permission → check state → validate → write →
audit → side effects after commit. Domain refusals raise :class:`FollowUpError` with a Swedish
message; stale saves raise ``StaleObjectError``.

The package is split by seam (``rounds``, ``submissions``, ``review``, ``reminders``); this module
re-exports the public services so ``from followup import services`` keeps working.
"""

from followup.services._shared import (
    SUBMITTED_STATUSES,
    submission_is_locked_by_deadline,
)
from followup.services.registry import (
    county_registry,
    registers_manually,
    registry_update,
    report_set_diarienummer,
    submission_set_diarienummer,
)
from followup.services.reminders import (
    reminder_kind,
    reminders_send,
    round_send_invitations,
    send_reminder,
    submission_recipients,
)
from followup.services.reminders_manual import (
    ReminderOutcome,
    reminded_today,
    reminder_send_now,
    reminder_targets,
    round_summaries_send,
)
from followup.services.review import (
    submission_accept,
    submission_extend_deadline,
    submission_reopen,
    submission_return,
)
from followup.services.rounds import (
    question_save,
    round_close,
    round_create,
    round_mark_reported,
    round_open,
    round_reopen,
    round_update,
)
from followup.services.submissions import (
    activity_delete,
    activity_save,
    actor_reports_for,
    previous_submission,
    previous_submissions,
    submission_free_text,
    submission_missing_answers,
    submission_save,
    submission_start_from_last_year,
    submission_submit,
)

__all__ = [
    "county_registry",
    "registers_manually",
    "registry_update",
    "report_set_diarienummer",
    "submission_set_diarienummer",
    "SUBMITTED_STATUSES",
    "activity_delete",
    "activity_save",
    "actor_reports_for",
    "previous_submission",
    "previous_submissions",
    "question_save",
    "ReminderOutcome",
    "reminded_today",
    "reminder_kind",
    "reminder_send_now",
    "reminder_targets",
    "round_summaries_send",
    "send_reminder",
    "reminders_send",
    "round_close",
    "round_create",
    "round_mark_reported",
    "round_open",
    "round_reopen",
    "round_send_invitations",
    "round_update",
    "submission_accept",
    "submission_extend_deadline",
    "submission_free_text",
    "submission_is_locked_by_deadline",
    "submission_missing_answers",
    "submission_recipients",
    "submission_reopen",
    "submission_return",
    "submission_save",
    "submission_start_from_last_year",
    "submission_submit",
]
