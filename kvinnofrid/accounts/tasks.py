"""Account e-mail sent off the request: password resets and invitations."""

from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation

from kvinnofrid.core.tasks import typed_shared_task


@typed_shared_task(name="accounts.send_password_reset")
def send_password_reset(email: str, domain: str, use_https: bool, language: str) -> None:
    """Send a password-reset link to each active account with ``email`` (nothing when there is
    none). Runs after the response has gone out, so the page takes as long for an unknown
    address as for a known one."""
    with translation.override(language):
        form = PasswordResetForm({"email": email})
        if form.is_valid():
            form.save(
                domain_override=domain,
                use_https=use_https,
                subject_template_name="registration/password_reset_subject.txt",
                email_template_name="registration/password_reset_email.txt",
            )


@typed_shared_task(name="accounts.send_invitation", acks_late=True)
def send_invitation_task(invitation_id: int, token: str) -> bool:
    """E-mail the invitation link. The token travels with the task because only its hash is
    stored; the service sends nothing if the token is no longer the invitation's current one,
    so a re-delivery after a resend or revoke mails no dead link."""
    from kvinnofrid.accounts.services import invitation_send_email

    return invitation_send_email(invitation_id=invitation_id, token=token)
