"""Gallring (issue 16 item 6): the retention job, run daily by celery beat (``retention-run``) or
by ``manage.py retention [--dry-run]``.

The rules are ``kvinnofrid.core.models.RetentionRule`` (kept by the national admin):

* ``draft_submissions``: a yttrande that was never submitted, whose round's deadline is more than
  N years ago, is emptied — its answers, indicator values and activities are removed and it goes
  back to "not started". The row itself stays, so the round's invited count (the response rate's
  denominator) does not change.
* ``flagged_text``: yttranden whose free text the personal-data guard flagged
  (``followup.personal_data``), round deadline more than N years ago, are listed for review;
  nothing is removed.

Never touched: anything submitted (``submitted_at`` set, or a status after draft), registered
(a diarienummer) or finalised. A dry run lists exactly what a real run on the same data removes;
both are logged as a ``RetentionRun`` and in the audit log.
"""

import datetime
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from followup.models import Submission
from kvinnofrid.accounts.models import Actor
from kvinnofrid.accounts.permissions import is_national_admin
from kvinnofrid.core.audit import audit_log
from kvinnofrid.core.models import RetentionRule, RetentionRun

S = Submission.Status
NEVER_SUBMITTED = (S.NOT_STARTED, S.DRAFT)
REMOVE = "remove"
REVIEW = "review"


@dataclass(frozen=True)
class RetentionItem:
    """One object a rule removes (``remove``) or lists for review (``review``)."""

    rule: str
    action: str
    submission_id: int
    label: str
    county_id: int
    details: dict[str, Any] = field(default_factory=dict)


def _cutoff(years: int, today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def never_submitted() -> Q:
    """Yttranden that were never submitted, registered or finalised: the only ones the job may
    empty (checked again on the locked row before anything is removed)."""
    return Q(status__in=NEVER_SUBMITTED, submitted_at__isnull=True, diarienummer="")


def _draft_candidates(cutoff: datetime.date) -> QuerySet[Submission]:
    has_content = (
        Q(answers__isnull=False) | Q(indicator_answers__isnull=False) | Q(activities__isnull=False)
    )
    ids = (
        Submission.objects.filter(never_submitted(), round__deadline__lt=cutoff)
        .filter(has_content)
        .values_list("pk", flat=True)
        .distinct()
    )
    return (
        Submission.objects.filter(pk__in=list(ids))
        .select_related("organisation", "round__plan")
        .order_by("pk")
    )


def _content_counts(submission: Submission) -> dict[str, int]:
    return {
        "answers": submission.answers.count(),
        "indicator_answers": submission.indicator_answers.count(),
        "activities": submission.activities.count(),
    }


def _item(rule: str, action: str, submission: Submission, details: dict[str, Any]) -> RetentionItem:
    return RetentionItem(
        rule=rule,
        action=action,
        submission_id=submission.pk,
        label=str(submission),
        county_id=submission.round.plan.county_id,
        details=details,
    )


def retention_candidates(*, today: datetime.date | None = None) -> list[RetentionItem]:
    """What the active rules would remove or list today (nothing is changed)."""
    today = today or timezone.localdate()
    items: list[RetentionItem] = []
    for rule in RetentionRule.objects.filter(active=True).order_by("kind"):
        cutoff = _cutoff(rule.years, today)
        if rule.kind == RetentionRule.Kind.DRAFT_SUBMISSIONS:
            items += [
                _item(rule.kind, REMOVE, s, _content_counts(s)) for s in _draft_candidates(cutoff)
            ]
        elif rule.kind == RetentionRule.Kind.FLAGGED_TEXT:
            flagged = (
                Submission.objects.filter(personal_data_flagged=True, round__deadline__lt=cutoff)
                .select_related("organisation", "round__plan")
                .order_by("pk")
            )
            items += [
                _item(
                    rule.kind,
                    REVIEW,
                    s,
                    {"findings": [f.get("kind", "") for f in s.personal_data_findings or []]},
                )
                for s in flagged
            ]
    return items


def _empty_draft(item: RetentionItem, actor: Actor) -> bool:
    """Remove a never-submitted yttrande's content; False if it is no longer safe to."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .filter(never_submitted(), pk=item.submission_id)
        .select_related("round__plan", "organisation")
        .first()
    )
    if submission is None:
        return False
    counts = _content_counts(submission)
    submission.answers.all().delete()
    submission.indicator_answers.all().delete()
    submission.activities.all().delete()
    old_status = submission.status
    submission.status = S.NOT_STARTED
    submission.personal_data_flagged = False
    submission.personal_data_findings = []
    submission.lock_version += 1
    submission.save(
        update_fields=[
            "status",
            "personal_data_flagged",
            "personal_data_findings",
            "lock_version",
            "updated_at",
        ]
    )
    audit_log(
        actor=actor,
        action="followup.retention.draft_emptied",
        target=submission,
        county_id=submission.round.plan.county_id,
        changes={
            "status": [old_status, S.NOT_STARTED],
            **{name: [count, 0] for name, count in counts.items() if count},
        },
    )
    return True


def retention_run(
    *,
    dry_run: bool,
    actor: Actor = None,
    trigger: str = "beat",
    today: datetime.date | None = None,
) -> RetentionRun:
    """Run the active rules (or, with ``dry_run``, only list what they would do) and log it.

    ``actor`` None is the scheduled job or the command line; a user must be the national admin.
    """
    if actor is not None and not is_national_admin(actor):
        raise PermissionDenied
    with transaction.atomic():
        run = RetentionRun.objects.create(dry_run=dry_run, trigger=trigger[:20])
        items = retention_candidates(today=today)
        done = []
        for item in items:
            if item.action == REMOVE and not dry_run and not _empty_draft(item, actor):
                continue
            done.append(item)
        counts: dict[str, int] = {}
        for item in done:
            counts[item.rule] = counts.get(item.rule, 0) + 1
        run.counts = counts
        run.items = [asdict(item) for item in done]
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "items", "finished_at"])
        audit_log(
            actor=actor,
            action="followup.retention.dry_run" if dry_run else "followup.retention.run",
            target=run,
            changes={
                "removed": [None, sum(1 for i in done if i.action == REMOVE)],
                "review": [None, sum(1 for i in done if i.action == REVIEW)],
            },
        )
    return run
