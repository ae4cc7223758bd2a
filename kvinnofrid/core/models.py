"""Shared model pieces: timestamps, optimistic locking and the audit log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
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
