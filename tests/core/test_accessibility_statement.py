"""The tillgänglighetsredogörelse has DIGG's required elements and is linked from every page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_statement_has_the_required_elements(client, settings):
    content = client.get(reverse("core:accessibility")).content.decode()
    # compliance level
    assert "delvis förenlig" in content
    assert "WCAG 2.1 på nivå AA" in content
    # known shortcomings
    assert "Innehåll som inte är tillgängligt" in content
    assert "Bristande förenlighet med lagkraven" in content
    # method, assessment date and update date
    assert "Hur vi testat webbplatsen" in content
    assert "självskattning" in content
    assert "axe-core" in content
    assert "tangentbord" in content
    assert "Senaste bedömningen gjordes den 21 november 2026" in content
    assert "Redogörelsen uppdaterades senast den 21 november 2026" in content
    # feedback contact and DIGG's complaint page
    assert f"mailto:{settings.ACCESSIBILITY_CONTACT_EMAIL}" in content
    assert 'href="https://www.digg.se/tdosanmalan"' in content
    assert "lagen (2018:1937)" in content


@pytest.mark.parametrize("logged_in", [False, True])
def test_statement_is_linked_from_every_page(client, make_user, logged_in):
    if logged_in:
        client.force_login(make_user("coordinator"))
        page = client.get(reverse("actionplans:county-start", args=["06"]))
    else:
        page = client.get(reverse("accounts:login"))
    assert f'href="{reverse("core:accessibility")}"' in page.content.decode()
