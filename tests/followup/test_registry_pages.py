"""Issue 16 item 1 in the portal: the diarium settings page, manual numbers, where they show."""

import pytest
from django.urls import reverse

from followup import services
from followup.models import Registry, StatusReport, Submission
from followup.reports import builds as report_builds
from followup.reports import services as report_services
from followup.reports.context import report_data
from followup.reports.pdf import RenderedPdf, ReportRenderer
from kvinnofrid.core.models import AuditEntry
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db

URL = reverse("followup:registry-edit", args=["06"])


@pytest.fixture(autouse=True)
def fake_pdf(monkeypatch):
    monkeypatch.setattr(
        ReportRenderer,
        "render_pdf",
        lambda self, html: RenderedPdf(content=b"%PDF-1.7\n% fake report\n", page_count=2),
    )


def _manual(world):
    services.registry_update(
        county=world.plan.county, mode="manual", prefix="", actor=world.users["coordinator"]
    )


def _received(world):
    fill_required(world)
    return services.submission_submit(
        submission_id=world.submission.pk, actor=world.users["reporter"]
    )


def _final_report(world, capture):
    coordinator = world.users["coordinator"]
    report = report_services.report_create(round_id=world.round.pk, actor=coordinator)
    with capture(execute=True):
        report_builds.report_request_build(report_id=report.pk, actor=coordinator)
    return report_services.report_finalise(report_id=report.pk, actor=coordinator)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("management", 403),
        ("reporter", 403),
        ("other_county_coordinator", 404),
        ("other_county_reporter", 404),
    ],
)
def test_settings_page_permission_matrix(client, world, role, status):
    client.force_login(world.users[role])
    assert client.get(URL).status_code == status
    response = client.post(URL, {"mode": "automatic", "series_prefix": "851-", "lock_version": 0})
    assert response.status_code == (302 if status == 200 else status)
    assert Registry.objects.filter(county=world.plan.county).exists() == (status == 200)


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(URL).status_code == 302
    assert not Registry.objects.exists()


def test_the_coordinator_configures_the_series(client, world):
    client.force_login(world.users["coordinator"])
    response = client.post(URL, {"mode": "automatic", "series_prefix": "851-", "lock_version": 0})
    assert response.status_code == 302
    registry = Registry.objects.get(county=world.plan.county)
    assert (registry.mode, registry.prefix, registry.lock_version) == ("automatic", "851-", 1)
    entry = AuditEntry.objects.get(action="followup.registry.updated")
    assert entry.changes == {"mode": ["", "automatic"], "prefix": ["", "851-"]}
    page = client.get(URL).content.decode()
    assert 'value="851-"' in page
    assert 'name="lock_version" value="1"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"series_prefix": "851-"}, "Välj hur länet diarieför."),
        ({"mode": "kanske", "series_prefix": ""}, "Välj ett giltigt alternativ"),
        ({"mode": "automatic", "series_prefix": "851<b>"}, "Förledet får bara innehålla"),
        ({"mode": "automatic", "series_prefix": "x" * 21}, "Förledet får vara högst 20 tecken."),
        ({"mode": "automatic", "series_prefix": "85\x001"}, "otillåtna tecken"),
    ],
)
def test_bad_input_gives_a_swedish_message_and_writes_nothing(client, world, data, message):
    client.force_login(world.users["coordinator"])
    response = client.post(URL, {**data, "lock_version": 0})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registry.objects.exists()
    assert not AuditEntry.objects.filter(action="followup.registry.updated").exists()


def test_a_stale_form_is_refused(client, world):
    client.force_login(world.users["coordinator"])
    client.post(URL, {"mode": "automatic", "series_prefix": "851-", "lock_version": 0})
    response = client.post(URL, {"mode": "manual", "series_prefix": "", "lock_version": 0})
    assert response.status_code == 200
    assert "Någon annan har ändrat diarieinställningarna" in response.content.decode()
    assert Registry.objects.get().mode == "automatic"


