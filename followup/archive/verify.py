"""Check an archive package: every file of the manifest is there with its size and SHA-256,
and nothing else is (``manage.py verify_archive``)."""

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from followup.archive.manifest import MANIFEST_NAME, ManifestError, parse_manifest

CHUNK = 1 << 16


@dataclass
class VerifyResult:
    ok: bool
    message: str
    bad_file: str = ""
    meta: dict[str, str] = field(default_factory=dict)
    files: int = 0
    total_bytes: int = 0


def _unsafe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("..", "") for part in name.rstrip("/").split("/"))
        or ":" in path.parts[0]
    )


def _sha256(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _fail(name: str, reason: str) -> VerifyResult:
    return VerifyResult(ok=False, message=f"{name}: {reason}", bad_file=name)


def verify_archive(path: Path | str) -> VerifyResult:
    """Recompute every checksum; the result names the first file that does not match."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return _fail(str(path), f"kan inte läsas som zip ({exc})")
    with archive:
        members = [i.filename for i in archive.infolist() if not i.is_dir()]
        for name in members:
            if _unsafe_name(name):
                return _fail(name, "otillåten sökväg i paketet")
        if MANIFEST_NAME not in members:
            return _fail(MANIFEST_NAME, "saknas")
        try:
            meta, listed = parse_manifest(archive.read(MANIFEST_NAME))
        except ManifestError as exc:
            return _fail(MANIFEST_NAME, str(exc))
        present = set(members)
        total = 0
        for entry in listed:
            if _unsafe_name(entry.path) or entry.path == MANIFEST_NAME:
                return _fail(entry.path, "otillåten sökväg i manifest.xml")
            if entry.path not in present:
                return _fail(entry.path, "finns i manifest.xml men saknas i paketet")
            try:
                digest, size = _sha256(archive, entry.path)
            except (zipfile.BadZipFile, OSError) as exc:
                return _fail(entry.path, f"kan inte läsas ({exc})")
            if size != entry.size:
                return _fail(entry.path, f"storleken är {size} byte, manifestet säger {entry.size}")
            if digest != entry.sha256.lower():
                return _fail(entry.path, "SHA-256 stämmer inte med manifest.xml")
            total += size
        listed_paths = {entry.path for entry in listed}
        for name in sorted(present - listed_paths - {MANIFEST_NAME}):
            return _fail(name, "finns i paketet men inte i manifest.xml")
        if len(listed_paths) != len(listed):
            return _fail(MANIFEST_NAME, "listar samma fil två gånger")
    return VerifyResult(
        ok=True,
        message=f"{len(listed)} filer, {total} byte: alla kontrollsummor stämmer.",
        meta=meta,
        files=len(listed),
        total_bytes=total,
    )
