"""The plan journey in Debian Chromium, with axe-core on every page visited.

A coordinator creates a plan with two goals mapped to national goals, adds coded delmål,
reorders them, adopts, revises and changes a delmål, and sees the change on the compare page;
meanwhile a second browser context edits the same delmål and gets the conflict page with its
text kept.
"""

import re

import pytest
from playwright.sync_api import expect

from actionplans.models import ActionPlan, SubGoal
from tests.factories import national_goal

pytestmark = pytest.mark.django_db(transaction=True)


def _add_goal(page, axe, *, title: str, national_goals: list[str]) -> None:
    page.get_by_role("link", name="Lägg till mål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till mål")
    axe(page)
    page.locator("#id_title").fill(title)
    for label in national_goals:
        page.get_by_label(label).check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name=re.compile(title))).to_be_visible()


def _add_sub_goal(page, axe, *, goal_number: int, code: str, text: str) -> None:
    page.get_by_role("link", name=f"Lägg till delmål under mål {goal_number}").click()
    axe(page)
    page.locator("#id_code").fill(code)
    page.locator("#id_text").fill(text)
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".sub-goal-text", has_text=text)).to_be_visible()


def test_coordinator_plan_journey_with_versions_and_conflict(
    page, browser, browser_context_args, live_server, make_user, login, axe
):
    coordinator = make_user("coordinator", county_code="06")
    colleague = make_user("coordinator", county_code="06")
    ng1, ng3 = str(national_goal(1)), str(national_goal(3))

    # given a logged-in coordinator on the county's plan list
    login(page, coordinator)
    axe(page)
    page.goto(f"{live_server.url}/lan/06/planer/")
    axe(page)

    # when they create a plan ...
    page.get_by_role("link", name="Ny plan").click()
    axe(page)
    page.locator("#id_title").fill("Regional handlingsplan 2025–2028")
    page.locator("#id_period_start").fill("2025")
    page.locator("#id_period_end").fill("2028")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regional handlingsplan 2025–2028")
    axe(page)

    # ... with two goals mapped to national goals, and coded delmål
    _add_goal(page, axe, title="Förebyggande arbete", national_goals=[ng1])
    _add_goal(page, axe, title="Skydd och stöd", national_goals=[ng3, ng1])
    _add_sub_goal(page, axe, goal_number=1, code="1:1", text="Tidig upptäckt av våld")
    _add_sub_goal(page, axe, goal_number=1, code="1:2", text="Kunskap hos personal")
    _add_sub_goal(page, axe, goal_number=2, code="2:1", text="Skyddat boende")
    axe(page)

    # ... and reorder them with the keyboard-accessible move buttons
    page.get_by_role("button", name="Flytta upp delmål 1:2").click()
    codes = page.locator(f"#mal-{ActionPlan.objects.get().goals.get(number=1).pk} .sub-goal-code")
    expect(codes).to_have_text(["1:2", "1:1"])
    axe(page)

    # then the plan can be adopted
    page.get_by_role("link", name="Anta", exact=True).click()
    axe(page)
    page.get_by_role("button", name="Anta").click()
    expect(page.locator(".badge", has_text="Antagen")).to_be_visible()
    axe(page)

    # and revised into a new draft version
    page.get_by_role("link", name="Revidera").click()
    axe(page)
    page.get_by_role("button", name="Revidera").click()
    expect(page.get_by_text("Version 2 är skapad som utkast.")).to_be_visible()
    axe(page)
    new_plan = ActionPlan.objects.get(version=2)
    sub = SubGoal.objects.get(goal__plan=new_plan, code="1:1")
    edit_url = f"{live_server.url}/lan/06/planer/{new_plan.pk}/delmal/{sub.pk}/redigera/"

    # when the coordinator opens the delmål editor in place (htmx) ...
    page.get_by_role("link", name="Redigera delmål 1:1").click()
    in_place = page.locator(f"#edit-delmal-{sub.pk} textarea")
    expect(in_place).to_be_visible()
    axe(page)

    # ... and a colleague in another browser changes the same delmål meanwhile
    other_context = browser.new_context(**browser_context_args)
    other = other_context.new_page()
    login(other, colleague)
    other.goto(edit_url)
    axe(other)
    other.locator("#id_text").fill("Tidig upptäckt – kollegans text")
    other.get_by_role("button", name="Spara").click()
    expect(other.locator(".sub-goal-text", has_text="kollegans text")).to_be_visible()

    # then the coordinator's save is refused with the conflict page, their text kept
    in_place.fill("Tidig upptäckt och stöd i hela länet")
    page.locator(f"#edit-delmal-{sub.pk}").get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Någon annan har sparat ändringar")
    expect(
        page.locator(".conflict-mine", has_text="Tidig upptäckt och stöd i hela länet")
    ).to_be_visible()
    expect(page.locator(".conflict-saved", has_text="kollegans text")).to_be_visible()
    expect(page.locator("#id_text")).to_have_value("Tidig upptäckt och stöd i hela länet")
    axe(page)

    # and re-applying saves their text
    page.get_by_role("button", name="Spara mina uppgifter").click()
    expect(
        page.locator(".sub-goal-text", has_text="Tidig upptäckt och stöd i hela länet")
    ).to_be_visible()
    axe(page)

    # and the compare page shows the change between version 1 and 2
    page.get_by_role("link", name="Jämför versioner").click()
    changed = page.locator("section", has=page.get_by_role("heading", name=re.compile("Ändrat")))
    expect(changed.locator("del")).to_contain_text(["Tidig upptäckt av våld"])
    expect(changed.locator("ins")).to_contain_text(["Tidig upptäckt och stöd i hela länet"])
    axe(page)

    # and the history lists the edits
    page.get_by_role("link", name=re.compile(r"\(version 2\)")).click()
    page.get_by_role("link", name="Historik").click()
    expect(page.locator("table.audit-trail")).to_contain_text("ändrade delmålet")
    axe(page)
    other_context.close()
