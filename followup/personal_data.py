"""A guard against personal data in free text (DESIGN §4, issue 4 item 4).

Looks for likely Swedish personal identity numbers (personnummer and samordningsnummer, with or
without century and separator, date and Luhn checked), phone numbers and e-mail addresses.
Organisation numbers (month digits 20–99) are not flagged. Findings never carry the full value.
"""

import datetime
import re
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

_PNR = re.compile(r"(?<![\d-])(\d{2})?(\d{2})(\d{2})(\d{2})\s?([-+])?\s?(\d{4})(?![\d-])")
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


def _mask(value: str) -> str:
    compact = re.sub(r"\s", "", value)
    return "•" * max(len(compact) - 2, 0) + compact[-2:]


def scan_text(text: str) -> list[tuple[str, str]]:
    """Return ``(kind, masked hint)`` pairs for ``text``; empty when nothing looks personal."""
    if not text:
        return []
    found: list[tuple[str, str]] = []
    rest = text
    for m in _PNR.finditer(text):
        century, yy, mm, dd, _sep, tail = m.groups()
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
