"""The report editor with the actors' voices (issue 15 items 2, 3 and 8) in Debian Chromium, with
axe-core: from the round page to the report, an actor's answer inserted into a goal's analysis
from the keyboard, a pasted year listed as contradicting the round, the Fastställ page asking
for a confirmation, and closing a round early asking first."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from followup.models import FollowUpRound
from tests.factories import ensure_reference_data
from tests.followup.test_report_flow import _voices_county

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_inserts_an_actors_answer_and_sees_the_fact_checks(
    page, live_server, make_user, login, axe
):
    # given
    ensure_reference_data()
    data = _voices_county("06", actors=3)
    coordinator = make_user("coordinator", county_code="06")
    base = live_server.url
    login(page, coordinator)

    # the round page links to its report
    page.goto(f"{base}/uppfoljning/omgang/{data.round.pk}/")
    axe(page)
    page.get_by_role("link", name=f"Lägesrapport: {data.report.title} (utkast)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(data.report.title)
    page.get_by_role("link", name="Redigera texterna").click()
    axe(page)

    # the answers to "Vad har fungerat bra?" beside goal 1's analysis, with the actors' names
    voices = page.locator("#goal-" + str(data.goals[0].pk) + " .report-voices")
    expect(voices.get_by_role("heading")).to_have_text("Aktörernas svar – mål 1")
    summary = voices.locator("summary", has_text="Vad har fungerat bra?")
    summary.focus()
    page.keyboard.press("Enter")
    expect(voices.get_by_text("Samverkan fungerade (Aktör 000).")).to_be_visible()
    axe(page)

    # "Infoga i texten" from the keyboard appends the quote to the analysis
    analysis = page.get_by_label("Analys och förbättringsområden – mål 1")
    analysis.fill("Länsstyrelsen ser att samverkan har utvecklats under 2022.")
    answer = voices.locator("details[open] li", has_text="Samverkan fungerade (Aktör 000).")
    button = answer.get_by_role("button", name="Infoga i texten")
    button.focus()
    page.keyboard.press("Enter")
    expect(analysis).to_have_value(
        "Länsstyrelsen ser att samverkan har utvecklats under 2022.\n\n"
        "”Samverkan fungerade (Aktör 000).” (Aktör 000)"
    )
    expect(analysis).to_be_focused()
    expect(voices.locator("[data-voice-status]")).to_have_text("Citatet har lagts till i analysen.")

    # saved; then a pasted "2021" (the year before) and "7 yttranden" (3 came in) are listed
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Lägesrapporten har sparats.")).to_be_visible()
    analysis = page.get_by_label("Analys och förbättringsområden – mål 1")
    analysis.fill("Under 2021 kom 7 yttranden in.")
    page.get_by_role("button", name="Spara", exact=True).click()
    checks = page.locator(".fact-checks")
    expect(checks).to_contain_text("Analys och förbättringsområden – mål 1: ”2021”")
    expect(checks).to_contain_text("”7 yttranden”")
    axe(page)

    # the Fastställ page lists them too
    page.goto(f"{base}/uppfoljning/lagesrapport/{data.report.pk}/faststall/")
    expect(page.locator(".fact-checks")).to_contain_text("”2021”")
    axe(page)

    # closing a round before its deadline says how many have not submitted
    FollowUpRound.objects.filter(pk=data.round.pk).update(
        status=FollowUpRound.Status.OPEN,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    page.goto(f"{base}/uppfoljning/omgang/{data.round.pk}/")
    page.get_by_role("button", name="Stäng uppföljningen").click()
    expect(page.locator("#close-early")).to_contain_text("0 av 3 inbjudna aktörer")
    axe(page)
    page.get_by_role("button", name="Stäng uppföljningen ändå").click()
    expect(page.get_by_text("Uppföljningen är stängd.")).to_be_visible()
