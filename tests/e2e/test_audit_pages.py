"""The audit trail and gallring pages (issue 16 items 4 and 6) in Debian Chromium, with
axe-core: a yttrande's history reached from its page, filtered from the keyboard, a bad date,
page two of a long county history, a phone's width, and the national admin's gallring page."""

import re

import pytest
from playwright.sync_api import expect

from followup import services
from followup.services.retention import retention_run
from kvinnofrid.core.audit import audit_log
from tests.followup.conftest import fill_required, world  # noqa: F401 - the shared fixture

# ruff: noqa: F811

pytestmark = pytest.mark.django_db(transaction=True)


def _life(w):
    fill_required(w)
    services.submission_submit(submission_id=w.submission.pk, actor=w.users["reporter"])
    services.submission_return(
        submission_id=w.submission.pk, comment="Komplettera.", actor=w.users["coordinator"]
    )
    services.submission_submit(submission_id=w.submission.pk, actor=w.users["reporter"])
    services.submission_accept(submission_id=w.submission.pk, actor=w.users["coordinator"])


def test_coordinator_reads_and_filters_a_yttrandes_history(page, live_server, world, login, axe):
    _life(world)
    login(page, world.users["coordinator"])
    page.goto(f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/visa/")
    page.get_by_role("link", name="Historik").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Historik – yttrande från")
    table = page.locator("table.audit-trail")
    expect(table).to_contain_text("godkände yttrandet")
    expect(table).to_contain_text("skickade tillbaka yttrandet för komplettering")
    expect(table).to_contain_text("Status: Inskickad → Återsänd för komplettering")
    expect(table).to_contain_text("ändrad (12 tecken)")
    axe(page)

    # filter by action from the keyboard
    page.get_by_label("Händelse").select_option(label="godkände yttrandet")
    page.get_by_role("button", name="Visa").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(table.locator("tbody tr")).to_have_count(1)
    axe(page)
    # and download the filtered list as CSV
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Ladda ner som CSV").click()
    content = download_info.value.path().read_bytes().decode("utf-8-sig")
    assert content.count("\r\n") == 2  # the header and the one accepted entry
    assert "godkände yttrandet" in content

    # a start date after the end date: a message, the whole log, no error page
    page.goto(
        f"{live_server.url}/uppfoljning/yttrande/{world.submission.pk}/historik/"
        "?date_from=2024-05-02&date_to=2024-05-01"
    )
    expect(page.get_by_role("alert")).to_contain_text("Startdatumet måste vara före slutdatumet")
    axe(page)

    # the page reflows on a phone
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe(page)


def test_county_history_has_pages(page, live_server, world, login, axe):
    for n in range(60):
        audit_log(
            actor=world.users["coordinator"],
            action="followup.round.updated",
            target=world.round,
            county_id=world.round.plan.county_id,
            changes={"deadline": ["2024-01-01", f"2024-02-{n % 28 + 1:02d}"]},
        )
    login(page, world.users["coordinator"])
    page.goto(f"{live_server.url}/lan/06/aktorer/")
    page.get_by_role("link", name="Historik för hela länet").click()
    expect(page.locator("caption")).to_contain_text("sida 1 av 2")
    axe(page)
    page.get_by_role("navigation", name="Sidor i historiken").get_by_role(
        "link", name="Nästa"
    ).click()
    expect(page.locator("caption")).to_contain_text("sida 2 av 2")
    expect(page.get_by_role("link", name="2", exact=True)).to_have_attribute("aria-current", "page")
    axe(page)


def test_national_admin_sees_the_gallring_runs(page, live_server, world, login, axe, make_user):
    retention_run(dry_run=True)
    admin = make_user("national_admin", county_code="06")
    login(page, admin)
    page.goto(f"{live_server.url}/nationellt/samordnare/")
    page.get_by_role("link", name="Gallring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gallring")
    expect(page.locator("table").nth(1)).to_contain_text(re.compile("Provkörning"))
    axe(page)
    page.goto(f"{live_server.url}/nationellt/historik/")
    expect(page.locator("table.audit-trail")).to_contain_text("provkörde gallringen")
    axe(page)
