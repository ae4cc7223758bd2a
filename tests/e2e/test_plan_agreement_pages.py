"""Agreement pages, indicator values, delete confirmation and import in Chromium, with axe-core."""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans import interchange
from actionplans.models import ActionPlan
from agreements.models import Party
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    SubGoalFactory,
    county,
    national_goal,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_keeps_agreement_up_to_date(page, live_server, make_user, login, axe, tmp_path):
    coordinator = make_user("coordinator", county_code="06")
    region = OrganisationFactory(name="Region Jönköpings län", county=county("06"))
    polis = OrganisationFactory(name="Polisregion Syd", county=county("06"))
    agreement = AgreementFactory(
        title="Regional överenskommelse 2024–2026",
        valid_until=timezone.localdate() + datetime.timedelta(days=60),
    )
    Party.objects.create(agreement=agreement, organisation=polis, signatory_name="Per", order=0)
    login(page, coordinator)

    # given the county start page showing the agreement's status
    expect(page.get_by_text("upphör om 60 dagar")).to_be_visible()
    axe(page)
    # (the expiry warning above links to it too)
    agreement_section = page.locator("section[aria-labelledby='agreement-heading']")
    agreement_section.get_by_role("link", name="Regional överenskommelse 2024–2026").click()
    axe(page)

    # when the coordinator adds a party, a målområde and a meeting
    page.get_by_role("link", name="Lägg till part").click()
    axe(page)
    page.locator("#id_organisation").select_option(label="Region Jönköpings län")
    page.locator("#id_signatory_name").fill("Agneta Regiondirektör")
    page.locator("#id_signatory_title").fill("Regiondirektör")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("cell", name="Agneta Regiondirektör")).to_be_visible()
    page.get_by_role("button", name="Flytta upp Region Jönköpings län").click()
    expect(page.locator("#parter tbody tr").first).to_contain_text("Region Jönköpings län")
    axe(page)

    page.get_by_role("link", name="Lägg till målområde").click()
    page.locator("#id_heading").fill("Högre grad av lagföring")
    page.locator("#id_national_goal").select_option(label=str(national_goal(4)))
    page.locator("#id_indicator_hint").fill("antal samråd")
    axe(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#malomraden strong", has_text="Högre grad av lagföring")).to_be_visible()

    page.get_by_role("link", name="Lägg till sammanträde").click()
    page.locator("#id_date").fill("2025-03-12")
    page.locator("#id_decisions").fill("Handlingsplanen antogs.")
    axe(page)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Handlingsplanen antogs.")).to_be_visible()
    axe(page)

    # and removing a party asks for confirmation first
    page.get_by_role("link", name="Ta bort Polisregion Syd").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort part?")
    axe(page)
    page.get_by_role("button", name="Ja, ta bort").click()
    expect(page.locator("#parter")).not_to_contain_text("Polisregion Syd")

    # then a new agreement can start from this one
    page.get_by_role("link", name="Ny överenskommelse från denna").click()
    axe(page)
    page.get_by_role("button", name="Skapa ny överenskommelse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera överenskommelsen")
    axe(page)
    assert region.parties.count() == 2


def test_indicator_values_delete_confirmation_and_import(
    page, live_server, make_user, login, axe, tmp_path
):
    coordinator = make_user("coordinator", county_code="06")
    plan = ActionPlanFactory(title="Strategi 2021–2026")
    goal = GoalFactory(plan=plan, number=1, title="Förebygga")
    goal.national_goals.set([national_goal(1)])
    sub = SubGoalFactory(goal=goal, code="1:1", text="Tidig upptäckt")
    indicator = IndicatorFactory(plan=plan, name="Antal samråd")
    indicator.sub_goals.set([sub])
    login(page, coordinator)
    base = f"{live_server.url}/lan/06/planer/{plan.pk}/"

    # indicator values per year
    page.goto(base + f"indikator/{indicator.pk}/varden/")
    axe(page)
    page.locator("#id_year").fill("2024")
    page.locator("#id_value").fill("14")
    page.get_by_role("button", name="Spara värde").click()
    expect(page.get_by_role("cell", name="14,00")).to_be_visible()
    axe(page)

    # plan fields and delete confirmation in the editor
    page.goto(base + "uppgifter/")
    axe(page)
    page.goto(base + "redigera/")
    page.get_by_role("link", name="Ta bort delmål 1:1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort delmål?")
    axe(page)
    page.get_by_role("link", name="Avbryt").click()
    expect(page.locator(".sub-goal-text", has_text="Tidig upptäckt")).to_be_visible()

    # import: upload → preview → draft
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(interchange.plan_export(plan=plan)), encoding="utf-8")
    page.goto(f"{live_server.url}/lan/06/planer/importera/")
    axe(page)
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Granska").click()
    expect(page.get_by_role("heading", name="Förhandsgranskning")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Skapa utkast").click()
    expect(page.get_by_text("Planen är importerad som utkast.")).to_be_visible()
    axe(page)


def test_management_reads_plan_without_edit_controls(page, live_server, make_user, login, axe):
    plan = ActionPlanFactory(title="Läsbar plan", status=ActionPlan.Status.ADOPTED)  # drafts: 404
    GoalFactory(plan=plan, number=1, title="Skydd").national_goals.set([national_goal(3)])
    login(page, make_user("management", county_code="06"))
    page.goto(f"{live_server.url}/lan/06/planer/{plan.pk}/")
    expect(page.get_by_role("heading", name="Mål 1 – Skydd")).to_be_visible()
    expect(page.get_by_role("link", name="Redigera")).to_have_count(0)
    axe(page)
    # the audit trail is the coordinators' (issue 16 item 4): no link, and 403
    expect(page.get_by_role("link", name="Historik")).to_have_count(0)
    assert page.goto(f"{live_server.url}/lan/06/planer/{plan.pk}/historik/").status == 403
    axe(page)
    page.goto(f"{live_server.url}/lan/06/planer/{plan.pk}/jamfor/")
    axe(page)