def test_a_manual_number_for_a_received_yttrande_shows_everywhere(client, world):
    _manual(world)
    submission = _received(world)
    client.force_login(world.users["coordinator"])
    url = reverse("followup:submission-register", args=[submission.pk])
    response = client.post(url, {"diarienummer": " LST 851-77-2023 "})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.diarienummer == "LST 851-77-2023"
    entry = AuditEntry.objects.get(action="followup.submission.registered")
    assert entry.changes == {"diarienummer": ["", "LST 851-77-2023"]}
    detail = client.get(reverse("followup:submission-detail", args=[submission.pk]))
    assert "LST 851-77-2023" in detail.content.decode()
    overview = client.get(reverse("followup:round-detail", args=[world.round.pk]))
    assert "Dnr LST 851-77-2023" in overview.content.decode()


def test_manual_numbers_are_unique_in_the_county_and_only_for_received(client, world):
    _manual(world)
    submission = _received(world)
    client.force_login(world.users["coordinator"])
    client.post(
        reverse("followup:submission-register", args=[submission.pk]), {"diarienummer": "A-1"}
    )
    other = world.other_submission
    response = client.post(
        reverse("followup:submission-register", args=[other.pk]),
        {"diarienummer": "A-1"},
        follow=True,
    )
    assert "först när det har kommit in" in response.content.decode()
    Submission.objects.filter(pk=other.pk).update(
        status=Submission.Status.SUBMITTED, submitted_at=submission.submitted_at
    )
    response = client.post(
        reverse("followup:submission-register", args=[other.pk]),
        {"diarienummer": "A-1"},
        follow=True,
    )
    assert "används redan" in response.content.decode()
    response = client.post(
        reverse("followup:submission-register", args=[other.pk]), {"diarienummer": ""}, follow=True
    )
    assert "Skriv diarienumret." in response.content.decode()
    other.refresh_from_db()
    assert other.diarienummer == ""


def test_no_manual_numbers_with_an_automatic_series(client, world):
    services.registry_update(
        county=world.plan.county, mode="automatic", prefix="851-", actor=world.users["coordinator"]
    )
    submission = _received(world)
    number = submission.diarienummer
    client.force_login(world.users["coordinator"])
    detail = client.get(reverse("followup:submission-detail", args=[submission.pk]))
    assert number in detail.content.decode()
    assert 'name="diarienummer"' not in detail.content.decode()
    response = client.post(
        reverse("followup:submission-register", args=[submission.pk]),
        {"diarienummer": "X-1"},
        follow=True,
    )
    assert "löpnummerserie" in response.content.decode()
    submission.refresh_from_db()
    assert submission.diarienummer == number


@pytest.mark.parametrize(
    ("role", "status"), [("reporter", 403), ("management", 403), ("other_county_coordinator", 404)]
)
def test_others_cannot_type_numbers(client, world, role, status):
    _manual(world)
    submission = _received(world)
    client.force_login(world.users[role])
    url = reverse("followup:submission-register", args=[submission.pk])
    assert client.post(url, {"diarienummer": "A-1"}).status_code == status
    submission.refresh_from_db()
    assert submission.diarienummer == ""


def test_a_final_report_gets_a_manual_number_shown_in_the_report(
    client, world, django_capture_on_commit_callbacks
):
    _manual(world)
    coordinator = world.users["coordinator"]
    draft = report_services.report_create(round_id=world.round.pk, actor=coordinator)
    client.force_login(coordinator)
    url = reverse("followup:report-register", args=[draft.pk])
    response = client.post(url, {"diarienummer": "LST 2023-5"}, follow=True)
    assert "först när den har fastställts" in response.content.decode()
    report = _final_report_from(draft, coordinator, django_capture_on_commit_callbacks)
    client.post(url, {"diarienummer": "LST 2023-5"})
    report.refresh_from_db()
    assert report.diarienummer == "LST 2023-5"
    page = client.get(reverse("followup:report-detail", args=[report.pk])).content.decode()
    assert "LST 2023-5" in page
    html = ReportRenderer().render_html(report_data(report_id=report.pk))
    assert '<p class="registration">Diarienummer: LST 2023-5</p>' in html
    client.force_login(world.users["reporter"])
    assert client.post(url, {"diarienummer": "LST 9"}).status_code == 403
    client.force_login(world.users["other_county_coordinator"])
    assert client.post(url, {"diarienummer": "LST 9"}).status_code == 404
    assert StatusReport.objects.get(pk=report.pk).diarienummer == "LST 2023-5"


def _final_report_from(draft, coordinator, capture):
    with capture(execute=True):
        report_builds.report_request_build(report_id=draft.pk, actor=coordinator)
    return report_services.report_finalise(report_id=draft.pk, actor=coordinator)
