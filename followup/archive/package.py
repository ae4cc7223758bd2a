"""Build the archive package of a county's year.

Layout (E-ARK / FGS Paketstruktur idea)::

    manifest.xml
    report/lagesrapport-<år>.pdf
    submissions/<diarienummer>/yttrande.pdf
    submissions/<diarienummer>/yttrande.json
    plan/plan.json
    audit/audit.json
    audit/audit.csv

The zip is deterministic for the same data and creation time: members sorted (the manifest
first), fixed timestamps and permissions.
"""

import datetime
import io
import json
import re
import zipfile
from typing import Any

from django.utils import timezone

from actionplans.interchange.export import plan_export
from actionplans.interchange.json_io import plan_to_json
from followup.archive import documents
from followup.archive.audit import audit_csv, audit_json, round_audit_entries
from followup.archive.manifest import MANIFEST_NAME, ManifestFile, PackageInfo, manifest_xml
from followup.exports import RoundExport, round_for
from followup.models import FollowUpRound, StatusReport, Submission

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SUBMITTED = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)
MIMETYPES = {
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".csv": "text/csv",
    ".xml": "application/xml",
}
_UNSAFE = re.compile(r"[^0-9A-Za-z._-]+")


class ArchiveError(Exception):
    """The package cannot be built (no round, no final report …); the message is Swedish."""


def safe_segment(value: str, fallback: str) -> str:
    """One path segment from a diarienummer: letters, digits, dot, dash and underscore only;
    never empty, never "." or "..", never hidden."""
    segment = _UNSAFE.sub("_", value.strip()).strip("._")[:80]
    return segment or fallback


def _final_report(round_: FollowUpRound) -> StatusReport:
    report = (
        StatusReport.objects.filter(round=round_, status=StatusReport.Status.FINAL)
        .order_by("-finalised_at", "-id")
        .first()
    )
    if report is None:
        raise ArchiveError(
            f"Lägesrapporten för {round_.plan.county.name} {round_.year} är inte fastställd."
        )
    return report


def _submission_files(round_: FollowUpRound) -> dict[str, bytes]:
    export = RoundExport(round_id=round_.pk)
    exported = {row["organisation"]: row for row in export.as_dict()["submissions"]}
    submissions = (
        Submission.objects.filter(round=round_, status__in=SUBMITTED)
        .select_related("organisation", "round__plan")
        .order_by("submitted_at", "id")
    )
    files: dict[str, bytes] = {}
    used: set[str] = set()
    for submission in submissions:
        base = safe_segment(submission.diarienummer, f"utan-diarienummer-{submission.pk}")
        folder, n = base, 1
        while folder in used:
            n += 1
            folder = f"{base}-{n}"
        used.add(folder)
        data: dict[str, Any] = {
            "format": "kvinnofrid-yttrande/1",
            "county": round_.plan.county.code,
            "year": round_.year,
            "round": round_.title,
            **exported[submission.organisation.name],
        }
        files[f"submissions/{folder}/yttrande.pdf"] = documents.yttrande_pdf(submission)
        files[f"submissions/{folder}/yttrande.json"] = (
            json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        ).encode()
    return files


def archive_files(round_: FollowUpRound) -> dict[str, bytes]:
    """Every file of the package except the manifest, by path."""
    report = _final_report(round_)
    entries = round_audit_entries(round_)
    try:
        report_pdf = documents.final_report_pdf(report)
    except documents.MissingFinalPdf:
        raise ArchiveError(
            f"Lägesrapporten för {round_.year} har ingen arkivfil (PDF/A-2). Fastställ den på nytt "
            "eller bygg om den innan arkivpaketet skapas."
        ) from None
    files = {
        f"report/lagesrapport-{round_.year}.pdf": report_pdf,
        "plan/plan.json": plan_to_json(plan_export(plan=round_.plan)).encode(),
        "audit/audit.json": audit_json(entries),
        "audit/audit.csv": audit_csv(entries),
    }
    files.update(_submission_files(round_))
    return files


def _mimetype(path: str) -> str:
    return MIMETYPES.get(path[path.rfind(".") :], "application/octet-stream")


def write_zip(files: dict[str, bytes]) -> bytes:
    """The members in a fixed order with fixed timestamps (manifest first, then sorted)."""
    names = sorted(files, key=lambda name: (name != MANIFEST_NAME, name))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name])
    return buf.getvalue()


def build_archive(
    *, county_code: str, year: int, created: datetime.datetime | None = None
) -> bytes:
    """The zip of the county's follow-up of ``year``. Raises ``ArchiveError``."""
    round_ = round_for(county_code=county_code, year=year)
    if round_ is None:
        raise ArchiveError(f"Ingen uppföljning för län {county_code} och år {year}.")
    files = archive_files(round_)
    listed = [ManifestFile.of(path, files[path], _mimetype(path)) for path in sorted(files)]
    info = PackageInfo(
        county_code=round_.plan.county.code,
        county_name=round_.plan.county.name,
        year=round_.year,
        created=timezone.localtime(created or timezone.now()).replace(microsecond=0),
        round_title=round_.title,
    )
    files[MANIFEST_NAME] = manifest_xml(info, listed)
    return write_zip(files)
