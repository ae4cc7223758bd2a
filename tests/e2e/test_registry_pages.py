"""Diarienummer in the portal (issue 16 item 1) in Debian Chromium, with axe-core: the
coordinator chooses manual registration on the settings page from the keyboard, is told about
a bad prefix, and types in the number of a received yttrande, which the round page then shows."""

import pytest
from playwright.sync_api import expect

from followup import services
from followup.models import Registry
from tests.followup.conftest import (
    fill_required,
    world,  # noqa: F401 - the shared follow-up fixture
)

# ruff: noqa: F811

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_configures_the_diarium_and_types_a_number(
    page, live_server, world, login, axe
):
    login(page, world.users["coordinator"])
    page.goto(f"{live_server.url}/lan/06/diarium/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Diarieinställningar")
    axe(page)

    # a prefix with characters a diarienummer does not use: a clear message, nothing saved
    page.get_by_label("Löpnummer i portalen").check()
    page.get_by_label("Förled").fill("851<>")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Förledet får bara innehålla")).to_be_visible()
    assert not Registry.objects.exists()
    axe(page)

    # manual registration, chosen and saved from the keyboard
    page.get_by_label("Manuellt (länets eget diarium)").check()
    page.get_by_label("Förled").fill("")
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("Diarieinställningarna har sparats.")).to_be_visible()
    assert Registry.objects.get().mode == "manual"
    axe(page)

    # a received yttrande gets the number from the county's own diarium
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    page.goto(f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/visa/")
    expect(page.get_by_text("Inget diarienummer ännu.")).to_be_visible()
    axe(page)
    page.get_by_label("Diarienummer i länets eget diarium").fill("LST 851-7-2023")
    page.get_by_role("button", name="Spara diarienummer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Diarienumret har sparats.")).to_be_visible()
    expect(page.locator(f"#dnr-submission-{world.submission.pk}")).to_have_text("LST 851-7-2023")
    axe(page)

    page.goto(f"{live_server.url}/uppfoljning/omgang/{world.round.pk}/")
    expect(page.locator("#actor-table tr", has_text="Aneby kommun")).to_contain_text(
        "Dnr LST 851-7-2023"
    )

    # the settings page reflows on a phone
    page.goto(f"{live_server.url}/lan/06/diarium/")
    page.set_viewport_size({"width": 375, "height": 800})
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
