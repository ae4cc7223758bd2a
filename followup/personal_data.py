"""A guard against personal data in free text (DESIGN §4, issue 4 item 4).

Looks for likely Swedish personal identity numbers (personnummer and samordningsnummer, with or
without century and separator, date and Luhn checked), phone numbers and e-mail addresses.
Organisation numbers (month digits 20–99) are not flagged. Findings never carry the full value.
Text is normalised first (``normalise``), so en dashes, fullwidth or other Unicode digits,
zero-width spaces and similar spellings cannot slip a number past the guard.
"""

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

KIND_PERSONNUMMER = "personnummer"
KIND_PHONE = "telefonnummer"
KIND_EMAIL = "e-postadress"

KIND_LABELS = {
    KIND_PERSONNUMMER: _("personnummer eller samordningsnummer"),
    KIND_PHONE: _("telefonnummer"),
    KIND_EMAIL: _("e-postadress"),
}

# After ``normalise``: century?, year, month, day, optional separator, four digits. The date
# parts may be written 19121212, 1912-12-12, 12.12.12 or 12 12 12; the separator before the last
# four may be "-", "+", "/" or a space (with spaces around it), and the four may be split "12 12".
_PNR = re.compile(
    r"(?<!\d)(?<!\d[-./])"
    r"(\d{2})?[-./ ]?(\d{2})[-./ ]?(\d{2})[-./ ]?(\d{2})"
    r" ?([-+/])? ?(\d{2} ?\d{2})"
    r"(?!\d)(?![-./]\d)"
)
_PHONE = re.compile(r"(?<![\w+-])(?:\+46[\s-]?\(?0?\)?|0)\d{1,3}(?:[\s-]?\d){5,8}(?![\d-])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Finding:
    field: str
    kind: str
    hint: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "kind": self.kind, "hint": self.hint}

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by Swedish identity numbers, on the last 10 digits."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_date(century: str | None, yy: str, mm: str, dd: str) -> bool:
    month, day = int(mm), int(dd)
    if day > 60:  # samordningsnummer: day + 60
        day -= 60
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return False
    centuries = [int(century)] if century else [19, 20]
    for c in centuries:
        try:
            datetime.date(c * 100 + int(yy), month, day)
        except ValueError:
            continue
        return True
    return False


# Characters people (and word processors) put where a hyphen belongs: hyphen, non-breaking
# hyphen, figure dash, en and em dash, horizontal bar, minus sign, small and fullwidth hyphen-minus.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
# Invisible characters that split a number without showing: zero-width space/joiners, word
# joiner, byte-order mark, soft hyphen.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TRANSLATION = {ord(c): "-" for c in _DASHES} | {ord(c): None for c in _INVISIBLE}


def normalise(text: str) -> str:
    """The text as the guard reads it: NFKC (fullwidth digits and letters, non-breaking and other
    wide spaces become plain ones), every Unicode decimal digit as 0–9, dash-like characters as
    "-", invisible characters removed. Only used for matching; nothing stores the result."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATION)
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in text
    )


def _mask(value: str) -> str:
    compact = re.sub(r"\s", "", value)
    return "•" * max(len(compact) - 2, 0) + compact[-2:]


def scan_text(text: str) -> list[tuple[str, str]]:
    """Return ``(kind, masked hint)`` pairs for ``text``; empty when nothing looks personal."""
    if not text:
        return []
    text = normalise(text)
    found: list[tuple[str, str]] = []
    rest = text
    for m in _PNR.finditer(text):
        century, yy, mm, dd, _sep, tail = m.groups()
        tail = tail.replace(" ", "")
        if century and century not in {"18", "19", "20"}:
            continue
        if _valid_date(century, yy, mm, dd) and luhn_ok(f"{yy}{mm}{dd}{tail}"):
            found.append((KIND_PERSONNUMMER, _mask(m.group(0))))
            rest = rest.replace(m.group(0), " " * len(m.group(0)))
    for m in _EMAIL.finditer(rest):
        found.append((KIND_EMAIL, _mask(m.group(0))))
        rest = rest.replace(m.group(0), " " * len(m.group(0)))
    found.extend((KIND_PHONE, _mask(m.group(0))) for m in _PHONE.finditer(rest))
    return found


def scan_fields(fields: Iterable[tuple[str, str]]) -> list[Finding]:
    """Scan ``(field label, text)`` pairs; one finding per hit, in field order."""
    findings: list[Finding] = []
    for label, text in fields:
        findings.extend(
            Finding(field=label, kind=kind, hint=hint) for kind, hint in scan_text(text)
        )
    return findings


def validate_no_personal_data(value: str) -> None:
    """Form validator for texts that will be published (the lägesrapport): refuses text that
    looks like it holds a personnummer, phone number or e-mail address, naming the kind and a
    masked hint (never the value itself)."""
    from django.core.exceptions import ValidationError

    findings = scan_text(value or "")
    if findings:
        kind, hint = findings[0]
        raise ValidationError(
            _(
                "Texten ser ut att innehålla %(kind)s (%(hint)s). Lägesrapporten publiceras: "
                "ta bort uppgifter om enskilda personer."
            ),
            code="personal_data",
            params={"kind": KIND_LABELS.get(kind, kind), "hint": hint},
        )
