"""The national overview (observer) and the report-back page (coordinator) in a browser, with
axe-core: zero WCAG 2.1 AA violations; sorting works from the keyboard."""

import pytest
from playwright.sync_api import expect

from followup.models import Submission
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    GoalFactory,
    ReportedActivityFactory,
    SubGoalFactory,
    SubmissionFactory,
    ensure_reference_data,
    national_goal,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _county_with_round() -> None:
    plan = ActionPlanFactory(strategy=national_goal(1).strategy)
    goal = GoalFactory(plan=plan)
    goal.national_goals.set([national_goal(1), national_goal(2)])
    sub_goal = SubGoalFactory(goal=goal)
    round_ = FollowUpRoundFactory(plan=plan, year=2022)
    submission = SubmissionFactory(round=round_, status=Submission.Status.ACCEPTED)
    activity = ReportedActivityFactory(submission=submission, highlighted=True)
    activity.sub_goals.set([sub_goal])
    SubmissionFactory(round=round_)


def test_observer_sorts_the_national_overview(page, live_server, make_user, login, axe):
    ensure_reference_data()
    _county_with_round()
    login(page, make_user("observer"))
    page.goto(f"{live_server.url}/nationellt/?ar=2022")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nationell översikt 2022")
    axe(page)
    # sort by response rate with the keyboard only
    link = page.get_by_role("link", name="Svar", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sortera=svar**")
    header = page.locator("th[aria-sort]")
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(header).to_contain_text("Svar")
    axe(page)


def test_coordinator_writes_the_report_back(page, live_server, make_user, login, axe):
    ensure_reference_data()
    _county_with_round()
    login(page, make_user("coordinator", county_code="06"))
    page.goto(f"{live_server.url}/lan/06/aterrapportering/2022/")
    axe(page)
    page.get_by_label("Text om Ett utökat och verkningsfullt förebyggande arbete mot våld").fill(
        "Länet har stärkt det förebyggande arbetet."
    )
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Återrapporteringen är sparad.")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Fastställ").click()
    expect(page.locator("#report-back-status")).to_have_text("Fastställd")
    expect(page.get_by_text("Länet har stärkt det förebyggande arbetet.")).to_be_visible()
    axe(page)
