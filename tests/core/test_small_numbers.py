"""Counts of persons below the threshold are never shown as the number (issue 14 item 5)."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.formats import number_format

from kvinnofrid.core.small_numbers import export_count, format_count, is_person_count


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


@pytest.mark.parametrize("value", [1, 2, 4, Decimal("4.00"), 4.5])
def test_small_person_counts_are_hidden(value):
    assert format_count(value, is_person_count=True) == "färre än 5"
    assert export_count(value, is_person_count=True) == "färre än 5"


@pytest.mark.parametrize(("value", "text"), [(0, "0"), (5, "5"), (Decimal("12.00"), "12")])
def test_zero_and_counts_at_the_threshold_are_shown(value, text):
    assert format_count(value, is_person_count=True) == text


def test_counts_of_other_things_are_shown():
    assert format_count(3, is_person_count=False) == "3"
    assert export_count(Decimal("3.00"), is_person_count=False) == 3


def test_the_threshold_is_a_setting(settings):
    settings.SMALL_NUMBER_THRESHOLD = 10
    assert format_count(7, is_person_count=True) == "färre än 10"
    assert format_count(10, is_person_count=True) == "10"


def test_large_numbers_are_grouped_the_swedish_way():
    assert format_count(12345, is_person_count=True).replace("\xa0", " ") == "12 345"


def test_none_is_a_dash():
    assert format_count(None, is_person_count=True) == "–"


@pytest.mark.parametrize(
    ("unit", "name", "expected"),
    [
        ("personer", "Skyddat boende", True),
        ("", "Antal våldsutsatta som fått stöd", True),
        ("", "Antal barn i skyddat boende", True),
        ("st", "Antal samråd", False),
        ("", "Länsstyrelsens årsuppföljning (extern)", False),
    ],
)
def test_person_counts_are_recognised(unit, name, expected):
    assert is_person_count(unit=unit, name=name) is expected


@pytest.mark.parametrize("language", ["sv", "en"])
def test_small_whole_numbers_read_as_number_format_gives_them(language):
    with translation.override(language):
        for value in [*range(-1001, 1002), Decimal("999.00"), Decimal("1000"), 999.0, 12345]:
            expected = number_format(int(value), use_l10n=True, force_grouping=True)
            assert format_count(value, is_person_count=False) == expected
