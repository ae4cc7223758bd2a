"""Reminders on the round page (issue 16 item 5) in Debian Chromium, with axe-core: the
coordinator sends one actor a reminder from the keyboard, sees it in the actor's row, is told
a second one the same day is not sent, and reminds all who have not submitted after a
confirmation page."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.followup.conftest import world  # noqa: F401 - the shared follow-up fixture

# ruff: noqa: F811

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_sends_and_sees_reminders(page, live_server, world, login, axe):
    coordinator = world.users["coordinator"]
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/omgang/{world.round.pk}/")
    axe(page)
    mail.outbox.clear()  # the invitations of the round's opening

    # when the coordinator sends Aneby a reminder, from the keyboard
    button = page.get_by_role("button", name="Skicka påminnelse nu till Aneby kommun")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    # then the page says so and the actor's row lists the reminder
    expect(page.get_by_text("Påminnelse skickad till Aneby kommun.")).to_be_visible()
    row = page.locator("#actor-table tr", has_text="Aneby kommun")
    expect(row.locator(".reminder-log")).to_contain_text("Påminnelse skickad av samordnare")
    expect(row.locator(".reminder-log")).to_contain_text("2 mottagare")
    axe(page)
    assert len(mail.outbox) == 1

    # a second click the same day sends nothing and says so
    page.get_by_role("button", name="Skicka påminnelse nu till Aneby kommun").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Redan påmind i dag, ingen ny påminnelse skickades")).to_be_visible()
    assert len(mail.outbox) == 1

    # "all who have not submitted" asks first, listing them
    page.get_by_role("link", name="Skicka påminnelse till alla som inte svarat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Skicka påminnelse till alla som inte svarat"
    )
    expect(page.locator("#remind-targets")).to_contain_text("Aneby kommun – Ej påbörjad")
    expect(page.locator("#remind-targets")).to_contain_text("redan påmind i dag")
    expect(page.locator("#remind-summary")).to_contain_text("En aktör får en påminnelse nu")
    axe(page)
    page.get_by_role("button", name="Ja, skicka påminnelserna").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("Påminnelse skickad till Tranås kommun.")).to_be_visible()
    assert len(mail.outbox) == 2
    axe(page)

    # and the page reflows on a phone
    page.set_viewport_size({"width": 375, "height": 800})
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
