"""The audit log stops keeping free text (issue 12 item 8): entries written before kept up to 200
characters of answers and the whole of edited texts. Each such value becomes the lengths before
and after, as ``kvinnofrid.core.audit.text_change`` records from now on. Irreversible by design.
"""

from django.db import migrations

# The models' text fields when this migration was written (the audit keys of free text).
FREE_TEXT_KEYS = {
    "analysis",
    "areas",
    "closing_words",
    "decisions",
    "description",
    "help_text",
    "instructions",
    "introduction",
    "method_text",
    "note",
    "notes",
    "perspectives",
    "purpose",
    "resources_text",
    "returned_comment",
    "scope_text",
    "signatures",
    "strategy_work_text",
    "target_groups",
    "text",
    "usage_text",
    "vision",
}
FREE_TEXT_PREFIXES = ("question:", "analysis:")


def _length(value):
    return len(value) if isinstance(value, str) else 0


def _scrubbed(key, value):
    if not (isinstance(value, list) and len(value) == 2):
        return value
    if key.startswith("indicator:"):
        return {"value": value}
    if key in FREE_TEXT_KEYS or key.startswith(FREE_TEXT_PREFIXES):
        if any(isinstance(v, str) for v in value):
            return {"text_length": [_length(value[0]), _length(value[1])]}
    return value


def scrub(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    batch = []
    for entry in AuditEntry.objects.exclude(changes={}).only("pk", "changes").iterator(2000):
        if not isinstance(entry.changes, dict):
            continue
        cleaned = {key: _scrubbed(key, value) for key, value in entry.changes.items()}
        if cleaned != entry.changes:
            entry.changes = cleaned
            batch.append(entry)
        if len(batch) >= 500:
            AuditEntry.objects.bulk_update(batch, ["changes"])
            batch = []
    if batch:
        AuditEntry.objects.bulk_update(batch, ["changes"])


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
