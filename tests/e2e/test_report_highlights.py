"""Highlighting an activity under each goal it serves (issue 15 item 6) in Chromium with axe:
the coordinator ticks the activity under both goals from the keyboard, saves and previews; the
activity left unticked is in the preview's appendix."""

import pytest
from playwright.sync_api import expect

from tests.factories import ensure_reference_data
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_highlights_an_activity_under_two_goals(
    page, live_server, make_user, login, axe
):
    ensure_reference_data()
    data = build_county(actors=4, submitted=3, activities=3, goals=2, sub_goals_per_goal=2)
    both = data.activities[0]
    both.sub_goals.add(data.goals[1].sub_goals.first())
    coordinator = make_user("coordinator", county_code="06")
    login(page, coordinator)
    page.goto(f"{live_server.url}/uppfoljning/lagesrapport/{data.report.pk}/redigera/")
    axe(page)
    org = both.submission.organisation.name
    for number in (1, 2):
        box = page.get_by_label(f"Lyft fram under mål {number}: {org} – {both.title}")
        box.focus()
        page.keyboard.press("Space")
        expect(box).to_be_checked()
    expect(page.get_by_text("Hör även till 1 annat mål.").first).to_be_visible()
    page.get_by_role("button", name="Spara och förhandsgranska").click()
    page.wait_for_load_state()
    for number in (1, 2):
        chapter = page.locator("section.goal", has_text=f"Mål {number} – ")
        expect(chapter.locator(".activity", has_text=both.title)).to_have_count(1)
    appendix = page.locator("#bilaga-aktiviteter")
    for other in data.activities[1:]:
        expect(appendix).to_contain_text(other.title)
    axe(page)
