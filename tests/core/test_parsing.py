"""Ids and versions from outside are read by one helper that never raises."""

import pytest

from kvinnofrid.core.parsing import INT32_MAX, INT64_MAX, parse_id, parse_int, parse_version


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("+7", 7),
        (12, 12),
        (str(INT64_MAX), INT64_MAX),
        ("0", None),  # ids start at 1
        ("-3", None),
        (str(INT64_MAX + 1), None),
        ("9" * 20, None),
        ("9" * 5000, None),  # int() itself would raise ValueError (Python's digit limit)
        ("1" + "0" * 4400, None),
        ("²", None),  # isdigit() is true, int() raises
        ("１２", None),  # fullwidth digits
        ("١٢", None),  # Arabic-Indic digits
        ("1e3", None),
        ("12\x00", None),
        ("", None),
        ("+", None),
        (None, None),
        (True, None),
        (1.0, None),
        (["1"], None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


def test_parse_version_is_the_positive_integer_column_range():
    assert parse_version("0") == 0
    assert parse_version(str(INT32_MAX)) == INT32_MAX
    assert parse_version(str(INT32_MAX + 1)) is None
    assert parse_version("12345678901234567890") is None
    assert parse_version("-1") is None


def test_parse_int_accepts_negative_numbers_within_range():
    assert parse_int("-5", minimum=-10, maximum=10) == -5
    assert parse_int("0005", maximum=10) == 5
    assert parse_int("-11", minimum=-10, maximum=10) is None
