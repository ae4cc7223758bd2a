"""Celery tasks of the accounts app (thin wrappers around kvinnofrid.accounts.services)."""

from celery import shared_task


@shared_task(name="accounts.send_invitation", acks_late=True)
def send_invitation_task(invitation_id: int, token: str) -> bool:
    """E-mail the invitation link. The token travels with the task because only its hash is
    stored; the service sends nothing if the token is no longer the invitation's current one,
    so a re-delivery after a resend or revoke mails no dead link."""
    from kvinnofrid.accounts.services import invitation_send_email

    return invitation_send_email(invitation_id=invitation_id, token=token)
