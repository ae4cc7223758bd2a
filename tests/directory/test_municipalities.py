"""The official municipality list (SCB's kommunkoder) ships as data (DESIGN §8)."""

import pytest

from kvinnofrid.directory.models import County, Municipality

EXPECTED_PER_COUNTY = {
    "01": 26,  # Stockholm
    "03": 8,  # Uppsala
    "04": 9,  # Södermanland
    "05": 13,  # Östergötland
    "06": 13,  # Jönköping
    "07": 8,  # Kronoberg
    "08": 12,  # Kalmar
    "09": 1,  # Gotland
    "10": 5,  # Blekinge
    "12": 33,  # Skåne
    "13": 6,  # Halland
    "14": 49,  # Västra Götaland
    "17": 16,  # Värmland
    "18": 12,  # Örebro
    "19": 10,  # Västmanland
    "20": 15,  # Dalarna
    "21": 10,  # Gävleborg
    "22": 7,  # Västernorrland
    "23": 8,  # Jämtland
    "24": 15,  # Västerbotten
    "25": 14,  # Norrbotten
}


@pytest.mark.django_db
def test_all_290_municipalities_with_the_right_count_per_county():
    counts = {c.code: c.municipalities.count() for c in County.objects.all()}
    assert counts == EXPECTED_PER_COUNTY
    assert Municipality.objects.count() == 290


@pytest.mark.django_db
def test_each_code_starts_with_its_county_code():
    wrong = [
        m.code for m in Municipality.objects.select_related("county") if m.code[:2] != m.county.code
    ]
    assert wrong == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("county_code", "expected"),
    [
        (
            "07",
            "0760 Uppvidinge, 0761 Lessebo, 0763 Tingsryd, 0764 Alvesta, 0765 Älmhult, "
            "0767 Markaryd, 0780 Växjö, 0781 Ljungby",
        ),
        (
            "23",
            "2303 Ragunda, 2305 Bräcke, 2309 Krokom, 2313 Strömsund, 2321 Åre, 2326 Berg, "
            "2361 Härjedalen, 2380 Östersund",
        ),
        (
            "06",
            "0604 Aneby, 0617 Gnosjö, 0642 Mullsjö, 0643 Habo, 0662 Gislaved, 0665 Vaggeryd, "
            "0680 Jönköping, 0682 Nässjö, 0683 Värnamo, 0684 Sävsjö, 0685 Vetlanda, "
            "0686 Eksjö, 0687 Tranås",
        ),
    ],
)
def test_the_three_counties_of_design_8(county_code, expected):
    listed = ", ".join(str(m) for m in Municipality.objects.filter(county__code=county_code))
    assert listed == expected
