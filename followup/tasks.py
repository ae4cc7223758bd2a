"""Celery tasks of the follow-up (thin wrappers around followup.services). Ids only."""

from kvinnofrid.core.tasks import typed_shared_task


@typed_shared_task(name="followup.send_round_invitations", acks_late=True)
def send_round_invitations_task(round_id: int) -> int:
    """E-mail each invited organisation a link to its form; idempotent (ReminderLog)."""
    from followup.services import round_send_invitations

    return round_send_invitations(round_id=round_id)


@typed_shared_task(name="followup.send_reminders", acks_late=True)
def send_reminders_task() -> int:
    """Daily (celery beat): reminders before and on the deadline, the escalation after it and
    the coordinators' daily summary of rounds past their deadline; idempotent."""
    from followup.services import reminders_send

    return reminders_send()


@typed_shared_task(name="followup.send_submission_notice", acks_late=True)
def send_submission_notice_task(submission_id: int, event: str, version: int) -> bool:
    """Confirmation e-mail after submit, return or accept; sent once per (event, version)."""
    from followup.emails import send_submission_notice

    return send_submission_notice(submission_id=submission_id, event=event, version=version)


@typed_shared_task(name="followup.retention_run", acks_late=True)
def retention_run_task() -> int:
    """Daily (celery beat ``retention-run``): the gallring rules; returns the run's id."""
    from followup.services.retention import retention_run

    return retention_run(dry_run=False, trigger="beat").pk
