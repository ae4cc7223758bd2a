"""The county logo page (issue 15 item 4) in Debian Chromium with axe-core: the coordinator
uploads a hostile SVG (refused, with the reason), then a PNG, sees it and removes it."""

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import OrganisationFactory, county

pytestmark = pytest.mark.django_db(transaction=True)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 30), (59, 31, 92)).save(out, format="PNG")
    return out.getvalue()


def test_coordinator_uploads_the_logo(page, live_server, make_user, login, axe, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    board = OrganisationFactory(county=county("06"), kind="lansstyrelse")
    coordinator = make_user("coordinator", organisation=board)
    login(page, coordinator)
    page.goto(f"{live_server.url}/lan/06/aktorer/")
    page.get_by_role("link", name="Länets logotyp").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Länets logotyp", level=1)).to_be_visible()
    axe(page)

    # a hostile SVG is refused with the reason, next to the field
    page.get_by_label("Logotyp (SVG eller PNG)").set_input_files(
        files=[
            {
                "name": "logo.svg",
                "mimeType": "image/svg+xml",
                "buffer": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            }
        ]
    )
    page.get_by_role("button", name="Spara logotypen").click()
    page.wait_for_load_state()
    expect(page.get_by_text("SVG-filen kan inte användas som logotyp")).to_be_visible()
    axe(page)

    # a PNG is stored and shown
    page.get_by_label("Logotyp (SVG eller PNG)").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="Spara logotypen").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Logotypen är sparad.")).to_be_visible()
    expect(page.get_by_role("img", name="Logotyp för")).to_be_visible()
    axe(page)

    # and removed again, from the keyboard
    remove = page.get_by_role("button", name="Ta bort logotypen")
    remove.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("Länet har ingen logotyp ännu.")).to_be_visible()
    axe(page)
