"""The report's place in the round's flow (issue 15 item 8): which submissions are not done when
the report is finalised, and PDF builds off the request when no broker is configured.

Without a broker (the embedded default, DESIGN §3) Celery runs tasks eagerly, inside the request;
a PDF build takes seconds, so ``REPORT_BUILD_IN_THREAD`` runs it in a background thread instead.
The thread calls ``report_build_run``, which claims the ``ReportBuild`` row exactly as a worker
does, and the build-status page polls its progress.
"""

import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

from followup.models import Submission

logger = logging.getLogger(__name__)

UNSENT_STATUSES = (
    Submission.Status.NOT_STARTED,
    Submission.Status.DRAFT,
    Submission.Status.RETURNED,
)


@dataclass(frozen=True)
class IncompleteSubmission:
    organisation: str
    status: str
    unreviewed: bool


def incomplete_submissions(*, round_id: int) -> list[IncompleteSubmission]:
    """The round's submissions that are not accepted: submitted but not reviewed, and not
    (or not again) submitted; unreviewed first, then by organisation. One query."""
    rows = (
        Submission.objects.filter(round_id=round_id)
        .exclude(status=Submission.Status.ACCEPTED)
        .select_related("organisation")
        .only("status", "organisation__name")
        .order_by("organisation__name", "id")
    )
    result = [
        IncompleteSubmission(
            organisation=s.organisation.name,
            status=str(s.get_status_display()),
            unreviewed=s.status == Submission.Status.SUBMITTED,
        )
        for s in rows
    ]
    return sorted(result, key=lambda s: not s.unreviewed)


def build_in_thread() -> bool:
    """True when report builds run in a background thread of the web process."""
    return bool(getattr(settings, "REPORT_BUILD_IN_THREAD", False))


def _run(build_id: int) -> None:
    from followup.reports.builds import report_build_run

    try:
        report_build_run(build_id=build_id)
    except Exception:  # the build row says failed (or queued for the sweeper); nothing to raise to
        logger.exception("Report build %s failed in its thread", build_id)
    finally:
        connections.close_all()


def start_build_thread(build_id: int) -> threading.Thread:
    """Run the build in a daemon thread; returns the thread (tests join it)."""
    thread = threading.Thread(target=_run, args=(build_id,), name=f"report-build-{build_id}")
    thread.daemon = True
    thread.start()
    return thread
