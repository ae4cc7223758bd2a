"""Celery tasks for report builds (thin wrappers around followup.reports.services).

Names are explicit so moving code never strands queued messages; ``followup.build_report`` is
routed to the "pdf" queue in settings. Tasks receive the build id only.
"""

from django.conf import settings
from django.db import OperationalError

from kvinnofrid.core.tasks import typed_shared_task


@typed_shared_task(
    name="followup.build_report",
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    retry_jitter=True,
    max_retries=3,
    soft_time_limit=settings.REPORT_BUILD_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_BUILD_SOFT_TIME_LIMIT + 60,
)
def build_report_task(build_id: int) -> str:
    """Render ``ReportBuild`` ``build_id``; safe to deliver twice (the service claims the row)."""
    from followup.reports.services import report_build_run

    return report_build_run(build_id=build_id).status


@typed_shared_task(name="followup.sweep_report_builds", acks_late=True)
def sweep_report_builds_task() -> dict[str, int]:
    """Beat job: re-enqueue stale queued builds and fail builds past the hard time limit."""
    from followup.reports.services import report_sweep_builds

    return report_sweep_builds()
