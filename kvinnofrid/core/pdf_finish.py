"""Finishing of WeasyPrint's tagged PDF output with pikepdf, for PDF/UA-1 on top of PDF/A-2.

WeasyPrint (70) tags the page content but leaves some things to do:

* Margin boxes (running headers, footers, page numbers) are marked as ordinary content (``/P``,
  ``/Span`` with an MCID) and their structure elements sit in the parent tree without being
  linked into the structure tree. Fixed elements (a draft mark such as "UTKAST") are tagged again
  on every page: a child of the document whose content is drawn identically (same glyphs) on
  every page of a document of several pages is taken for one. Both are pagination artifacts: their marked content becomes ``/Artifact`` and
  they leave the structure tree and the parent tree.
* Table header cells get ``/Headers``/``/ID`` but no ``/Scope``: a ``TH`` in a ``THead``, or in a
  row without data cells, gets ``/Scope /Column``; a ``TH`` in a row with data cells ``/Row``.
* Figures take their ``/Alt`` from the SVG ``<title>`` only; ``figure_alts`` maps such a title to
  the full alternative text (title and description, with the numbers).
* The XMP metadata gets the PDF/UA-1 identification (``pdfuaid:part 1``) next to PDF/A's
  ``pdfaid:part``, with the extension schema PDF/A requires for that namespace.
"""

import io
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

import pikepdf

PDFUAID_NS = "http://www.aiim.org/pdfua/ns/id/"
type Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage
# a fixed element (a draft mark) is a few marked-content sequences; larger children are flow
MAX_FIXED_MCIDS = 8

# The extension schema description PDF/A (ISO 19005-2, 6.6.2.3) requires for pdfuaid.
PDFUA_EXTENSION = (
    '<rdf:Description rdf:about="" '
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    f"<pdfaSchema:namespaceURI>{PDFUAID_NS}</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    "<pdfaProperty:name>part</pdfaProperty:name>"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
    "</pdfaProperty:description>"
    "</rdf:li></rdf:Seq></pdfaSchema:property>"
    "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
    f'<rdf:Description rdf:about="" xmlns:pdfuaid="{PDFUAID_NS}" pdfuaid:part="1"/>'
)


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    if isinstance(kids, pikepdf.Array):
        return list(kids)
    return [kids]


def _is_struct_elem(node: object) -> bool:
    return isinstance(node, pikepdf.Dictionary) and "/S" in node


def _walk(element: pikepdf.Object) -> Iterable[pikepdf.Object]:
    """``element`` and every structure element below it, depth first."""
    stack = [element]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(kid for kid in reversed(_kids(node)) if _is_struct_elem(kid))


def _mcids(element: pikepdf.Object) -> Iterable[int]:
    for node in _walk(element):
        for kid in _kids(node):
            if isinstance(kid, int) and not isinstance(kid, bool):
                yield int(kid)


def _key(obj: pikepdf.Object) -> tuple[int, int]:
    return obj.objgen


