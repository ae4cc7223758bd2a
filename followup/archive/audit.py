"""The round's audit log for the archive: as JSON and as CSV without live formulas."""

import csv
import io
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from followup.models import (
    FollowUpRound,
    Question,
    ReportBuild,
    ReportedActivity,
    StatusReport,
    Submission,
)
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.core.spreadsheet import csv_text

CSV_COLUMNS = (
    "id",
    "created_at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "target",
    "changes",
    "message",
)


def round_audit_entries(round_: FollowUpRound) -> list[AuditEntry]:
    """Every entry about the round, its questions, its yttranden and their activities, and its
    lägesrapporter and their PDF builds, oldest first."""
    submissions = Submission.objects.filter(round=round_)
    reports = StatusReport.objects.filter(round=round_)
    targets = {
        FollowUpRound: [round_.pk],
        Question: Question.objects.filter(round=round_).values_list("pk", flat=True),
        Submission: submissions.values_list("pk", flat=True),
        ReportedActivity: ReportedActivity.objects.filter(submission__in=submissions).values_list(
            "pk", flat=True
        ),
        StatusReport: reports.values_list("pk", flat=True),
        ReportBuild: ReportBuild.objects.filter(report__in=reports).values_list("pk", flat=True),
    }
    types = ContentType.objects.get_for_models(*targets)
    q = Q(pk__in=[])
    for model, ids in targets.items():
        q |= Q(target_type=types[model], target_id__in=list(ids))
    return list(
        AuditEntry.objects.filter(q)
        .select_related("actor", "target_type")
        .order_by("created_at", "id")
    )


def _row(entry: AuditEntry) -> dict[str, Any]:
    target_type = entry.target_type
    return {
        "id": entry.pk,
        "created_at": timezone.localtime(entry.created_at).isoformat(),
        "actor": str(entry.actor) if entry.actor is not None else "",
        "action": entry.action,
        "target_type": f"{target_type.app_label}.{target_type.model}" if target_type else "",
        "target_id": entry.target_id,
        "target": entry.target_repr,
        "changes": entry.changes,
        "message": entry.message,
    }


def audit_json(entries: list[AuditEntry]) -> bytes:
    rows = [_row(e) for e in entries]
    return (json.dumps(rows, ensure_ascii=False, indent=2) + "\n").encode()


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet program shows as text: one that could start a formula gets a
    leading apostrophe."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return csv_text(text)


def audit_csv(entries: list[AuditEntry]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = _row(entry)
        writer.writerow([csv_cell(row[c]) for c in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8-sig")
