"""Indicators over the years in Chromium, with axe-core: targets typed in the editor (a bad line
refused in Swedish), and the plan page's chart with its table beside it, also at 375 px."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from actionplans.models import ActionPlan, IndicatorTarget, IndicatorValue
from tests.factories import (
    ActionPlanFactory,
    GoalFactory,
    IndicatorFactory,
    SubGoalFactory,
    national_goal,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_targets_in_the_editor_and_the_chart_with_its_table(
    page, live_server, make_user, login, axe
):
    plan = ActionPlanFactory(title="Strategi 2021–2026")
    goal = GoalFactory(plan=plan, number=1, title="Förebygga")
    goal.national_goals.set([national_goal(1)])
    sub = SubGoalFactory(goal=goal, code="1:1", text="Tidig upptäckt")
    indicator = IndicatorFactory(plan=plan, name="Antal samråd", unit="st")
    indicator.sub_goals.set([sub])
    for year, value in ((2021, 8), (2022, 11), (2023, 11)):
        IndicatorValue.objects.create(indicator=indicator, year=year, value=value)
    login(page, make_user("coordinator", county_code="06"))
    base = f"{live_server.url}/lan/06/planer/{plan.pk}/"

    # the editor's form: a bad line is refused in Swedish, nothing is saved
    page.goto(base + f"indikator/{indicator.pk}/redigera/")
    page.get_by_label("Utgångsvärde").fill("6")
    page.get_by_label("Målvärden per år").fill("2025: 14\n2025: 15")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Rad 2: år 2025 har redan ett målvärde.")).to_be_visible()
    axe(page)
    assert not IndicatorTarget.objects.exists()
    page.get_by_label("Målvärden per år").fill("2025: 14\n2026: 16,5")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#indikator-{indicator.pk}")).to_be_visible()

    # the plan page: a chart whose description holds the numbers, a table beside it
    plan.status = ActionPlan.Status.ADOPTED
    plan.save(update_fields=["status"])
    page.goto(base)
    section = page.locator(f"#indikator-{indicator.pk}")
    chart = section.get_by_role("img", name="Indikatorn Antal samråd över åren")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("Målvärden: 2025: 14 st; 2026: 16,5 st.")
    table = section.get_by_role("table", name="Utgångsvärde, värden och målvärden per år")
    expect(table.get_by_role("row", name="2022 11")).to_contain_text("Ökning jämfört med 2021")
    expect(table.get_by_role("row", name="2023 11")).to_contain_text("Oförändrat jämfört med 2022")
    expect(table.get_by_role("row", name="Utgångsvärde")).to_contain_text("6")
    expect(table.get_by_role("row", name="2026")).to_contain_text("16,5")
    axe(page)
    assert Decimal("16.5") in IndicatorTarget.objects.values_list("value", flat=True)

    # on a phone the page does not scroll sideways
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(base)
    expect(chart).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe(page)
