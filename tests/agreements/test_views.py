import pytest
from django.urls import reverse

from agreements.models import Agreement, Party
from tests.factories import AgreementFactory, OrganisationFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client, make_user):
    client.force_login(make_user("coordinator"))
    return client


def test_detail_is_read_only_for_management(client, make_user):
    agreement = AgreementFactory()
    PartyFactory(agreement=agreement, signatory_name="Anna Andersson")
    client.force_login(make_user("management"))
    content = client.get(
        reverse("agreements:agreement-detail", args=["06", agreement.pk])
    ).content.decode()
    assert "Anna Andersson" in content
    assert "Lägg till part" not in content


def test_edit_conflict_page_keeps_my_values(coordinator_client):
    agreement = AgreementFactory(title="Original")
    url = reverse("agreements:agreement-edit", args=["06", agreement.pk])
    form = {"title": "Deras", "lock_version": 0}
    assert coordinator_client.post(url, form).status_code == 302
    response = coordinator_client.post(url, {"title": "Min titel", "lock_version": 0})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Min titel" in content
    assert "Deras" in content
    agreement.refresh_from_db()
    assert agreement.title == "Deras"


def test_party_add_via_form_and_stale_party_edit(coordinator_client):
    agreement = AgreementFactory()
    org = OrganisationFactory(name="Region Jönköpings län")
    url = reverse("agreements:item-create", args=["06", agreement.pk, "parter"])
    response = coordinator_client.post(
        url,
        {
            "organisation": org.pk,
            "signatory_name": "Mia",
            "signatory_title": "Regiondirektör",
            "lock_version": 0,
        },
    )
    assert response.status_code == 302
    party = Party.objects.get()
    edit = reverse("agreements:item-edit", args=["06", agreement.pk, "parter", party.pk])
    response = coordinator_client.post(
        edit, {"organisation": org.pk, "signatory_name": "Gammal flik", "lock_version": 0}
    )
    assert response.status_code == 409
    assert "Gammal flik" in response.content.decode()


def test_copy_creates_new_agreement(coordinator_client):
    agreement = AgreementFactory()
    url = reverse("agreements:agreement-copy", args=["06", agreement.pk])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(url)
    assert response.status_code == 302
    assert Agreement.objects.filter(previous=agreement).exists()


def test_create_agreement_bad_dates_show_message(coordinator_client):
    url = reverse("agreements:agreement-create", args=["06"])
    response = coordinator_client.post(
        url, {"title": "Ny", "valid_from": "2025-01-01", "valid_until": "2024-01-01"}
    )
    assert response.status_code == 200
    assert "Slutdatumet kan inte ligga före startdatumet." in response.content.decode()
    assert not Agreement.objects.exists()
