"""Reading numbers that come from outside (query strings, hidden fields, files) without a 500.

``int()`` accepts far more than a database column holds: "²" is a digit to ``str.isdigit`` but
not to ``int``, fullwidth and Arabic-Indic digits parse, a 5,000-digit string raises ValueError
(Python's limit on integer string conversion), and a 20-digit id overflows the column. Ids and
versions are therefore read here, once: ASCII digits only, within the column's range, otherwise
``None`` — the caller answers with a Swedish message or a 404.
"""

from typing import Any

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1


def parse_int(value: Any, *, minimum: int = 0, maximum: int = INT32_MAX) -> int | None:
    """``value`` as an int if it is a plain ASCII integer within ``minimum..maximum``, else None.

    An int passes through the same range check; bools, floats and everything else give None.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        sign = -1 if text.startswith("-") else 1
        digits = text[1:] if text[:1] in ("+", "-") else text
        if not digits.isascii() or not digits.isdigit():
            return None
        if len(digits.lstrip("0")) > len(str(max(abs(minimum), abs(maximum)))):
            return None
        number = sign * int(digits)
    else:
        return None
    return number if minimum <= number <= maximum else None


def parse_id(value: Any) -> int | None:
    """A primary key: 1 up to the largest 64-bit integer, or None."""
    return parse_int(value, minimum=1, maximum=INT64_MAX)


def parse_version(value: Any) -> int | None:
    """A ``lock_version`` (a PositiveIntegerField): 0 up to the largest 32-bit integer, or None."""
    return parse_int(value, minimum=0, maximum=INT32_MAX)
