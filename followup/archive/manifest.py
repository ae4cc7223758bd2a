"""``manifest.xml``: a METS-like description of the package (every file with its size, SHA-256
and mime type, and the package's county, year and creation time)."""

import datetime
import hashlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
KV_NS = "urn:kvinnofrid:archive:1"
MANIFEST_NAME = "manifest.xml"
PROFILE = "kvinnofrid-archive/1"

ET.register_namespace("mets", METS_NS)
ET.register_namespace("xlink", XLINK_NS)
ET.register_namespace("kv", KV_NS)


@dataclass(frozen=True)
class ManifestFile:
    path: str
    size: int
    sha256: str
    mimetype: str
    use: str

    @classmethod
    def of(cls, path: str, content: bytes, mimetype: str) -> "ManifestFile":
        return cls(
            path=path,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            mimetype=mimetype,
            use=path.split("/", 1)[0] if "/" in path else "root",
        )


@dataclass(frozen=True)
class PackageInfo:
    county_code: str
    county_name: str
    year: int
    created: datetime.datetime
    round_title: str


def _m(tag: str) -> str:
    return f"{{{METS_NS}}}{tag}"


def manifest_xml(info: PackageInfo, files: list[ManifestFile]) -> bytes:
    created = info.created.isoformat(timespec="seconds")
    root = ET.Element(
        _m("mets"),
        {
            "OBJID": f"kvinnofrid-{info.county_code}-{info.year}",
            "TYPE": "lagesrapport",
            "PROFILE": PROFILE,
            "LABEL": info.round_title,
        },
    )
    header = ET.SubElement(root, _m("metsHdr"), {"CREATEDATE": created})
    agent = ET.SubElement(header, _m("agent"), {"ROLE": "CREATOR", "TYPE": "ORGANIZATION"})
    ET.SubElement(agent, _m("name")).text = info.county_name
    dmd = ET.SubElement(root, _m("dmdSec"), {"ID": "dmd-package"})
    wrap = ET.SubElement(dmd, _m("mdWrap"), {"MDTYPE": "OTHER", "OTHERMDTYPE": PROFILE})
    data = ET.SubElement(wrap, _m("xmlData"))
    ET.SubElement(
        data,
        f"{{{KV_NS}}}package",
        {
            "county": info.county_code,
            "countyName": info.county_name,
            "year": str(info.year),
            "created": created,
        },
    )
    file_sec = ET.SubElement(root, _m("fileSec"))
    groups: dict[str, ET.Element] = {}
    struct = ET.SubElement(root, _m("structMap"), {"TYPE": "physical"})
    top = ET.SubElement(struct, _m("div"), {"LABEL": info.round_title})
    for number, f in enumerate(files, start=1):
        group = groups.get(f.use)
        if group is None:
            group = groups[f.use] = ET.SubElement(file_sec, _m("fileGrp"), {"USE": f.use})
        file_id = f"file-{number:04d}"
        element = ET.SubElement(
            group,
            _m("file"),
            {
                "ID": file_id,
                "MIMETYPE": f.mimetype,
                "SIZE": str(f.size),
                "CHECKSUM": f.sha256,
                "CHECKSUMTYPE": "SHA-256",
            },
        )
        ET.SubElement(
            element,
            _m("FLocat"),
            {"LOCTYPE": "URL", f"{{{XLINK_NS}}}type": "simple", f"{{{XLINK_NS}}}href": f.path},
        )
        ET.SubElement(top, _m("fptr"), {"FILEID": file_id})
    ET.indent(root)
    content: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return content + b"\n"


class ManifestError(ValueError):
    pass


def parse_manifest(content: bytes) -> tuple[dict[str, str], list[ManifestFile]]:
    """The package metadata and the listed files, in manifest order. ``ManifestError`` when
    it is not a manifest of this kind."""
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise ManifestError("manifest.xml får inte innehålla DOCTYPE eller ENTITY.")
    try:
        root = ET.fromstring(content)  # noqa: S314 - no DTD, no entities (checked above)
    except ET.ParseError as exc:
        raise ManifestError(f"manifest.xml är inte giltig XML: {exc}") from exc
    if root.tag != _m("mets"):
        raise ManifestError("manifest.xml saknar mets-elementet.")
    package = root.find(f".//{{{KV_NS}}}package")
    meta = dict(package.attrib) if package is not None else {}
    files = []
    for group in root.iter(_m("fileGrp")):
        for element in group.iter(_m("file")):
            files.append(_manifest_file(element, group.get("USE", "")))
    return meta, files


def _manifest_file(element: ET.Element, use: str) -> ManifestFile:
    locat = element.find(_m("FLocat"))
    href = locat.get(f"{{{XLINK_NS}}}href") if locat is not None else None
    if not href or element.get("CHECKSUMTYPE") != "SHA-256":
        raise ManifestError("En fil i manifest.xml saknar sökväg eller SHA-256.")
    try:
        size = int(element.get("SIZE", ""))
    except ValueError as exc:
        raise ManifestError(f"Ogiltig storlek för {href}.") from exc
    return ManifestFile(
        path=href,
        size=size,
        sha256=element.get("CHECKSUM", ""),
        mimetype=element.get("MIMETYPE", ""),
        use=use,
    )
