"""Small numbers: counts of persons below a threshold are never shown as the number.

A count such as "antal våldsutsatta" of 2 in a small municipality can point at a person. Every
page, export and report that shows a count of persons passes it through ``format_count``, which
gives "färre än 5" (the threshold is ``settings.SMALL_NUMBER_THRESHOLD``, default 5) instead.
Counts of organisations, activities or meetings are not about persons and are shown as they are.
"""

from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Words in an indicator's unit or name that say it counts persons.
PERSON_WORDS = (
    "person",
    "våldsutsatt",
    "utsatta",
    "kvinnor",
    "män ",
    "barn",
    "flickor",
    "pojkar",
    "individer",
    "deltagare",
    "brottsoffer",
    "klienter",
    "patienter",
    "elever",
    "invånare",
    "förövare",
    "gärningspersoner",
)


def threshold() -> int:
    """The configured threshold (counts below it are hidden)."""
    return int(settings.SMALL_NUMBER_THRESHOLD)


def is_person_count(*, unit: str = "", name: str = "") -> bool:
    """Whether an indicator with this unit and name counts persons (e.g. "antal våldsutsatta")."""
    text = f" {unit} {name} ".lower()
    return any(word in text for word in PERSON_WORDS)


def is_small(value: int | float | Decimal | None) -> bool:
    """A value that would be hidden if it were a count of persons (0 is not hidden: "inga")."""
    return value is not None and 0 < value < threshold()


def format_count(value: int | float | Decimal | None, *, is_person_count: bool) -> str:
    """The value as Swedish text; a count of persons below the threshold as "färre än N".

    ``None`` gives "–". Zero is shown: "no one" identifies nobody.
    """
    if value is None:
        return "–"
    if is_person_count and is_small(value):
        return _("färre än %(n)d") % {"n": threshold()}
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if type(value) is int and -1000 < value < 1000:
        # what number_format gives (no locale groups fewer than three digits), at a tenth of
        # its cost: pages show ~170 such values at once
        return str(value)
    return number_format(value, use_l10n=True, force_grouping=True)


def export_count(
    value: int | float | Decimal | None, *, is_person_count: bool
) -> int | float | str | None:
    """For machine-readable exports: the number itself, or the "färre än N" text if hidden."""
    if value is None:
        return None
    if is_person_count and is_small(value):
        return _("färre än %(n)d") % {"n": threshold()}
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
