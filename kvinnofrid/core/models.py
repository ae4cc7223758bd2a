"""Shared model pieces: timestamps, optimistic locking and the audit log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class LockVersionedModel(TimeStampedModel):
    """An editable aggregate: every save through a service bumps ``lock_version``.

    Forms carry the version they were rendered with; a save whose version is stale is refused
    (see ``kvinnofrid.core.locking``), so nobody silently overwrites someone else's work.
    """

    lock_version = models.PositiveIntegerField(_("version för låsning"), default=0)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who did what, when, to which object; ``changes`` holds {field: [old, new]} for edits."""

    created_at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    action = models.CharField(_("händelse"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType, verbose_name=_("objekttyp"), null=True, blank=True, on_delete=models.SET_NULL
    )
    target_id = models.PositiveBigIntegerField(_("objekt-id"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("objekt"), max_length=300, blank=True)
    county_id_snapshot = models.PositiveIntegerField(_("län"), null=True, blank=True)
    changes = models.JSONField(_("ändringar"), default=dict, blank=True)
    message = models.TextField(_("meddelande"), blank=True)

    class Meta:
        verbose_name = _("logghändelse")
        verbose_name_plural = _("logghändelser")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class RetentionRule(TimeStampedModel):
    """One gallring rule (issue 16 item 6), kept by the national admin in the Django admin.

    The job (``followup.services.retention``) reads the active rules; it never touches anything
    submitted, registered (with a diarienummer) or finalised.
    """

    class Kind(models.TextChoices):
        DRAFT_SUBMISSIONS = (
            "draft_submissions",
            _("Utkast till yttranden som aldrig skickades in töms"),
        )
        FLAGGED_TEXT = (
            "flagged_text",
            _("Fritext som flaggats för möjliga personuppgifter listas för granskning"),
        )

    kind = models.CharField(_("regel"), max_length=30, choices=Kind.choices, unique=True)
    years = models.PositiveSmallIntegerField(
        _("efter antal år"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Räknas från uppföljningsomgångens sista svarsdag."),
    )
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.years} år)"


class RetentionRun(models.Model):
    """One run of the gallring job: when, whether it was a dry run, the counts per rule and
    each object it removed or listed (ids and labels only, no free text)."""

    started_at = models.DateTimeField(_("startad"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    dry_run = models.BooleanField(_("provkörning"), default=False)
    trigger = models.CharField(_("startad av"), max_length=20, default="beat")
    counts = models.JSONField(_("antal per regel"), default=dict, blank=True)
    items = models.JSONField(_("objekt"), default=list, blank=True)

    class Meta:
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        kind = _("provkörning") if self.dry_run else _("gallring")
        return f"{self.started_at:%Y-%m-%d %H:%M} {kind}"
