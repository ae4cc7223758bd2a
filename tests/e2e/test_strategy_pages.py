"""Strategy frame pages and the plan form's frame/agreement choice in Chromium, with axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actionplans.models import ActionPlan, NationalStrategy
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db(transaction=True)

STRATEGY_2017 = "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"


def test_national_admin_creates_a_frame_with_a_goal(page, live_server, make_user, login, axe):
    admin = make_user("national_admin")
    login(page, admin)
    # given the frames list, reached from the home page
    page.get_by_role("link", name="Nationella ramar: strategier och åtgärdsprogram").click()
    expect(page.get_by_role("heading", name="Nationella ramar")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=STRATEGY_2017).click()
    expect(page.get_by_role("cell", name="Effektivare brottsbekämpning").first).to_be_visible()
    axe(page)
    # when a new frame is created and given a goal that continues an old one
    page.goto(f"{live_server.url}/nationellt/ramar/")
    page.get_by_role("link", name="Ny nationell ram").click()
    axe(page)
    page.get_by_label("Titel").fill("Nationell strategi 2027–2036")
    page.get_by_label("Gäller från").fill("2027-01-01")
    page.get_by_label("Gäller till och med").fill("2036-12-31")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Nationell strategi 2027–2036")).to_be_visible()
    page.get_by_role("link", name="Lägg till målsättning").click()
    axe(page)
    page.locator("#id_title").fill("Våld förebyggs tidigt")
    page.locator("#id_sub_goals").fill("Barn och unga\nSkolan")
    page.get_by_role("button", name="Spara").click()
    # then the frame page lists it with its sub-goals
    expect(page.get_by_role("cell", name="Våld förebyggs tidigt").first).to_be_visible()
    expect(page.get_by_text("Skolan")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Ändra målsättning 1").click()
    axe(page)
    page.go_back()
    page.get_by_role("link", name="Ta bort målsättning 1").click()
    axe(page)
    assert NationalStrategy.objects.filter(name="Nationell strategi 2027–2036").exists()


def test_coordinator_links_plan_to_frame_and_agreement(page, live_server, make_user, login, axe):
    today = timezone.localdate()
    AgreementFactory(
        title="Överenskommelse som snart löper ut",
        signed_on=today - datetime.timedelta(days=800),
        valid_from=today - datetime.timedelta(days=800),
        valid_until=today + datetime.timedelta(days=40),
    )
    coordinator = make_user("coordinator")
    login(page, coordinator)
    # given the county start page warning about the agreement
    page.goto(f"{live_server.url}/lan/06/")
    expect(page.get_by_text("40 dagar kvar")).to_be_visible()
    axe(page)
    # when a new plan is made on the action programme and linked to the agreement
    page.goto(f"{live_server.url}/lan/06/planer/ny/")
    page.get_by_label("Titel").fill("Handlingsplan 2025–2026")
    page.get_by_label("Från år").fill("2025")
    page.get_by_label("Till och med år").fill("2026")
    programme = NationalStrategy.objects.get(name__startswith="Åtgärdsprogram")
    page.get_by_label("Nationell strategi eller åtgärdsprogram").select_option(str(programme.pk))
    page.get_by_label("Regional överenskommelse").select_option(
        label="Överenskommelse som snart löper ut"
    )
    axe(page)
    page.get_by_role("button", name="Spara").click()
    # then the goal form offers the programme's six målsättningar, labelled with its title
    plan = ActionPlan.objects.get(title="Handlingsplan 2025–2026")
    assert plan.strategy == programme
    assert plan.agreement.title == "Överenskommelse som snart löper ut"
    page.goto(f"{live_server.url}/lan/06/planer/{plan.pk}/mal/ny/")
    expect(page.get_by_text(f"Nationella målsättningar i {programme.name}")).to_be_visible()
    expect(page.locator("input[name=national_goals]")).to_have_count(6)
    axe(page)
