"""People and invitations: invite, resend, revoke, accept; change or remove a membership.

An invitation's token exists only in the e-mail: the database keeps its SHA-256, and the token
is looked up by that hash and compared in constant time. A token works once, for 14 days; a
resend replaces it (the old link dies) and a revoke ends it. Every service locks the row,
checks the actor, checks the state, writes, audits and sends e-mail only after commit.
"""

import datetime
import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kvinnofrid.accounts import permissions
from kvinnofrid.accounts.models import (
    INVITATION_VALID_DAYS,
    Invitation,
    Membership,
    Role,
    User,
)
from kvinnofrid.core.audit import audit_log
from kvinnofrid.core.forms import has_control_characters
from kvinnofrid.directory.models import Organisation


class InvitationError(Exception):
    """A refused invitation or membership change; ``str(exc)`` is a Swedish message."""


# --- tokens ------------------------------------------------------------------------------------
def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def invitation_url(token: str) -> str:
    """The absolute address of the invitation page for ``token``."""
    site_url: str = settings.SITE_URL
    return site_url + reverse("actors:invitation-accept", args=[token])


def invitation_for_token(token: str) -> Invitation | None:
    """The pending invitation whose token is ``token``, or None (unknown, used, revoked or
    expired alike, so the page cannot tell an attacker which)."""
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    invitation = (
        Invitation.objects.select_related("organisation", "organisation__county")
        .filter(token_hash=digest)
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        return None
    return invitation if invitation.is_pending() else None


def _county_id(organisation: Organisation) -> int | None:
    return organisation.county_id


def _send_after_commit(invitation: Invitation, token: str) -> None:
    from kvinnofrid.accounts.tasks import send_invitation_task

    pk = invitation.pk
    transaction.on_commit(lambda: send_invitation_task.delay(pk, token))


# --- invitations -------------------------------------------------------------------------------
def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    message = _("Ange en giltig e-postadress.")
    if has_control_characters(email) or len(email) > 254:
        raise InvitationError(message)
    try:
        validate_email(email)
    except ValidationError:
        raise InvitationError(message) from None
    return email


@transaction.atomic
def invitation_create(
    *,
    actor: Any,
    organisation_id: int,
    email: str,
    role: str,
    skip_permission_checks: bool = False,
    send_email: bool = True,
) -> tuple[Invitation, str]:
    """Invite ``email`` to ``organisation_id`` with ``role``; returns (invitation, token).

    With ``send_email=False`` the caller delivers the link itself (the follow-up's round e-mail
    to an organisation that has no person yet).

    Raises ``PermissionDenied`` unless the actor may invite to the organisation with the role
    (``permissions.can_invite``), ``InvitationError`` for a bad address, a role that does not
    fit the organisation (coordinators only at the county's länsstyrelse), an inactive
    organisation, a person who already has the role there, or a pending invitation for it.
    The e-mail is sent after commit (Celery task). Audited as ``accounts.invitation.created``.
    """
    organisation = (
        Organisation.objects.select_for_update(of=("self",))
        .select_related("county")
        .get(pk=organisation_id)
    )
    if not skip_permission_checks and not permissions.can_invite(actor, organisation, role):
        raise PermissionDenied
    email = _clean_email(email)
    if not permissions.role_fits_organisation(role, organisation):
        if role == Role.COORDINATOR:
            raise InvitationError(
                _("Samordnare bjuds in till länsstyrelsen, inte till %(name)s.")
                % {"name": organisation.name}
            )
        raise InvitationError(_("Rollen kan inte ges vid den här organisationen."))
    today = timezone.localdate()
    if organisation.active_until is not None and organisation.active_until < today:
        raise InvitationError(_("Organisationen är inte längre aktiv."))
    if Membership.objects.filter(
        user__email__iexact=email, organisation=organisation, role=role
    ).exists():
        raise InvitationError(
            _("%(email)s har redan rollen vid %(name)s.")
            % {"email": email, "name": organisation.name}
        )
    if (
        Invitation.objects.pending()
        .filter(email__iexact=email, organisation=organisation, role=role)
        .exists()
    ):
        raise InvitationError(
            _("%(email)s har redan en inbjudan som väntar. Skicka den igen i stället.")
            % {"email": email}
        )
    token, digest = _new_token()
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        token_hash=digest,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS),
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="accounts.invitation.created",
        target=invitation,
        county_id=_county_id(organisation),
        changes={"email": [None, email], "role": [None, role]},
    )
    if send_email:
        _send_after_commit(invitation, token)
    return invitation, token


def _lock_invitation(invitation_id: int, actor: Any) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation_id)
    )
    if not permissions.can_manage_invitation(actor, invitation):
        raise PermissionDenied
    return invitation


