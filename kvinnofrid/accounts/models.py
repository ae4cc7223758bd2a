"""Users log in with their e-mail address; what they may do comes from their memberships."""

import datetime
import functools
from collections.abc import Iterable
from functools import cached_property
from typing import ClassVar

from django import forms
from django.contrib.auth.models import (
    AbstractBaseUser,
    AnonymousUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvinnofrid.directory.models import County, Organisation


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Samordnare")
    REPORTER = "reporter", _("Rapportör")
    MANAGEMENT = "management", _("Ledningsgrupp")
    OBSERVER = "observer", _("Nationell observatör")
    NATIONAL_ADMIN = "national_admin", _("Nationell administratör")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-postadress"), unique=True)
    full_name = models.CharField(_("namn"), max_length=200, blank=True)
    is_staff = models.BooleanField(_("administratör"), default=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("skapad"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # --- role look-ups, cached for the request (one query) -------------------------------------
    @cached_property
    def _membership_rows(self) -> list[tuple[int, int | None, str]]:
        """(organisation id, its county id, role) of each membership. Every logged-in page
        reads these, so the query is written out: the ORM's ``values_list`` over the join took
        about ten times longer to build than to run (tests/followup/test_form_readers.py
        compares the two)."""
        return [(org, county, role) for org, county, role, _code in self._memberships]

    @cached_property
    def _memberships(self) -> list[tuple[int, int | None, str, str | None]]:
        """:attr:`_membership_rows` with the county's code (the menu's home county), one
        query for both."""
        if not self.pk or not self.is_active:
            return []
        with connection.cursor() as cursor:
            cursor.execute(_membership_rows_sql(), [self.pk])
            return [tuple(row) for row in cursor.fetchall()]

    def county_code(self, county_id: int) -> str | None:
        """The code of a county the user is a member of (read with the memberships)."""
        return next((code for _o, c, _r, code in self._memberships if c == county_id), None)

    def county_ids_for(self, roles: Iterable[str]) -> set[int]:
        """Counties in which the user holds any of ``roles``."""
        wanted = set(roles)
        return {c for _o, c, r in self._membership_rows if r in wanted and c is not None}

    def has_county_role(self, county_id: int | None, roles: Iterable[str]) -> bool:
        return county_id is not None and county_id in self.county_ids_for(roles)

    @property
    def member_county_ids(self) -> set[int]:
        """Counties the user belongs to in any role except observer."""
        return self.county_ids_for({Role.COORDINATOR, Role.REPORTER, Role.MANAGEMENT})

    @property
    def is_observer(self) -> bool:
        return any(r == Role.OBSERVER for _o, _c, r in self._membership_rows)

    @property
    def is_national_admin(self) -> bool:
        """The operator of the service (DESIGN §5): creates coordinators for any county, keeps
        the strategy frames, reads every county."""
        return self.is_superuser or any(
            r == Role.NATIONAL_ADMIN for _o, _c, r in self._membership_rows
        )

    def reporter_organisation_ids(self) -> set[int]:
        return {o for o, _c, r in self._membership_rows if r == Role.REPORTER}

    def reports_for(self, organisation_id: int | None) -> bool:
        return organisation_id is not None and organisation_id in self.reporter_organisation_ids()

    @property
    def roles(self) -> set[str]:
        return {r for _o, _c, r in self._membership_rows}

    def forget_memberships(self) -> None:
        """Drop the cached memberships (after changing them in the same request)."""
        self.__dict__.pop("_membership_rows", None)
        self.__dict__.pop("_memberships", None)


# Who performs a service call: the request's user (possibly anonymous; the service's permission
# check refuses), or None when a management command acts with ``skip_permission_checks``.
type Actor = User | AnonymousUser | None


def active_user(actor: Actor) -> User | None:
    """``actor`` if it is a logged-in, active user, else None (anonymous, inactive or no user)."""
    return actor if isinstance(actor, User) and actor.is_active else None


def recorded_user(actor: Actor) -> User | None:
    """The user to record as having done something: ``actor`` if it is a saved user, else None."""
    return actor if isinstance(actor, User) and actor.pk is not None else None


@functools.cache
def _membership_rows_sql() -> str:
    quote = connection.ops.quote_name
    return (
        "SELECT m.organisation_id, o.county_id, m.role, c.code "  # noqa: S608 - model metadata
        f"FROM {quote(Membership._meta.db_table)} m "
        f"JOIN {quote(Organisation._meta.db_table)} o ON o.id = m.organisation_id "
        f"LEFT JOIN {quote(County._meta.db_table)} c ON c.id = o.county_id "
        "WHERE m.user_id = %s"
    )


class Membership(models.Model):
    """A user's role at an organisation; the organisation's county scopes what they see."""

    user = models.ForeignKey(
        User, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("titel"),
        max_length=200,
        blank=True,
        help_text=_("Titeln vid organisationen, t.ex. under en underskrift i lägesrapporten."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    # Not columns: the member lists attach the row's role and title forms
    # (onboarding_views._members).
    role_form: forms.Form
    title_form: forms.Form

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


INVITATION_VALID_DAYS = 14


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> "InvitationQuerySet":
        """Neither accepted, revoked nor expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed, single-use link that makes a person a member of an organisation.

    Only the SHA-256 of the token is stored; the token itself exists in the e-mail alone.
    A User and Membership exist once the invitation is accepted (DESIGN §4).
    """

    email = models.EmailField(_("e-postadress"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("giltig till"))
    accepted_at = models.DateTimeField(_("accepterad"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("inbjuden av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_by = models.ForeignKey(
        User,
        verbose_name=_("accepterad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    # Not a column: the invitation lists mark expired rows (onboarding_views._pending_invitations).
    expired: bool

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.organisation}"

    def is_pending(self, at: "datetime.datetime | None" = None) -> bool:
        now = at or timezone.now()
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class OidcIdentity(models.Model):
    """A person's identity at an OpenID Connect provider: the issuer and its stable subject.

    Linked at the first e-ID login (kvinnofrid/accounts/oidc.py); later logins find the user by
    issuer + subject only, so a changed e-mail address at the provider changes nothing here.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("användare"),
        on_delete=models.CASCADE,
        related_name="oidc_identities",
    )
    issuer = models.CharField(_("utfärdare"), max_length=255)
    subject = models.CharField(_("subjekt"), max_length=255)
    created_at = models.DateTimeField(_("kopplad"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("senaste inloggning"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-legitimationsidentitet")
        verbose_name_plural = _("e-legitimationsidentiteter")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.issuer}"


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238 TOTP, 30-second steps, six digits).

    ``confirmed_at`` is set once the user has typed a correct code after setting the app up;
    ``last_used_step`` refuses a code that was already used (replay). Deleting the device (the
    national admin's reset) makes the user set up a new one at the next login.
    """

    user = models.OneToOneField(
        User, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(_("hemlighet"), max_length=64)
    confirmed_at = models.DateTimeField(_("bekräftad"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("senast använda tidssteg"), null=True, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("tvåstegsenhet")
        verbose_name_plural = _("tvåstegsenheter")

    def __str__(self) -> str:
        return str(self.user)
