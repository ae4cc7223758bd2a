"""The actor pages: add, edit/deactivate and import through the browser forms."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory, county

HEADER = "name,kind,municipality_code,organisation_number,email\n"


@pytest.fixture
def coordinator_client(client, make_user):
    board = OrganisationFactory(county=county("06"), kind=OrganisationKind.LANSSTYRELSE)
    client.force_login(make_user("coordinator", organisation=board))
    return client


@pytest.mark.django_db
def test_add_checks_the_municipality_against_the_county(coordinator_client):
    url = reverse("actors:create", args=["06"])
    data = {"name": "Växjö kommun", "kind": "kommun", "municipality_code": "0780"}
    response = coordinator_client.post(url, data)
    assert response.status_code == 400
    assert not Organisation.objects.filter(name="Växjö kommun").exists()
    data = {"name": "Habo kommun", "kind": "kommun", "municipality_code": "0643"}
    response = coordinator_client.post(url, {**data, "organisation_number": "212000-1560"})
    assert response.status_code == 400
    assert "inte giltigt" in response.content.decode()
    response = coordinator_client.post(url, {**data, "organisation_number": "2120001561"})
    assert response.status_code == 302
    habo = Organisation.objects.get(name="Habo kommun")
    assert habo.organisation_number == "212000-1561"
    assert habo.county.code == "06"


@pytest.mark.django_db
def test_deactivation_keeps_the_organisation_and_audits_it(coordinator_client):
    jour = OrganisationFactory(county=county("06"), name="Jouren", kind="kvinnojour")
    url = reverse("actors:detail", args=["06", jour.pk])
    response = coordinator_client.post(
        url, {"name": "Jouren", "kind": "kvinnojour", "active_until": "2026-06-30"}
    )
    assert response.status_code == 302
    jour.refresh_from_db()
    assert jour.active_until == datetime.date(2026, 6, 30)
    entry = AuditEntry.objects.get(action="directory.organisation.deactivated")
    assert entry.changes["active_until"] == [None, "2026-06-30"]
    listing = coordinator_client.get(reverse("actors:list", args=["06"])).content.decode()
    assert "Aktörer som inte längre är aktiva" in listing


@pytest.mark.django_db
def test_import_previews_then_creates_all_rows(coordinator_client):
    url = reverse("actors:import", args=["06"])
    good = HEADER + "Jouren A,kvinnojour,,,\nJouren B,kvinnojour,,,a@b.example\n"
    response = coordinator_client.post(
        url, {"file": SimpleUploadedFile("a.csv", good.encode(), "text/csv")}
    )
    assert response.status_code == 200
    assert "Förhandsgranskning: 2 aktörer läggs till" in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Jouren").exists()
    response = coordinator_client.post(url, {"step": "create"})
    assert response.status_code == 302
    assert set(
        Organisation.objects.filter(name__startswith="Jouren").values_list("name", flat=True)
    ) == {
        "Jouren A",
        "Jouren B",
    }


@pytest.mark.django_db
def test_import_with_bad_rows_names_them_and_writes_nothing(coordinator_client):
    url = reverse("actors:import", args=["06"])
    bad = HEADER + "Jouren A,kvinnojour,0780,,\nJouren A,kvinnojour,,123,\n"
    before = Organisation.objects.count()
    response = coordinator_client.post(
        url, {"file": SimpleUploadedFile("a.csv", bad.encode(), "text/csv")}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Rad 2, municipality_code" in html
    assert "Rad 3, organisation_number" in html
    assert "Rad 3, name" in html
    # a confirm without a checked file creates nothing
    coordinator_client.post(url, {"step": "create"})
    assert Organisation.objects.count() == before
