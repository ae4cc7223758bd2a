import pytest
from django.urls import reverse

from actionplans.models import NationalGoal
from kvinnofrid.directory.models import County

pytestmark = pytest.mark.django_db


def test_reference_data_has_21_counties_and_4_national_goals():
    assert County.objects.count() == 21
    assert County.objects.get(code="06").letter == "F"
    assert County.objects.get(code="25").letter == "BD"
    strategy_2017 = NationalGoal.objects.filter(strategy__valid_from__year=2017)
    assert list(strategy_2017.values_list("number", flat=True)) == [1, 2, 3, 4]
    programme = NationalGoal.objects.filter(strategy__valid_from__year=2024)
    assert list(programme.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_page_is_swedish(client):
    response = client.get(reverse("accounts:login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in content
    assert "Logga in" in content
    assert "Tillgänglighetsredogörelse" in content


def test_user_of_one_county_gets_404_for_another(client, make_user):
    user = make_user("coordinator", county_code="06")
    client.force_login(user)
    assert client.get(reverse("actionplans:county-start", args=["06"])).status_code == 200
    assert client.get(reverse("actionplans:county-start", args=["07"])).status_code == 404


def test_home_redirects_single_county_user(client, make_user):
    client.force_login(make_user("reporter", county_code="07"))
    response = client.get(reverse("home"))
    assert response["Location"] == reverse("actionplans:county-start", args=["07"])
