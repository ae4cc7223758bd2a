"""The lägesrapport journey in a browser: the coordinator writes an analysis, builds the PDF and
watches the progress, finalises and downloads; a management member downloads the final PDF (the
very file stored at "Fastställ") and reads the frozen web version. axe-core checks every page
visited."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from followup.models import FinalReportVersion, ReportBuild
from followup.reports import builds
from tests.factories import ensure_reference_data
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_builds_finalises_and_management_downloads(
    page, live_server, make_user, login, axe, monkeypatch, tmp_path
):
    # given
    ensure_reference_data()
    data = build_county(actors=6, submitted=4, activities=6, goals=2)
    coordinator = make_user("coordinator", county_code="06")
    management = make_user("management", county_code="06")
    base = live_server.url

    # the coordinator opens the draft from the county's report list
    login(page, coordinator)
    page.goto(f"{base}/lan/06/lagesrapporter/")
    axe(page)
    page.get_by_role("link", name=data.report.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(data.report.title)
    axe(page)

    # writes an analysis for goal 1
    page.get_by_role("link", name="Redigera texterna").click()
    axe(page)
    page.get_by_label("Analys och förbättringsområden – mål 1").fill(
        "Länsstyrelsen ser att arbetet har tagit steg framåt. <b>inte fetstil</b>"
    )
    page.get_by_role("button", name="Spara och förhandsgranska").click()
    expect(page.get_by_text("Länsstyrelsen ser att arbetet har tagit steg framåt.")).to_be_visible()
    expect(page.get_by_text("<b>inte fetstil</b>", exact=False)).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Tillbaka till lägesrapporten").click()
    axe(page)

    # builds the PDF; the broker is "slow", so the page shows the queue and polls
    monkeypatch.setattr(builds, "_enqueue", lambda build_id: None)
    page.get_by_role("button", name="Bygg PDF").click()
    status = page.locator("#build-status [role=status]")
    expect(status).to_contain_text("i kö")
    axe(page)
    build = ReportBuild.objects.get(report=data.report, status=ReportBuild.Status.QUEUED)
    builds.report_build_run(build_id=build.pk)  # the worker picks it up
    expect(status).to_contain_text("PDF:en är klar", timeout=15_000)
    axe(page)

    # finalises
    page.get_by_role("link", name="Fastställ").click()
    axe(page)
    page.get_by_label("Jag vill fastställa lägesrapporten ändå", exact=False).check()
    page.get_by_role("button", name="Fastställ lägesrapporten").click()
    expect(page.locator("#report-status")).to_have_text("Fastställd")
    axe(page)

    # downloads the final PDF
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    path = tmp_path / "coordinator.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert re.match(r"lagesrapport-06-2022\.pdf", info.value.suggested_filename)

    # a management member downloads it from the list
    page.context.clear_cookies()
    login(page, management)
    page.goto(f"{base}/lan/06/lagesrapporter/")
    axe(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner PDF för 2022").click()
    path = tmp_path / "management.pdf"
    info.value.save_as(path)
    assert path.read_bytes() == (tmp_path / "coordinator.pdf").read_bytes()
    version = FinalReportVersion.objects.get(report=data.report)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == version.pdf_sha256

    # and reads the web version frozen at "Fastställ"
    page.goto(f"{base}/uppfoljning/lagesrapport/{data.report.pk}/")
    axe(page)
    page.get_by_role("link", name="Läs webbversionen").click()
    expect(page.get_by_text("Webbversion av den fastställda lägesrapporten.")).to_be_visible()
    expect(page.get_by_role("heading", level=1).first).to_contain_text("Regional lägesrapport")
    axe(page)
