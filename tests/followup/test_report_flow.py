"""The report in the round's flow (issue 15 items 3 and 8): the round page links its report,
"Fastställ" with unaccepted yttranden needs a confirmation, closing early asks first, the actors'
voices in the editor, signatories from the county's people, and builds off the request."""

import datetime
import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import (
    Answer,
    FollowUpRound,
    Question,
    ReportBuild,
    StatusReport,
    Submission,
)
from followup.reports import builds as report_builds
from followup.reports import flow
from followup.reports.pdf import ReportRenderer
from kvinnofrid.accounts.models import Membership
from kvinnofrid.core.models import AuditEntry
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(make_user, django_capture_on_commit_callbacks):
    """A draft 2022 report with a finished PDF: 3 of 5 actors accepted, one submitted (not
    reviewed yet), one not started."""
    data = build_county(actors=5, submitted=3, activities=4, goals=2)
    sub = Submission.objects.filter(round=data.round, status="not_started").first()
    Submission.objects.filter(pk=sub.pk).update(status=Submission.Status.SUBMITTED)
    coordinator = make_user("coordinator", county_code="06")
    with django_capture_on_commit_callbacks(execute=True):
        build = report_builds.report_request_build(report_id=data.report.pk, actor=coordinator)
    assert ReportBuild.objects.get(pk=build.pk).status == ReportBuild.Status.DONE
    return data, coordinator, sub


def test_finalise_with_unaccepted_yttranden_needs_the_confirmation(client, built):
    data, coordinator, unreviewed = built
    client.force_login(coordinator)
    url = reverse("followup:report-finalise", args=[data.report.pk])
    # the page lists them
    page = client.get(url).content.decode()
    assert "1 inskickat yttrande är inte granskat" in page
    assert unreviewed.organisation.name in page
    assert "1 aktör har inte skickat in sitt yttrande" in page
    assert 'name="confirm_incomplete"' in page
    # without the checkbox nothing is written
    audits = AuditEntry.objects.count()
    response = client.post(url, {"lock_version": data.report.lock_version})
    assert response.status_code == 400
    assert "Lägesrapporten är inte fastställd" in response.content.decode()
    data.report.refresh_from_db()
    assert data.report.status == StatusReport.Status.DRAFT
    assert AuditEntry.objects.count() == audits
    # with it, the report is final
    response = client.post(
        url, {"lock_version": data.report.lock_version, "confirm_incomplete": "1"}
    )
    assert response.status_code == 302
    data.report.refresh_from_db()
    assert data.report.status == StatusReport.Status.FINAL


def test_finalise_needs_no_confirmation_when_every_yttrande_is_accepted(
    client, make_user, django_capture_on_commit_callbacks
):
    data = build_county(actors=3, submitted=3, activities=3, goals=1)
    coordinator = make_user("coordinator", county_code="06")
    with django_capture_on_commit_callbacks(execute=True):
        report_builds.report_request_build(report_id=data.report.pk, actor=coordinator)
    client.force_login(coordinator)
    url = reverse("followup:report-finalise", args=[data.report.pk])
    assert "confirm_incomplete" not in client.get(url).content.decode()
    response = client.post(url, {"lock_version": data.report.lock_version})
    assert response.status_code == 302
    data.report.refresh_from_db()
    assert data.report.status == StatusReport.Status.FINAL


def test_round_page_links_its_report_or_offers_to_create_one(client, make_user):
    data = build_county(actors=4, submitted=2, activities=2, goals=1)
    coordinator = make_user("coordinator", county_code="06")
    client.force_login(coordinator)
    url = reverse("followup:round-detail", args=[data.round.pk])
    page = client.get(url).content.decode()
    assert reverse("followup:report-detail", args=[data.report.pk]) in page
    assert "Skapa lägesrapport" not in page
    StatusReport.objects.filter(pk=data.report.pk).delete()
    page = client.get(url).content.decode()
    assert "Skapa lägesrapport" in page
    assert reverse("followup:report-create", args=[data.round.pk]) in page


