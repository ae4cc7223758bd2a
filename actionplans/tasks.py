"""Celery tasks of the action plans (thin wrappers around services). Ids only."""

from kvinnofrid.core.tasks import typed_shared_task


@typed_shared_task(name="actionplans.send_expiry_notices", acks_late=True)
def send_expiry_notices_task() -> int:
    """Daily (celery beat): e-mail coordinators 60 and 30 days before an agreement or plan
    ends; idempotent (ExpiryNotice)."""
    from actionplans.expiry import expiry_notices_send

    return expiry_notices_send()