class _Finisher:
    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        self.document = self.root.K[0] if isinstance(self.root.K, pikepdf.Array) else self.root.K
        self.page_index = {_key(page.obj): i for i, page in enumerate(pdf.pages)}
        self.parent_tree = self.root.ParentTree.Nums
        # each page's content stream, parsed once (read for texts, rewritten for artifacts)
        self.instructions: dict[int, list[Instruction]] = {}
        # (page index, mcid) -> the glyph codes drawn in that marked-content sequence, decoded
        # only where a comparison needs them (decoding every glyph is most of the cost)
        self.texts: dict[tuple[int, int], str] = {}
        self.pages_read: set[int] = set()
        self.decoded: dict[int, set[int]] = {}  # per page, the mcids a partial read decoded
        self.artifacts: dict[int, set[int]] = defaultdict(set)

    def page_of(self, element: pikepdf.Object) -> int | None:
        page = element.get("/Pg")
        return None if page is None else self.page_index.get(_key(page))

    def page_instructions(self, index: int) -> list[Instruction]:
        if index not in self.instructions:
            self.instructions[index] = list(pikepdf.parse_content_stream(self.pdf.pages[index]))
        return self.instructions[index]

    def read_texts(self, index: int, wanted: set[int] | None = None) -> None:
        """Decode the text of page ``index``'s marked-content sequences: those in ``wanted``, or
        all of them (then the page counts as read)."""
        if index in self.pages_read:
            return
        done = self.decoded.setdefault(index, set())
        if wanted is None:  # start over: a partial read may have decoded some sequences
            for key in [key for key in self.texts if key[0] == index]:
                del self.texts[key]
        else:
            wanted = wanted - done
            if not wanted:
                return
        stack: list[int | None] = []
        for instruction in self.page_instructions(index):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue  # an inline image
            op = str(instruction.operator)
            if op in ("BDC", "BMC"):
                mcid = None
                if op == "BDC" and isinstance(instruction.operands[1], pikepdf.Dictionary):
                    mcid = instruction.operands[1].get("/MCID")
                stack.append(None if mcid is None else int(mcid))
            elif op == "EMC" and stack:
                stack.pop()
            elif (
                op in ("Tj", "TJ", "'", '"')
                and stack
                and stack[-1] is not None
                and (wanted is None or stack[-1] in wanted)
            ):
                key = (index, stack[-1])
                self.texts[key] = self.texts.get(key, "") + _shown_text(list(instruction.operands))
        if wanted is None:
            self.pages_read.add(index)
        else:
            done |= wanted

    def text_of(self, element: pikepdf.Object) -> str:
        page = self.page_of(element)
        if page is None:
            return ""
        return "".join(self.texts.get((page, mcid), "") for mcid in _mcids(element)).strip()

    def mark_orphans(self) -> None:
        """Parent-tree entries not reachable from the structure root: margin boxes."""
        linked = {_key(node) for node in _walk(self.document) if node.is_indirect}
        for page, entries in self._page_entries():
            for mcid, element in enumerate(entries):
                if isinstance(element, pikepdf.Dictionary) and _key(element) not in linked:
                    self.artifacts[page].add(mcid)

    def mark_fixed(self) -> None:
        """Fixed elements such as a draft mark: WeasyPrint tags them as children of the document
        on every page, except where the element sits in the flow (its first page, then inside
        the tree). A document child drawn identically (same role, same glyphs) on every page
        but at most one, of a document of three pages or more (two: on both), is one; on the
        page it is missing from the document's children, the one element below with the same
        role and glyphs is detached too."""
        by_text: dict[tuple[str, str], list[tuple[pikepdf.Object, int | None]]] = defaultdict(list)
        # a fixed mark is a small element: only such children's texts are decoded
        candidates = [
            (child, page, mcids)
            for child in _kids(self.document)
            if _is_struct_elem(child)
            and (page := self.page_of(child)) is not None
            and 0 < len(mcids := set(_mcids(child))) <= MAX_FIXED_MCIDS
        ]
        wanted: dict[int, set[int]] = defaultdict(set)
        for _child, page, mcids in candidates:
            wanted[page] |= mcids
        for page, mcids in wanted.items():
            self.read_texts(page, mcids)
        for child, page, _mcids_of_child in candidates:
            by_text[(str(child.get("/S")), self.text_of(child))].append((child, page))
        pages = len(self.pdf.pages)
        for (role, text), items in by_text.items():
            on_pages = {page for _, page in items if page is not None}
            if not text or pages < 2 or len(items) != len(on_pages):
                continue
            missing = set(range(pages)) - on_pages
            if not missing:
                for child, page in items:
                    self._detach(child, page)
            elif pages >= 3 and len(missing) == 1:
                in_flow = self._find_in_flow(role, text, missing.pop())
                if in_flow is not None:
                    for child, page in [*items, in_flow]:
                        self._detach(child, page)

    def _find_in_flow(
        self, role: str, text: str, page: int
    ) -> tuple[pikepdf.Object, int | None] | None:
        self.read_texts(page)
        found = [
            node
            for node in _walk(self.document)
            if str(node.get("/S")) == role
            and self.page_of(node) == page
            and self.text_of(node) == text
        ]
        return (found[0], page) if len(found) == 1 else None

    def _detach(self, element: pikepdf.Object, page: int | None) -> None:
        parent = element.P
        kids = parent.K
        if isinstance(kids, pikepdf.Array):
            for i in range(len(kids) - 1, -1, -1):
                if _key(kids[i]) == _key(element):
                    del kids[i]
        if page is not None:
            self.artifacts[page].update(_mcids(element))

    def _page_entries(self) -> Iterable[tuple[int, pikepdf.Array]]:
        nums = self.parent_tree
        for i in range(0, len(nums) - 1, 2):
            key, value = int(nums[i]), nums[i + 1]
            if isinstance(value, pikepdf.Array) and key < len(self.pdf.pages):
                yield key, value

    def rewrite_artifacts(self) -> int:
        count = 0
        entries = dict(self._page_entries())
        for page_index, mcids in self.artifacts.items():
            if not mcids:
                continue
            page = self.pdf.pages[page_index]
            rewritten = _rewrite_bytes(page, mcids)
            if rewritten is not None:
                content, found = rewritten
            else:  # not one plain stream with plain BDC operands: through the parser
                content, found = self._rewrite_parsed(page_index, mcids)
            page.Contents = self.pdf.make_stream(content)
            count += found
            parents = entries.get(page_index)
            if parents is not None:
                for index in mcids:
                    if index < len(parents):
                        parents[index] = pikepdf.Object.parse(b"null")
        return count

    def _rewrite_parsed(self, page_index: int, mcids: set[int]) -> tuple[bytes, int]:
        count = 0
        instructions = []
        for instruction in self.page_instructions(page_index):
            if _is_mcid_in(instruction, mcids):
                instruction = pikepdf.ContentStreamInstruction(
                    [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)],
                    pikepdf.Operator("BDC"),
                )
                count += 1
            instructions.append(instruction)
        return pikepdf.unparse_content_stream(instructions), count

    def add_scopes(self, nodes: list[pikepdf.Object]) -> int:
        count = 0
        for node in nodes:
            if node.get("/S") != "/TR":
                continue
            cells = [kid for kid in _kids(node) if _is_struct_elem(kid)]
            has_data = any(cell.get("/S") == "/TD" for cell in cells)
            in_head = node.get("/P") is not None and node.P.get("/S") == "/THead"
            scope = "/Row" if has_data and not in_head else "/Column"
            for cell in cells:
                if cell.get("/S") != "/TH":
                    continue
                attributes = cell.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    cell.A = attributes
                if "/Scope" not in attributes:
                    attributes.Scope = pikepdf.Name(scope)
                    count += 1
        return count

    def set_figure_alts(self, nodes: list[pikepdf.Object], alts: Mapping[str, str]) -> None:
        for node in nodes:
            if node.get("/S") == "/Figure":
                alt = str(node.get("/Alt", ""))
                if alt in alts:
                    node.Alt = pikepdf.String(alts[alt])


