"""Issue 12 item 13: the top menu holds the same items on county, follow-up and report pages."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<ul class="navbar-nav me-auto">(.*?)</ul>', html, re.S)
    assert nav, "no main menu on the page"
    return re.findall(r'class="nav-link" href="([^"]+)">([^<]+)<', nav.group(1))


@pytest.mark.parametrize("role", ["coordinator", "reporter", "management"])
def test_menu_is_the_same_on_county_followup_and_other_pages(client, make_user, role):
    client.force_login(make_user(role))
    menus = {
        path: _menu(client.get(path).content.decode())
        for path in (
            "/lan/06/",
            "/uppfoljning/",
            "/lan/06/lagesrapporter/",
            "/tillganglighet/",
        )
    }
    county_menu = menus["/lan/06/"]
    assert ("/lan/06/planer/", "Handlingsplan") in county_menu
    for path, menu in menus.items():
        assert menu == county_menu, path


def test_a_user_of_several_counties_gets_no_guessed_county(client, make_user):
    from kvinnofrid.accounts.models import Membership

    user = make_user("coordinator")
    other = make_user("coordinator", county_code="07")
    membership = Membership.objects.get(user=other)
    Membership.objects.create(user=user, organisation=membership.organisation, role="coordinator")
    client.force_login(user)
    labels = [label for _href, label in _menu(client.get("/uppfoljning/").content.decode())]
    assert "Handlingsplan" not in labels
    assert "Uppföljning" in labels
