"""The one way to write to the audit log."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from kvinnofrid.core import fragments
from kvinnofrid.core.models import AuditEntry


def audit_log(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    message: str = "",
    county_id: int | None = None,
) -> AuditEntry:
    """Record that ``actor`` performed ``action`` on ``target``.

    ``changes`` maps field names to ``[old, new]``; values must be JSON-serialisable (use
    :func:`model_changes`). Call it inside the service's transaction so the entry and the change
    commit or roll back together. It also invalidates the cached fragments of the county
    (:func:`kvinnofrid.core.fragments.bump`; of every county when ``county_id`` is None).
    """
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    fragments.bump(county_id)
    return AuditEntry.objects.create(
        actor_id=actor_id,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
        target_repr=str(target)[:300] if target is not None else "",
        changes=changes or {},
        message=message,
        county_id_snapshot=county_id,
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


def text_change(old: str | None, new: str | None) -> dict[str, list[int]]:
    """What the audit log keeps of an edit to free text: that it changed, and the lengths
    before and after — never the words, which may hold personal data (DESIGN §4)."""
    return {"text_length": [len(old or ""), len(new or "")]}


def free_text_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields of ``model`` whose content the audit log never keeps (its text fields)."""
    return frozenset(f.name for f in model._meta.get_fields() if isinstance(f, models.TextField))


def model_changes(
    before: dict[str, Any], after: dict[str, Any], *, model: type[models.Model] | None = None
) -> dict[str, Any]:
    """Return {field: [old, new]} for the keys whose values differ, JSON-safe.

    With ``model``, its free-text fields are recorded as :func:`text_change` (lengths only).
    """
    free_text = free_text_fields(model) if model is not None else frozenset()
    return {
        key: (
            text_change(before.get(key), after.get(key))
            if key in free_text
            else [_jsonable(before.get(key)), _jsonable(after.get(key))]
        )
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
