"""The follow-up index lists the rounds of one year (newest by default, ``?ar=`` for another),
with the counties' response counts, in a fixed number of queries."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import ActionPlanFactory, FollowUpRoundFactory, SubmissionFactory, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def rounds():
    made = {}
    for code in ("06", "07"):
        plan = ActionPlanFactory(county=county(code))
        for year in (2023, 2024):
            made[code, year] = FollowUpRoundFactory(
                plan=plan, year=year, title=f"Omgång {code} {year}"
            )
    SubmissionFactory(round=made["06", 2024], status="submitted")
    SubmissionFactory(round=made["06", 2024], status="draft")
    return made


def _index(client, query=""):
    response = client.get(reverse("followup:index") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_observer_sees_every_countys_rounds_of_the_newest_year(client, make_user, rounds):
    client.force_login(make_user("observer"))
    page = _index(client)
    assert "Omgång 06 2024" in page
    assert "Omgång 07 2024" in page
    assert "Omgång 06 2023" not in page
    assert "1 av 2" in page
    assert 'href="?ar=2023"' in page
    assert 'aria-current="page">2024<' in page


def test_another_year_is_chosen_by_its_link(client, make_user, rounds):
    client.force_login(make_user("observer"))
    page = _index(client, "?ar=2023")
    assert "Omgång 07 2023" in page
    assert "Omgång 07 2024" not in page


@pytest.mark.parametrize("query", ["?ar=1999", "?ar=abc", "?ar="])
def test_an_unknown_year_shows_the_newest(client, make_user, rounds, query):
    client.force_login(make_user("observer"))
    assert "Omgång 06 2024" in _index(client, query)


def test_a_coordinator_sees_only_the_own_countys_rounds(client, make_user, rounds):
    client.force_login(make_user("coordinator", county_code="07"))
    page = _index(client)
    assert "Omgång 07 2024" in page
    assert "Omgång 06 2024" not in page


def test_the_query_count_does_not_grow_with_counties_or_years(
    client, make_user, rounds, django_assert_max_num_queries
):
    client.force_login(make_user("observer"))
    _index(client)
    cache.clear()  # both measured on a miss
    with django_assert_max_num_queries(100) as few:
        _index(client)
    for code in ("08", "09", "10"):
        plan = ActionPlanFactory(county=county(code))
        for year in (2021, 2022, 2024):
            FollowUpRoundFactory(plan=plan, year=year)
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        _index(client)


def test_the_observers_cached_index_shows_a_round_changed_through_a_service(
    client, make_user, rounds
):
    from followup import services

    client.force_login(make_user("observer"))
    assert "Omgång 07 2024" in _index(client)
    round_ = rounds["07", 2024]
    coordinator = make_user("coordinator", county_code="07")
    services.round_close(round_id=round_.pk, actor=coordinator)
    assert "Stängd" in _index(client)