@transaction.atomic
def invitation_resend(*, actor: Any, invitation_id: int) -> tuple[Invitation, str]:
    """Send a pending or expired invitation again with a new token valid 14 days from now;
    the old link stops working. Raises ``InvitationError`` for an accepted or revoked one.
    Audited as ``accounts.invitation.resent``."""
    invitation = _lock_invitation(invitation_id, actor)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationError(_("Inbjudan är redan använd eller återkallad."))
    token, digest = _new_token()
    invitation.token_hash = digest
    invitation.expires_at = timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    audit_log(
        actor=actor,
        action="accounts.invitation.resent",
        target=invitation,
        county_id=_county_id(invitation.organisation),
    )
    _send_after_commit(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_revoke(*, actor: Any, invitation_id: int) -> Invitation:
    """End an invitation that has not been accepted; its link stops working. Raises
    ``InvitationError`` if it was accepted. Audited as ``accounts.invitation.revoked``."""
    invitation = _lock_invitation(invitation_id, actor)
    if invitation.accepted_at is not None:
        raise InvitationError(_("Inbjudan är redan använd."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_log(
            actor=actor,
            action="accounts.invitation.revoked",
            target=invitation,
            county_id=_county_id(invitation.organisation),
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str | None, current_user: Any = None) -> User:
    """Accept the invitation of ``token``: the person gets the membership (a new user with
    ``password``, or the existing user with the invitation's e-mail, who must be logged in).

    Raises ``InvitationError`` with one wording for an unknown, used, revoked or expired token,
    and others when an existing account must log in first or the organisation has closed. Marks the invitation accepted
    (single use, under a row lock). Audited as ``accounts.invitation.accepted`` and
    ``accounts.membership.created``.
    """
    found = invitation_for_token(token)
    if found is None:
        raise InvitationError(refused_message())
    invitation = Invitation.objects.select_for_update(of=("self",)).get(pk=found.pk)
    if not invitation.is_pending() or not hmac.compare_digest(
        invitation.token_hash, hash_token(token)
    ):
        raise InvitationError(refused_message())
    organisation = found.organisation
    if organisation.active_until is not None and organisation.active_until < timezone.localdate():
        raise InvitationError(_("Organisationen är inte längre aktiv."))
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        if getattr(current_user, "is_authenticated", False):
            raise InvitationError(wrong_account_message())
        if not password:
            raise InvitationError(_("Välj ett lösenord."))
        user = User.objects.create_user(email=invitation.email, password=password)
        audit_log(
            actor=user,
            action="accounts.user.created",
            target=user,
            county_id=_county_id(organisation),
            message="invitation",
        )
    elif not getattr(current_user, "is_authenticated", False) or current_user.pk != user.pk:
        raise InvitationError(
            wrong_account_message()
            if getattr(current_user, "is_authenticated", False)
            else _("Du har redan ett konto. Logga in för att ta emot inbjudan.")
        )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=user,
        action="accounts.invitation.accepted",
        target=invitation,
        county_id=_county_id(organisation),
    )
    if created:
        audit_log(
            actor=user,
            action="accounts.membership.created",
            target=membership,
            county_id=_county_id(organisation),
            changes={"role": [None, membership.role]},
        )
    user.forget_memberships()
    return user


def refused_message() -> str:
    return _(
        "Länken fungerar inte. Den kan redan ha använts, ha återkallats eller vara äldre än "
        "14 dagar. Be samordnaren på länsstyrelsen om en ny inbjudan."
    )


def wrong_account_message() -> str:
    return _(
        "Inbjudan gäller en annan e-postadress än den du är inloggad med. Logga ut och "
        "öppna länken igen."
    )


# --- e-mail ------------------------------------------------------------------------------------
def invitation_send_email(*, invitation_id: int, token: str) -> bool:
    """Send the invitation e-mail (Swedish, text and HTML) with the link for ``token``.

    Sends nothing (returns False) if the invitation is no longer pending or ``token`` is not
    its current token (a resend replaced it), so a re-delivered task never mails a dead link.
    """
    from django.core.mail import EmailMultiAlternatives
    from django.template.loader import render_to_string
    from django.utils import translation

    invitation = (
        Invitation.objects.select_related("organisation", "organisation__county", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_pending():
        return False
    if not hmac.compare_digest(invitation.token_hash, hash_token(token)):
        return False
    with translation.override("sv"):
        context = {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "role": invitation.get_role_display(),
            "url": invitation_url(token),
            "valid_days": INVITATION_VALID_DAYS,
            "expires_at": invitation.expires_at,
            "inviter": invitation.invited_by,
        }
        subject = _("Inbjudan till Kvinnofrid – %(organisation)s") % {
            "organisation": invitation.organisation.name
        }
        text = render_to_string("accounts/email/invitation.txt", context)
        html = render_to_string("accounts/email/invitation.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[invitation.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True


# --- the national admin ------------------------------------------------------------------------
@transaction.atomic
def coordinator_invite(*, actor: Any, county_id: int, email: str) -> tuple[Invitation, str]:
    """The national admin invites a coordinator for ``county_id``, at the county's länsstyrelse.

    The county's active organisation of kind ``lansstyrelse`` is used; a county without one
    gets it (named after the county board, audited). Raises ``PermissionDenied`` unless the
    actor is the national admin; otherwise as ``invitation_create``.
    """
    from kvinnofrid.directory.models import County, OrganisationKind

    if not permissions.is_national_admin(actor):
        raise PermissionDenied
    county = County.objects.select_for_update().get(pk=county_id)
    today = timezone.localdate()
    board = (
        Organisation.objects.filter(county=county, kind=OrganisationKind.LANSSTYRELSE)
        .active_on(today)
        .order_by("pk")
        .first()
    )
    if (
        board is None
        and Organisation.objects.filter(county=county, name=county.board_name).exists()
    ):
        raise InvitationError(
            _("%(name)s finns men är inte registrerad som länsstyrelse och aktiv.")
            % {"name": county.board_name}
        )
    if board is None:
        board = Organisation.objects.create(
            county=county, name=county.board_name, kind=OrganisationKind.LANSSTYRELSE
        )
        audit_log(
            actor=actor,
            action="directory.organisation.created",
            target=board,
            county_id=county.pk,
            message="national admin: county board for a coordinator",
        )
    return invitation_create(
        actor=actor, organisation_id=board.pk, email=email, role=Role.COORDINATOR
    )
