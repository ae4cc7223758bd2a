import pytest

from followup.personal_data import luhn_ok, scan_fields, scan_text


@pytest.mark.parametrize(
    "text",
    [
        "19121212-1212",
        "121212-1212",
        "1212121212",
        "191212121212",
        "121212+1212",
        "Personen (19121212-1212) sökte stöd",
        "samordningsnummer 701063-2391",
    ],
)
def test_identity_numbers_are_flagged(text):
    assert [k for k, _h in scan_text(text)] == ["personnummer"]


@pytest.mark.parametrize(
    "text",
    [
        "212000-0142",  # organisation number: month 20 is not a month
        "Org.nr 212000-0142 (Länsstyrelsen)",
        "121212-1213",  # Luhn fails
        "991332-1234",  # no such date
        "Under 2022-2023 utbildades 150 personer, budget 1 200 000 kr.",
        "Beslut 2023-02-15, dnr 851-1234-2022",
    ],
)
def test_not_personal(text):
    assert scan_text(text) == []


def test_phone_and_email():
    found = scan_text("Ring 070-123 45 67 eller +46 36 12 34 56, mejla anna.andersson@aneby.se")
    assert [k for k, _h in found] == ["e-postadress", "telefonnummer", "telefonnummer"]


def test_hints_never_echo_the_full_value():
    ((kind, hint),) = scan_text("19121212-1212")
    assert kind == "personnummer"
    assert "121212" not in hint
    assert hint.endswith("12")


def test_luhn():
    assert luhn_ok("1212121212")
    assert not luhn_ok("1212121213")


def test_scan_fields_names_the_field():
    findings = scan_fields([("Svar 1", "ingen"), ("Beskrivning", "mejla x@y.se")])
    assert [(f.field, f.kind) for f in findings] == [("Beskrivning", "e-postadress")]