# "/Span <</MCID 3>> BDC" as WeasyPrint writes it, and any mention of an MCID
BDC_WITH_MCID = re.compile(rb"/[A-Za-z0-9_.]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
ANY_MCID = re.compile(rb"/MCID\s+(\d+)")
ARTIFACT_BDC = b"/Artifact <</Type /Pagination>> BDC"


def _rewrite_bytes(page: pikepdf.Page, mcids: set[int]) -> tuple[bytes, int] | None:
    """The page's content with the marked-content sequences ``mcids`` opened as pagination
    artifacts, rewritten in the bytes (parsing and writing back every operator cost most of
    the finishing); None when the content is not one stream whose every mention of those
    MCIDs is a plain ``/Tag <</MCID n>> BDC``."""
    contents = page.obj.get("/Contents")
    if not isinstance(contents, pikepdf.Stream):
        return None
    data = contents.read_bytes()
    expected = sum(1 for m in ANY_MCID.finditer(data) if int(m.group(1)) in mcids)
    found = 0

    def replace(match: re.Match[bytes]) -> bytes:
        nonlocal found
        if int(match.group(1)) in mcids:
            found += 1
            return ARTIFACT_BDC
        return match.group(0)

    content = BDC_WITH_MCID.sub(replace, data)
    return (content, found) if found == expected else None


def _is_mcid_in(
    instruction: pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage,
    mcids: set[int],
) -> bool:
    """Whether ``instruction`` opens a marked-content sequence with one of ``mcids``."""
    if not isinstance(instruction, pikepdf.ContentStreamInstruction):
        return False
    operands = instruction.operands
    if str(instruction.operator) != "BDC" or len(operands) < 2:
        return False
    properties = operands[1]
    if not isinstance(properties, pikepdf.Dictionary):
        return False
    mcid = properties.get("/MCID")
    return mcid is not None and int(mcid) in mcids


def _shown_text(operands: list[pikepdf.Object]) -> str:
    parts: list[str] = []
    for operand in operands:
        if isinstance(operand, pikepdf.Array):
            parts.extend(bytes(item).decode("latin-1") for item in operand if _is_string(item))
        elif _is_string(operand):
            parts.append(bytes(operand).decode("latin-1"))
    return "".join(parts)


def _is_string(value: object) -> bool:
    return isinstance(value, pikepdf.String)


def add_pdfua_identification(pdf: pikepdf.Pdf) -> None:
    """Put ``pdfuaid:part 1`` (and its PDF/A extension schema) into the XMP metadata."""
    metadata = pdf.Root.get("/Metadata")
    xmp = metadata.read_bytes().decode("utf-8") if metadata is not None else ""
    if PDFUAID_NS in xmp:
        return
    if "</rdf:RDF>" not in xmp:
        raise ValueError("the PDF has no XMP packet to extend")
    xmp = xmp.replace("</rdf:RDF>", PDFUA_EXTENSION + "</rdf:RDF>", 1)
    stream = pdf.make_stream(xmp.encode("utf-8"))
    stream.Type = pikepdf.Name.Metadata
    stream.Subtype = pikepdf.Name.XML
    pdf.Root.Metadata = stream


def finish_pdf(
    content: bytes,
    *,
    figure_alts: Mapping[str, str] | None = None,
) -> bytes:
    """The finished PDF: artifacts out of the structure tree, header scopes, figure alternative
    texts and the PDF/UA identification. Untagged input only gets the identification."""
    with pikepdf.open(io.BytesIO(content)) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            finisher = _Finisher(pdf)
            finisher.mark_orphans()
            finisher.mark_fixed()
            finisher.rewrite_artifacts()
            nodes = list(_walk(finisher.document))  # the tree as it is after the detaching
            finisher.add_scopes(nodes)
            finisher.set_figure_alts(nodes, figure_alts or {})
        add_pdfua_identification(pdf)
        out = io.BytesIO()
        pdf.save(out, compress_streams=True, deterministic_id=True)
        return out.getvalue()


SVG_TEXT = re.compile(
    r"<svg\b[^>]*>\s*<title\b[^>]*>(?P<title>.*?)</title>\s*<desc\b[^>]*>(?P<desc>.*?)</desc>",
    re.S,
)


def svg_figure_alts(html: str) -> dict[str, str]:
    """Map each inline SVG's title to "title. description" (the chart's numbers in words)."""
    from html import unescape

    alts = {}
    for match in SVG_TEXT.finditer(html):
        title = unescape(match["title"]).strip()
        desc = unescape(match["desc"]).strip()
        if title and desc:
            alts[title] = f"{title.rstrip('.')}. {desc}"
    return alts