def test_closing_before_the_deadline_says_how_many_have_not_submitted(client, make_user):
    data = build_county(actors=5, submitted=3, activities=2, goals=1)
    FollowUpRound.objects.filter(pk=data.round.pk).update(
        status=FollowUpRound.Status.OPEN,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    client.force_login(make_user("coordinator", county_code="06"))
    url = reverse("followup:round-transition", args=[data.round.pk, "close"])
    # when: closed without confirming
    response = client.post(url)
    # then: nothing changes and the page says how many are missing
    assert response.status_code == 200
    assert "2 av 5 inbjudna aktörer har inte skickat in" in response.content.decode()
    assert FollowUpRound.objects.get(pk=data.round.pk).status == FollowUpRound.Status.OPEN
    # when confirmed
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert FollowUpRound.objects.get(pk=data.round.pk).status == FollowUpRound.Status.CLOSED


def _voices_county(county_code: str, actors: int):
    data = build_county(
        county_code=county_code, actors=actors, submitted=actors, activities=actors * 2, goals=2
    )
    worked = Question.objects.create(
        round=data.round, key="worked_well", text="Vad har fungerat bra?", order=2
    )
    support = Question.objects.create(
        round=data.round, key="support", text="Vilket stöd önskar ni?", order=4
    )
    for sub in Submission.objects.filter(round=data.round).select_related("organisation"):
        name = sub.organisation.name
        Answer.objects.create(
            submission=sub, question=worked, text=f"Samverkan fungerade ({name})."
        )
        Answer.objects.create(submission=sub, question=support, text=f"Processtöd ({name}).")
    return data


def test_the_editor_shows_the_actors_voices_per_goal_and_question(
    client, make_user, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = _voices_county("06", actors=3)
    big = _voices_county("07", actors=30)
    client.force_login(make_user("coordinator", county_code="06"))
    url = reverse("followup:report-edit", args=[small.report.pk])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert "Aktörernas svar – mål 1" in page
    assert "Vad har fungerat bra?" in page
    assert "Vilket stöd önskar ni?" in page
    assert "Samverkan fungerade (Aktör 000)." in page
    assert "– Aktör 000" in page
    assert "Infoga i texten" in page
    assert 'data-quote="”Processtöd (Aktör 000).” (Aktör 000)"' in page
    assert "js/report-voices.js" in page
    client.force_login(make_user("coordinator", county_code="07"))
    with django_assert_max_num_queries(len(ctx.captured_queries)):
        page = client.get(reverse("followup:report-edit", args=[big.report.pk])).content.decode()
    assert "Samverkan fungerade (Aktör 029)." in page


def test_signatories_are_chosen_among_the_countys_people(client, make_user):
    data = build_county(actors=3, submitted=2, activities=2, goals=1)
    coordinator = make_user("coordinator", county_code="06")
    coordinator.full_name = "Stina Andersson"
    coordinator.save()
    Membership.objects.filter(user=coordinator).update(title="Samordnare")
    org = Membership.objects.get(user=coordinator).organisation.name
    client.force_login(coordinator)
    url = reverse("followup:report-edit", args=[data.report.pk])
    page = client.get(url).content.decode()
    assert f"Stina Andersson, Samordnare, {org}" in page
    form = {
        "lock_version": data.report.lock_version,
        "title": data.report.title,
        "place": "Jönköping",
        "signatories": [
            f"{coordinator.pk}-{Membership.objects.get(user=coordinator).organisation_id}"
        ],
        "signatures": "Bo Berg, Samordnare",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    data.report.refresh_from_db()
    assert data.report.signatures == f"Stina Andersson, Samordnare, {org}\nBo Berg, Samordnare"
    # shown again as chosen, with the free-text line apart
    page = client.get(url).content.decode()
    assert "checked" in page.split("Stina Andersson, Samordnare")[0].rsplit("<input", 1)[1]


class SlowRenderer(ReportRenderer):
    """Waits until the test lets it render, so the request is proven to return first."""

    release = threading.Event()
    thread_name = ""

    def render(self, data):
        SlowRenderer.thread_name = threading.current_thread().name
        assert SlowRenderer.release.wait(60)
        return super().render(data)


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_without_a_broker_the_build_runs_in_a_thread_off_the_request(
    client, make_user, settings, monkeypatch
):
    settings.REPORT_BUILD_IN_THREAD = True
    monkeypatch.setattr(report_builds, "ReportRenderer", SlowRenderer)
    SlowRenderer.release.clear()
    data = build_county(actors=4, submitted=2, activities=2, goals=1)
    client.force_login(make_user("coordinator", county_code="06"))
    started = []
    real_start = flow.start_build_thread
    monkeypatch.setattr(flow, "start_build_thread", lambda pk: started.append(real_start(pk)))
    # The thread claims the row only once the test has seen the response: an in-memory SQLite
    # database cannot take the thread's write and the request's session write at once.
    request_done = threading.Event()
    real_claim = report_builds._claim

    def gated_claim(build_id):
        assert request_done.wait(60)
        return real_claim(build_id)

    monkeypatch.setattr(report_builds, "_claim", gated_claim)
    # when
    response = client.post(reverse("followup:report-build", args=[data.report.pk]))
    # then: the request returned while the build waits in its thread
    assert response.status_code == 302
    build = ReportBuild.objects.get(report=data.report)
    assert build.status == ReportBuild.Status.QUEUED
    assert build.enqueued_at is not None
    assert len(started) == 1
    assert started[0].is_alive()
    status_url = response["Location"]
    assert client.get(status_url).content.decode().count("hx-trigger") == 1
    request_done.set()
    SlowRenderer.release.set()
    started[0].join(60)
    assert SlowRenderer.thread_name == f"report-build-{build.pk}"
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE, build.error
    assert build.attempts == 1
    deadline = time.monotonic() + 5
    while "PDF:en är klar" not in (page := client.get(status_url).content.decode()):
        assert time.monotonic() < deadline
    assert "PDF:en är klar" in page
