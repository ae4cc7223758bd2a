"""The follow-up journey in Debian Chromium with axe-core on every page visited."""

import pytest
from playwright.sync_api import expect

from tests.followup.conftest import world  # noqa: F401 - the shared follow-up fixture

# ruff: noqa: F811

pytestmark = pytest.mark.django_db(transaction=True)


def _logout(page):
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()


def test_reporter_fills_submits_coordinator_returns_and_accepts(
    page, live_server, world, login, axe
):
    page.on("dialog", lambda dialog: dialog.accept())
    reporter, coordinator = world.users["reporter"], world.users["coordinator"]
    own_plan = world.round.questions.get(key="own_plan")
    form_url = f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/"

    # given the reporter on their organisation's list of forms
    login(page, reporter)
    page.goto(f"{live_server.url}/uppfoljning/")
    axe(page)
    page.get_by_role("link", name=world.round.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.round.title)
    axe(page)

    # when they type an answer, it autosaves (htmx, debounced) ...
    page.locator(f"#id_q_{own_plan.pk}").fill("Vi har en egen handlingsplan antagen 2021.")
    expect(page.locator("#autosave-status")).to_contain_text("Utkastet sparades", timeout=10_000)
    # ... and is there after a reload
    page.reload()
    expect(page.locator(f"#id_q_{own_plan.pk}")).to_have_value(
        "Vi har en egen handlingsplan antagen 2021."
    )

    # they add an activity tagged to a delmål
    page.get_by_role("link", name="Lägg till aktivitet").click()
    axe(page)
    page.get_by_label("Aktivitet (rubrik)").fill("Utbildning om våld i nära relationer")
    page.locator(f"input[name=sub_goals][value='{world.sub_goals[1].pk}']").check()
    page.get_by_label("Våld i nära relation", exact=True).check()
    page.get_by_role("button", name="Spara aktiviteten").click()
    expect(page.get_by_text("Utbildning om våld i nära relationer").first).to_be_visible()

    # and submit
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator("#submission-status")).to_contain_text("Inskickad")
    axe(page)
    _logout(page)

    # the coordinator returns it with a comment
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/omgang/{world.round.pk}/")
    expect(page.locator("#response-summary")).to_contain_text("Inskickade 1 av 2 (50 %)")
    axe(page)
    page.get_by_role("link", name="Aneby kommun").click()
    axe(page)
    page.get_by_label("Kommentar till aktören").fill("Beskriv gärna målgruppen.")
    page.get_by_role("button", name="Skicka tillbaka för komplettering").click()
    expect(page.locator("#submission-status")).to_contain_text("Återsänd")
    _logout(page)

    # the reporter sees the comment, edits and resubmits
    login(page, reporter)
    page.goto(form_url)
    expect(page.get_by_text("Beskriv gärna målgruppen.")).to_be_visible()
    axe(page)
    page.locator(f"#id_q_{own_plan.pk}").fill("Vi har en egen handlingsplan. Målgrupp: personal.")
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator("#submission-status")).to_contain_text("Inskickad")
    _logout(page)

    # the coordinator accepts; the overview shows the change
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/visa/")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.locator("#submission-status")).to_contain_text("Godkänd")
    axe(page)
    page.goto(f"{live_server.url}/uppfoljning/omgang/{world.round.pk}/")
    expect(page.locator("#response-summary")).to_contain_text("Inskickade 1 av 2 (50 %)")
    expect(page.locator("#actor-table tbody tr", has_text="Aneby kommun")).to_contain_text(
        "Godkänd"
    )
    axe(page)


def test_unsaved_text_survives_a_failed_autosave(page, live_server, world, login, axe):
    """With the session gone, the typed text stays in localStorage and is restored on load."""
    reporter = world.users["reporter"]
    q = world.round.questions.get(key="challenges")
    login(page, reporter)
    page.goto(f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/")
    page.context.clear_cookies()
    page.locator(f"#id_q_{q.pk}").fill("Text som inte får försvinna")
    page.wait_for_timeout(2500)
    login(page, reporter)
    page.goto(f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/")
    expect(page.locator(f"#id_q_{q.pk}")).to_have_value("Text som inte får försvinna")
    expect(page.locator("#autosave-restore")).to_be_visible()
    axe(page)


def test_coordinator_and_reporter_pages_pass_axe(page, live_server, world, login, axe):
    page.on("dialog", lambda dialog: dialog.accept())
    base = f"{live_server.url}/uppfoljning"
    login(page, world.users["coordinator"])
    for path in [
        "/",
        "/omgang/ny/",
        f"/omgang/{world.round.pk}/andra/",
        f"/omgang/{world.round.pk}/fragor/",
        f"/yttrande/{world.submission.pk}/visa/",
    ]:
        page.goto(base + path)
        axe(page)
    # the coordinator creates a round through the form
    page.goto(base + "/omgang/ny/")
    page.get_by_label("År som följs upp").fill("2031")
    page.get_by_label("Rubrik").fill("Uppföljning 2031")
    page.get_by_label("Öppnar").fill("2032-01-10")
    page.get_by_label("Sista svarsdag").fill("2032-02-15")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljning 2031")
    axe(page)
    page.get_by_role("button", name="Logga ut").click()

    # the reporter: missing answers page and the delete confirmation
    login(page, world.users["reporter"])
    page.goto(f"{base}/yttrande/{world.submission.pk}/")
    page.get_by_role("button", name="Skicka in").click()
    expect(page.locator("#missing-answers")).to_be_visible()
    axe(page)
