"""The archive package of a county's year (issue 16 item 3): a zip laid out after the E-ARK /
FGS Paketstruktur idea, with a METS-like ``manifest.xml`` listing every file with its size,
SHA-256 and mime type. ``build_archive`` writes it, ``verify_archive`` checks it."""

from followup.archive.package import ArchiveError, build_archive
from followup.archive.verify import VerifyResult, verify_archive

__all__ = ["ArchiveError", "VerifyResult", "build_archive", "verify_archive"]
