import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_and_start_page_pass_axe(page, live_server, make_user, login, axe):
    user = make_user("coordinator", county_code="06")
    page.goto(f"{live_server.url}/konto/logga-in/")
    axe(page)
    login(page, user)
    assert page.locator("h1").inner_text() == "Jönköpings län"
    axe(page)
    page.goto(f"{live_server.url}/tillganglighet/")
    axe(page)
