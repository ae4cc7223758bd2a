"""The county logo printed on the lägesrapport's cover: SVG or PNG, checked before it is stored.

A PNG must be a real, modest PNG (Pillow's ``verify``, at most 2 MB and 4000 × 4000 pixels). An
SVG is parsed with the standard library's expat with every document type declaration refused
(so no entity can expand: no "billion laughs", no external entity) and must hold nothing active
or external: no script, no foreign object or embedded document, no event attribute, no link or
style that points outside the file. Anything else is refused with a Swedish message.
"""

import base64
import re
import warnings
from dataclasses import dataclass
from io import BytesIO
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_SVG_BYTES = 512 * 1024
MAX_PIXELS = 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
# Elements that run code, embed other documents or pull in content from elsewhere.
FORBIDDEN_ELEMENTS = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
    "set",
    "animate",
}
_EXTERNAL_URL = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


@dataclass(frozen=True)
class Logo:
    content: bytes
    extension: str  # "svg" or "png"

    @property
    def mime(self) -> str:
        return "image/png" if self.extension == "png" else "image/svg+xml"

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.content).decode('ascii')}"


def validate_logo(content: bytes) -> Logo:
    """``content`` as a checked logo, or ValidationError with a Swedish message."""
    if not content:
        raise ValidationError(_("Filen är tom."), code="empty")
    if len(content) > MAX_BYTES:
        raise ValidationError(_("Logotypen får vara högst 2 MB."), code="too_large")
    if content.startswith(PNG_SIGNATURE):
        _check_png(content)
        return Logo(content=content, extension="png")
    return _checked_svg(content)


def _png_refused() -> ValidationError:
    return ValidationError(
        _("Filen är ingen giltig PNG-bild. Spara logotypen som PNG eller SVG och försök igen."),
        code="bad_png",
    )


def _check_png(content: bytes) -> None:
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(BytesIO(content)) as image:
                if image.format != "PNG":
                    raise _png_refused()
                width, height = image.size
                image.verify()
        except ValidationError:
            raise
        except Exception as exc:  # any decoder error, a decompression bomb
            raise _png_refused() from exc
    if width > MAX_PIXELS or height > MAX_PIXELS:
        raise ValidationError(
            _("Logotypen får vara högst %(n)d × %(n)d bildpunkter.") % {"n": MAX_PIXELS},
            code="too_many_pixels",
        )


def _svg_refused(reason: str) -> ValidationError:
    return ValidationError(
        _("SVG-filen kan inte användas som logotyp: %(reason)s") % {"reason": reason},
        code="bad_svg",
    )


class _SvgChecker:
    """Expat callbacks that refuse anything a logo must not hold."""

    def __init__(self) -> None:
        self.root: str | None = None

    def doctype(self, *args: object) -> None:
        raise _svg_refused(_("den innehåller en dokumenttypsdeklaration (DOCTYPE eller ENTITY)."))

    def external_entity(
        self, context: str, base: str | None, system_id: str | None, public_id: str | None
    ) -> int:
        self.doctype()
        return 0

    def processing_instruction(self, target: str, data: str) -> None:
        raise _svg_refused(_("den innehåller en bearbetningsinstruktion (t.ex. en stilmall)."))

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, _sep, local = name.rpartition(" ")
        if self.root is None:
            if namespace != SVG_NS or local != "svg":
                raise _svg_refused(_("den är ingen SVG-bild."))
            self.root = local
        if local.lower() in FORBIDDEN_ELEMENTS:
            raise _svg_refused(
                _("den innehåller elementet ”%(name)s” (skript eller inbäddat innehåll).")
                % {"name": local}
            )
        for attribute, value in attributes.items():
            attr = attribute.rpartition(" ")[2].lower()
            if attr.startswith("on"):
                raise _svg_refused(
                    _("den innehåller en händelsehanterare (%(name)s).") % {"name": attr}
                )
            if attr == "href" and not value.strip().startswith("#"):
                raise _svg_refused(_("den hänvisar till en annan fil eller adress."))
            if _EXTERNAL_URL.search(value) or "@import" in value.lower():
                raise _svg_refused(_("den hänvisar till en annan fil eller adress."))

    def text(self, data: str) -> None:
        if _EXTERNAL_URL.search(data) or "@import" in data.lower():
            raise _svg_refused(_("den hänvisar till en annan fil eller adress."))


def _checked_svg(content: bytes) -> Logo:
    if len(content) > MAX_SVG_BYTES:
        raise ValidationError(_("En SVG-logotyp får vara högst 512 kB."), code="too_large")
    checker = _SvgChecker()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = checker.doctype
    parser.EntityDeclHandler = checker.doctype
    parser.ExternalEntityRefHandler = checker.external_entity
    parser.ProcessingInstructionHandler = checker.processing_instruction
    parser.StartElementHandler = checker.start
    parser.CharacterDataHandler = checker.text
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise ValidationError(
            _("Filen är varken en PNG-bild eller en giltig SVG-fil."), code="bad_file"
        ) from exc
    if checker.root is None:
        raise _svg_refused(_("den är ingen SVG-bild."))
    return Logo(content=content, extension="svg")
