"""The report editor's rich text toolbar and live preview in a browser (issue 15 item 1): the
coordinator types with the keyboard only, inserts a table and a footnote from the toolbar, sees
the preview render them, and saves; axe-core finds no violations with the preview filled."""

import re

import pytest
from playwright.sync_api import expect

from followup.models import StatusReport
from tests.factories import ensure_reference_data
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_writes_a_table_and_a_footnote_with_the_keyboard(
    page, live_server, make_user, login, axe
):
    # given
    ensure_reference_data()
    data = build_county(actors=3, submitted=2, activities=2, goals=1)
    coordinator = make_user("coordinator", county_code="06")
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/lagesrapport/{data.report.pk}/redigera/")
    field = page.locator("#id_resources_text")
    box = page.locator('[data-rich-text="id_resources_text"]')
    toolbar = box.get_by_role("toolbar", name="Formatering")
    preview = box.locator(".rich-text-preview")
    expect(toolbar).to_be_visible()
    axe(page)

    # when: the field emptied and a paragraph typed in it
    field.focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type("Tre styrgrupper formades under {år}.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    # Shift+Tab reaches the toolbar (one Tab stop); the arrow keys move to "Tabell"
    page.keyboard.press("Shift+Tab")
    expect(toolbar.get_by_role("button", name="Rubrik")).to_be_focused()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Tabell")).to_be_focused()
    page.keyboard.press("Enter")
    # the caption placeholder is selected in the field: typing replaces it
    expect(field).to_be_focused()
    page.keyboard.type("Tabell 1. Regional ledning")
    # the footnote button (End moves to the last button, the link; one left is the footnote)
    page.keyboard.press("Control+End")
    page.keyboard.type("Se rapporten")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    expect(toolbar.get_by_role("button", name="Fotnot")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.type("Källa: seed-rapporten 2022")

    # then: the preview, rendered by the server, shows the table and the footnote
    expect(preview.locator("table caption")).to_have_text(
        "Tabell 1. Regional ledning", timeout=15_000
    )
    expect(preview.locator('th[scope="col"]').first).to_have_text("Kolumn 1")
    expect(preview.locator(".endnotes li")).to_contain_text(
        "Källa: seed-rapporten 2022", timeout=15_000
    )
    expect(preview.locator("p").first).to_have_text("Tre styrgrupper formades under {år}.")
    expect(preview.locator("script")).to_have_count(0)
    axe(page)

    # and the text typed is what is saved
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Lägesrapporten har sparats.")).to_be_visible()
    saved = StatusReport.objects.get(pk=data.report.pk).resources_text.replace("\r\n", "\n")
    assert saved.startswith("Tre styrgrupper formades under {år}.\n\nTabell 1. Regional ledning")
    assert "| Kolumn 1 | Kolumn 2 |\n| --- | --- |" in saved
    assert "Se rapporten[^1]" in saved
    assert saved.rstrip().endswith("[^1]: Källa: seed-rapporten 2022")
    axe(page)


def test_the_toolbar_wraps_the_selection_in_a_link_and_lists(page, live_server, make_user, login):
    ensure_reference_data()
    data = build_county(actors=2, submitted=1, activities=1, goals=1)
    coordinator = make_user("coordinator", county_code="06")
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/lagesrapport/{data.report.pk}/redigera/")
    field = page.locator("#id_closing_words")
    toolbar = page.locator('[data-rich-text="id_closing_words"]').get_by_role("toolbar")
    preview = page.locator('[data-rich-text="id_closing_words"] .rich-text-preview')
    field.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("ett\ntvå")
    page.keyboard.press("Control+a")
    toolbar.get_by_role("button", name="Punktlista").click()
    expect(field).to_have_value("- ett\n- två")
    expect(preview.locator("ul li")).to_have_count(2, timeout=15_000)
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Socialstyrelsen")
    page.keyboard.press("Shift+Home")
    toolbar.get_by_role("button", name="Länk").click()
    page.keyboard.type("www.socialstyrelsen.se")
    expect(field).to_have_value("- ett\n- två\n\n[Socialstyrelsen](https://www.socialstyrelsen.se)")
    expect(preview.get_by_role("link", name="Socialstyrelsen")).to_have_attribute(
        "href", "https://www.socialstyrelsen.se", timeout=15_000
    )


def test_a_failed_preview_says_so_and_keeps_the_typed_text(page, live_server, make_user, login):
    ensure_reference_data()
    data = build_county(actors=2, submitted=1, activities=1, goals=1)
    coordinator = make_user("coordinator", county_code="06")
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/lagesrapport/{data.report.pk}/redigera/")
    page.route("**/forhandsvisning/text/", lambda route: route.fulfill(status=500, body="fel"))
    field = page.locator("#id_usage_text")
    box = page.locator('[data-rich-text="id_usage_text"]')
    field.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("Texten som skrivs får aldrig försvinna.")
    expect(box.get_by_role("status")).to_have_text(
        "Förhandsvisningen kunde inte uppdateras. Texten i fältet är kvar."
    )
    expect(field).to_have_value("Texten som skrivs får aldrig försvinna.")


def test_demo_2022_report_preview_shows_tabell_1_and_end_notes(page, live_server, login, axe):
    """The demo's 2022 Jönköping report in the browser: Tabell 1 with row headers, end notes
    instead of page footnotes, links from a footnote call to its note; axe finds nothing."""
    from django.core.management import call_command

    from fixtures.demo import users as demo_users
    from kvinnofrid.accounts.models import User

    call_command("load_demo")
    report = StatusReport.objects.get(round__plan__county__code="06", round__year=2022)
    coordinator = User.objects.get(email=demo_users.USERS[0][0])
    coordinator.set_password("losenord-123")
    coordinator.save()
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/lagesrapport/{report.pk}/forhandsvisning/")
    table = page.get_by_role("table", name="Tabell 1. Regional ledning och samordning")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Tre styrgrupper")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Representation")).to_be_visible()
    expect(page.locator(".fn-body").first).to_be_hidden()
    notes = page.locator("#resurser .endnotes")
    expect(notes).to_contain_text("Kommun, Polismyndighet, Region och Åklagarmyndigheten")
    page.locator("#resurser .fn-ref a").first.click()
    expect(page).to_have_url(re.compile(r"#fn-resurser-1$"))
    axe(page)
