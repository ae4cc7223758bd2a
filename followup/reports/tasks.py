"""Celery tasks for report builds (thin wrappers around followup.reports.builds).

Names are explicit so moving code never strands queued messages; ``followup.build_report`` is
routed to the "pdf" queue in settings. Tasks receive the build id only.
"""

from django.conf import settings
from django.db import OperationalError

from kvinnofrid.core.tasks import typed_shared_task


@typed_shared_task(
    name="followup.build_report",
    # A killed worker never acknowledges: the broker hands the message to the next worker (Redis:
    # after visibility_timeout, see settings), which takes the build over once its lease ran out.
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=settings.REPORT_BUILD_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_BUILD_SOFT_TIME_LIMIT + 60,
)
def build_report_task(build_id: int) -> str:
    """Render ``ReportBuild`` ``build_id``; safe to deliver twice (the service leases the row to
    one worker at a time, and a later delivery takes it over only when the lease ran out)."""
    from followup.reports.builds import report_build_run

    return report_build_run(build_id=build_id).status


@typed_shared_task(name="followup.sweep_report_builds", acks_late=True)
def sweep_report_builds_task() -> dict[str, int]:
    """Beat job: re-enqueue stale queued builds and builds whose worker died (lease ran out)."""
    from followup.reports.builds import report_sweep_builds

    return report_sweep_builds()
