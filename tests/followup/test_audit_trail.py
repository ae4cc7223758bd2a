"""Issue 16 item 4: a yttrande's whole life in Swedish sentences, its filters and CSV, and who
may read which trail."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup import services
from kvinnofrid.core.models import AuditEntry
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db


def _life(world):
    """create (round opened) → edit → submit → return → resubmit → accept."""
    reporter, coordinator = world.users["reporter"], world.users["coordinator"]
    reporter.full_name = "Anna Berg"
    reporter.save()
    coordinator.full_name = "Karin Lund"
    coordinator.save()
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=reporter)
    services.submission_return(
        submission_id=world.submission.pk, comment="Komplettera indikatorn.", actor=coordinator
    )
    services.submission_submit(submission_id=world.submission.pk, actor=reporter)
    services.submission_accept(submission_id=world.submission.pk, actor=coordinator)


def _url(world, **query):
    url = reverse("followup:submission-history", args=[world.submission.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_history_of_a_yttrande_tells_its_whole_life(client, world):
    # given a yttrande created, edited, submitted, returned, resubmitted and accepted
    _life(world)
    client.force_login(world.users["coordinator"])
    # when the coordinator opens its history
    page = client.get(_url(world)).content.decode()
    # then every step reads as a sentence, newest first
    steps = [
        "Karin Lund (Länsstyrelsen Jönköping) godkände yttrandet",
        "Anna Berg (Aneby kommun) skickade in yttrandet",
        "Karin Lund (Länsstyrelsen Jönköping) skickade tillbaka yttrandet för komplettering",
        "Anna Berg (Aneby kommun) skickade in yttrandet",
        "Anna Berg (Aneby kommun) sparade yttrandet",
        "Karin Lund (Länsstyrelsen Jönköping) skapade yttrandet och bjöd in aktören",
    ]
    positions = []
    start = 0
    for step in steps:
        start = page.index(step, start)
        positions.append(start)
        start += 1
    assert positions == sorted(positions)
    today = timezone.localtime().strftime("%Y-%m-%d")
    assert f"skickade in yttrandet {today} " in page
    # field changes: the status before → after with labels; the comment only as its length
    assert "<strong>Status:</strong> Inskickad → Återsänd för komplettering" in page
    assert "<strong>Kommentar vid återsändning:</strong> ändrad (23 tecken)" in page
    assert "Komplettera indikatorn" not in page
    assert "<strong>Indikatorn ”Antal utbildade” – värde:</strong> – → 12" in page
    table = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "followup.submission" not in table  # no raw keys in what is shown


def test_the_reporter_reads_their_own_yttrandes_history_only(client, world):
    _life(world)
    client.force_login(world.users["reporter"])
    assert client.get(_url(world)).status_code == 200
    other = reverse("followup:submission-history", args=[world.other_submission.pk])
    assert client.get(other).status_code == 404
    county = reverse("actors:county-history", args=["06"])
    assert client.get(county).status_code == 403
    client.force_login(world.users["other_county_coordinator"])
    assert client.get(_url(world)).status_code == 404
    assert client.get(county).status_code == 404


def test_filters_by_action_person_and_dates(client, world):
    _life(world)
    client.force_login(world.users["coordinator"])
    accepted = client.get(_url(world, action="followup.submission.accepted")).content.decode()
    assert "godkände yttrandet" in accepted
    assert "skickade in yttrandet 2" not in accepted
    by_reporter = client.get(_url(world, person=world.users["reporter"].pk)).content.decode()
    assert "Anna Berg" in by_reporter
    assert "Karin Lund (Länsstyrelsen" not in by_reporter
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    empty = client.get(_url(world, date_from=tomorrow.isoformat())).content.decode()
    assert "Inga händelser." in empty
    today = timezone.localdate().isoformat()
    assert "godkände" in client.get(_url(world, date_from=today, date_to=today)).content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "inte-ett-datum"},
        {"date_from": "2024-05-02", "date_to": "2024-05-01"},
        {"person": "99999"},
        {"action": "<script>"},
        {"sida": "x"},
    ],
)
def test_bad_filter_input_gives_a_message_not_an_error(client, world, query):
    _life(world)
    client.force_login(world.users["coordinator"])
    response = client.get(_url(world, **query))
    assert response.status_code == 200
    if "sida" not in query:
        assert "Filtret kunde inte användas" in response.content.decode()


def test_csv_export_is_excel_friendly_and_holds_no_formulas(client, world):
    _life(world)
    world.users["reporter"].full_name = '=HYPERLINK("http://x.example","Klicka")'
    world.users["reporter"].save()
    client.force_login(world.users["coordinator"])
    response = client.get(_url(world, format="csv", action="followup.submission.submitted"))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == "Tidpunkt;Person;Organisation;Händelse;Objekt;Ändringar"
    assert len(lines) == 3  # submitted twice
    for line in lines[1:]:
        person, sentence = line.split(";")[1], line.split(";")[3]
        assert person.startswith("\"'=HYPERLINK")
        assert sentence.startswith("\"'=HYPERLINK")


def test_csv_export_streams_every_entry_in_batches(client, world, monkeypatch):
    _life(world)
    client.force_login(world.users["coordinator"])

    def export() -> list[str]:
        response = client.get(_url(world, format="csv"))
        return b"".join(response.streaming_content).decode("utf-8-sig").split("\r\n")

    whole = export()  # one batch of 2,000
    # with batches of 2 entries the file is the same: every entry once, in the same order
    monkeypatch.setattr("kvinnofrid.accounts.audit_trail.CSV_BATCH", 2)
    assert export() == whole
    assert len(whole) - 2 > 4  # the header, the entries and the empty string after the last
    assert len(set(whole[1:-1])) == len(whole) - 2


def test_an_activity_deleted_stays_in_the_yttrandes_history(client, world):
    reporter = world.users["reporter"]
    world.submission.refresh_from_db()
    activity = services.activity_save(
        submission_id=world.submission.pk,
        activity_id=None,
        lock_version=world.submission.lock_version,
        data={"title": "Utbildningsdag", "sub_goals": [world.sub_goals[0].pk]},
        actor=reporter,
    )
    world.submission.refresh_from_db()
    services.activity_delete(
        submission_id=world.submission.pk,
        activity_id=activity.pk,
        lock_version=world.submission.lock_version,
        actor=reporter,
    )
    client.force_login(world.users["coordinator"])
    page = client.get(_url(world)).content.decode()
    assert "sparade aktiviteten ”Utbildningsdag” i yttrandet" in page
    assert "tog bort aktiviteten ”Utbildningsdag” ur yttrandet" in page
    assert AuditEntry.objects.filter(action="followup.activity.deleted").count() == 1


def test_round_county_and_national_pages(client, world, make_user):
    _life(world)
    client.force_login(world.users["coordinator"])
    round_page = client.get(reverse("followup:round-history", args=[world.round.pk]))
    assert "öppnade uppföljningsomgången" in round_page.content.decode()
    assert "godkände yttrandet" in round_page.content.decode()
    county_page = client.get(reverse("actors:county-history", args=["06"])).content.decode()
    assert "godkände yttrandet" in county_page
    assert client.get(reverse("actors:national-history")).status_code == 403
    admin = make_user("national_admin", county_code="06")
    client.force_login(admin)
    national = client.get(reverse("actors:national-history")).content.decode()
    assert "godkände yttrandet" in national
    assert client.get(reverse("actors:county-history", args=["06"])).status_code == 200


def test_the_trail_cannot_be_changed_through_the_portal(client, world):
    _life(world)
    client.force_login(world.users["coordinator"])
    count = AuditEntry.objects.count()
    for url in (_url(world), reverse("actors:county-history", args=["06"])):
        assert client.post(url, {"action": ""}).status_code == 405
        assert client.delete(url).status_code == 405
    assert AuditEntry.objects.count() == count


def test_agreement_and_report_pages_tell_their_history(client, world):
    from agreements.services import agreement_create
    from followup.reports.services import report_create, report_update

    coordinator = world.users["coordinator"]
    agreement = agreement_create(
        county=world.plan.county,
        data={"title": "Överenskommelse 2024", "meetings_per_year": 4},
        actor=coordinator,
    )
    report = report_create(round_id=world.round.pk, actor=coordinator)
    report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={"introduction": "Inledning."},
    )
    client.force_login(coordinator)
    url = reverse("agreements:agreement-history", args=["06", agreement.pk])
    page = client.get(url).content.decode()
    assert "skapade överenskommelsen" in page
    assert "Överenskommelse 2024" in page
    detail = client.get(reverse("agreements:agreement-detail", args=["06", agreement.pk]))
    assert url in detail.content.decode()
    report_page = client.get(reverse("followup:report-history", args=[report.pk])).content.decode()
    assert "ändrade lägesrapporten" in report_page
    assert "ändrad (10 tecken)" in report_page
    client.force_login(world.users["reporter"])
    assert client.get(url).status_code == 403
    assert (
        url
        not in client.get(
            reverse("agreements:agreement-detail", args=["06", agreement.pk])
        ).content.decode()
    )


def test_a_draft_plans_history_is_404_for_all_but_the_coordinators(client, world):
    from actionplans.models import ActionPlan
    from tests.factories import ActionPlanFactory

    draft = ActionPlanFactory(county=world.plan.county, status=ActionPlan.Status.DRAFT)
    url = reverse("actionplans:plan-history", args=["06", draft.pk])
    for role in ("reporter", "management"):
        client.force_login(world.users[role])
        assert client.get(url).status_code == 404
    client.force_login(world.users["coordinator"])
    assert client.get(url).status_code == 200
