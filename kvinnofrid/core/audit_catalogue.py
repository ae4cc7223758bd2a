"""How the audit log reads: action keys as Swedish sentences (issue 16 item 4).

Every app registers its own keys from its ``audit_actions.py`` in ``AppConfig.ready`` (core never
imports the apps): a phrase in the past tense ("skickade in yttrandet"), optionally naming the
object (``%(object)s``), and the model whose fields the entry's ``changes`` name, so a change reads
with the field's verbose name and its choices' labels. Free text is never in an entry (migration
core/0002): what an edit of it left is its lengths, shown as "ändrad (N tecken)".

:func:`describe` turns entries into :class:`Line` objects; the organisation of the actor is looked
up by the caller (``kvinnofrid.accounts.audit_trail``), which knows memberships.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kvinnofrid.core.models import AuditEntry

type Text = str | Promise


@dataclass(frozen=True)
class AuditAction:
    """How one action key reads."""

    key: str
    phrase: Text  # past tense, e.g. "skickade in yttrandet"; may hold "%(object)s"
    model: type[models.Model] | None = None  # whose fields the entry's ``changes`` name
    object_from_message: bool = False  # the entry's message names the object (a plan's goal)
    labels: Mapping[str, Text] = field(default_factory=dict)  # labels of keys that are no field


# key -> action; labellers turn dynamic change keys ("question:12") into labels, in bulk
_CATALOGUE: dict[str, AuditAction] = {}
_LABELLERS: list[Callable[[set[str]], dict[str, str]]] = []


def register(
    key: str,
    phrase: Text,
    *,
    model: type[models.Model] | None = None,
    object_from_message: bool = False,
    labels: Mapping[str, Text] | None = None,
) -> None:
    """Say how ``key`` reads. Registering a key twice with another phrase is a mistake."""
    action = AuditAction(key, phrase, model, object_from_message, dict(labels or {}))
    old = _CATALOGUE.get(key)
    if old is not None and old.phrase != phrase:
        raise ValueError(f"audit action {key!r} registered twice")
    _CATALOGUE[key] = action


def register_labeller(labeller: Callable[[set[str]], dict[str, str]]) -> None:
    """Add a function that labels change keys no model field names (``question:12``); it gets
    every such key of a page at once and returns the ones it knows."""
    if labeller not in _LABELLERS:
        _LABELLERS.append(labeller)


def registered_keys() -> frozenset[str]:
    return frozenset(_CATALOGUE)


def action_for(key: str) -> AuditAction | None:
    return _CATALOGUE.get(key)


def action_title(key: str) -> str:
    """The phrase without its object, for the action filter ("skickade in yttrandet")."""
    action = _CATALOGUE.get(key)
    if action is None:
        return key
    return (str(action.phrase) % {"object": "…"}).strip()


# --- rendering -----------------------------------------------------------------------------------
@dataclass
class ChangeRow:
    label: str
    before: str
    after: str
    text: str = ""  # set for free text: "ändrad (N tecken)"; before/after are then empty


@dataclass
class Line:
    entry: AuditEntry
    when: str
    actor: str
    organisation: str
    phrase: str
    object_label: str
    changes: list[ChangeRow]

    @property
    def sentence(self) -> str:
        """ "Anna Berg (Tranås kommun) skickade in yttrandet 2023-01-27 14:02"."""
        who = f"{self.actor} ({self.organisation})" if self.organisation else self.actor
        return f"{who} {self.phrase} {self.when}"


def format_time(entry: AuditEntry) -> str:
    """Swedish date and time (ISO order, 24 h), in the local time zone."""
    return timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M")


def actor_name(entry: AuditEntry) -> str:
    actor = entry.actor
    if actor is None:
        return _("Systemet")
    full_name = getattr(actor, "full_name", "") or ""
    return full_name or str(getattr(actor, "email", "")) or str(actor)


def text_length_phrase(length: int) -> str:
    return ngettext("ändrad (%(n)d tecken)", "ändrad (%(n)d tecken)", length) % {"n": length}


def _display(value: Any, model_field: models.Field[Any, Any] | None) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if model_field is not None and model_field.choices:
        choices = {str(k): str(v) for k, v in model_field.flatchoices}
        if isinstance(value, list):
            return ", ".join(choices.get(str(v), str(v)) for v in value)
        return choices.get(str(value), str(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _model_field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - FieldDoesNotExist and reverse relations: no label
        return None
    return found if isinstance(found, models.Field) else None


def _rows_for(
    name: str, value: Any, action: AuditAction | None, labels: Mapping[str, str]
) -> list[ChangeRow]:
    model = action.model if action else None
    model_field = _model_field(model, name)
    label = (
        str(action.labels[name])
        if action and name in action.labels
        else labels.get(name)
        or (str(model_field.verbose_name) if model_field is not None else name)
    )
    label = label[:1].upper() + label[1:]
    if isinstance(value, dict):
        return _dict_rows(label, value)
    if isinstance(value, list) and len(value) == 2:
        return [ChangeRow(label, _display(value[0], model_field), _display(value[1], model_field))]
    return [ChangeRow(label, "", _display(value, model_field))]


_PART_LABELS = {
    "value": gettext_lazy("värde"),
    "number": gettext_lazy("tal"),
    "choice": gettext_lazy("val"),
}


def _dict_rows(label: str, value: dict[str, Any]) -> list[ChangeRow]:
    """A change kept as parts: {"value": [old, new], "text_length": [old, new], ...}."""
    parts = [k for k in value if k != "text_length"]
    rows: list[ChangeRow] = []
    for part in parts:
        pair = value[part]
        if not (isinstance(pair, list) and len(pair) == 2):
            rows.append(ChangeRow(label, "", _display(pair, None)))
            continue
        part_label = label if len(value) == 1 else f"{label} – {_PART_LABELS.get(part, part)}"
        rows.append(ChangeRow(part_label, _display(pair[0], None), _display(pair[1], None)))
    lengths = value.get("text_length")
    if isinstance(lengths, list) and len(lengths) == 2:
        text_label = label if not rows else f"{label} – {_('text')}"
        rows.append(ChangeRow(text_label, "", "", text_length_phrase(int(lengths[1] or 0))))
    return rows


def _dynamic_labels(entries: Iterable[AuditEntry]) -> dict[str, str]:
    keys = {
        key
        for entry in entries
        if isinstance(entry.changes, dict)
        for key in entry.changes
        if not key.startswith("_")
    }
    labels: dict[str, str] = {}
    for labeller in _LABELLERS:
        labels.update(labeller(keys))
    return labels


def describe(
    entries: Iterable[AuditEntry],
    *,
    organisation_of: Callable[[AuditEntry], str] = lambda entry: "",
) -> list[Line]:
    """The entries as lines to show (same order). Keys starting with "_" in ``changes`` are
    context for finding the entry (e.g. ``_submission``), not changes, and are not shown."""
    entries = list(entries)
    labels = _dynamic_labels(entries)
    lines = []
    for entry in entries:
        action = _CATALOGUE.get(entry.action)
        object_label = entry.message if action and action.object_from_message else ""
        object_label = object_label or entry.target_repr
        if action is None:
            phrase = _("utförde händelsen %(key)s") % {"key": entry.action}
        else:
            phrase = str(action.phrase) % {"object": object_label}
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        rows = [
            row
            for name, value in changes.items()
            if not name.startswith("_")
            for row in _rows_for(name, value, action, labels)
        ]
        lines.append(
            Line(
                entry=entry,
                when=format_time(entry),
                actor=actor_name(entry),
                organisation=organisation_of(entry),
                phrase=phrase,
                object_label=object_label,
                changes=rows,
            )
        )
    return lines
