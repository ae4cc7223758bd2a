"""An indicator's targets per year written as text, one "år: värde" a line (the plan editor).

Years are plain ASCII integers within :data:`TARGET_YEARS`; values are numbers with at most two
decimals (comma or point) below 10^12, as the column holds. A bad line is refused with a Swedish
message naming the line, and nothing is parsed further.
"""

import re
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kvinnofrid.core.parsing import parse_int

TARGET_YEARS = (1990, 2100)
MAX_TARGETS = 100
MAX_VALUE = Decimal("1e12")
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]{1,2})?")
_SPACES = re.compile(r"[ \u00a0\u202f]")


def format_targets(targets: Iterable[tuple[int, Decimal]]) -> str:
    """The text form of ``(year, value)`` pairs, one "2026: 12,5" a line, in year order."""
    lines = []
    for year, value in sorted(targets):
        integral = value == value.to_integral_value()
        text = str(int(value)) if integral else f"{value.normalize():f}"
        lines.append(f"{year}: {text.replace('.', ',')}")
    return "\n".join(lines)


def parse_value(text: str) -> Decimal | None:
    """A value such as "12", "12,5", "-3.25" or "1 000"; None when it is no such number."""
    text = _SPACES.sub("", text.strip())
    if not _NUMBER.fullmatch(text):
        return None
    return Decimal(text.replace(",", "."))


def parse_targets(text: str) -> list[tuple[int, Decimal]]:
    """``(year, value)`` pairs in year order from lines "år: värde" (empty lines are skipped).

    Raises ValidationError naming the first bad line: no colon, a year that is not a plain
    integer within TARGET_YEARS, a value that is no number or too large, or a repeated year.
    """
    low, high = TARGET_YEARS
    targets: dict[int, Decimal] = {}
    lines = [line for line in text.replace(";", "\n").splitlines() if line.strip()]
    if len(lines) > MAX_TARGETS:
        raise ValidationError(_("Högst %(max)d målvärden.") % {"max": MAX_TARGETS})
    for number, line in enumerate(lines, 1):
        year_text, colon, value_text = line.partition(":")
        if not colon:
            raise ValidationError(
                _("Rad %(n)d: skriv år och värde med kolon emellan, t.ex. ”2026: 40”.")
                % {"n": number}
            )
        year = parse_int(year_text, minimum=low, maximum=high)
        if year is None:
            raise ValidationError(
                _("Rad %(n)d: året ska vara ett heltal mellan %(low)d och %(high)d.")
                % {"n": number, "low": low, "high": high}
            )
        value = parse_value(value_text)
        if value is None:
            raise ValidationError(
                _("Rad %(n)d: värdet ska vara ett tal med högst två decimaler, t.ex. 12,5.")
                % {"n": number}
            )
        if abs(value) >= MAX_VALUE:
            raise ValidationError(
                _("Rad %(n)d: värdet är för stort (högst 12 siffror före decimaltecknet).")
                % {"n": number}
            )
        if year in targets:
            raise ValidationError(
                _("Rad %(n)d: år %(year)d har redan ett målvärde.") % {"n": number, "year": year}
            )
        targets[year] = value.quantize(Decimal("0.01"))
    return sorted(targets.items())
