import datetime

import pytest
from django.core.exceptions import PermissionDenied

from agreements import services
from agreements.exceptions import AgreementError
from agreements.models import Agreement, Commitment, Meeting, Party
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.models import AuditEntry
from tests.factories import (
    AgreementFactory,
    OrganisationFactory,
    PartyFactory,
    county,
    national_goal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


def test_agreement_update_and_stale_refusal(coordinator):
    agreement = AgreementFactory(title="Gammal")
    services.agreement_update(
        agreement_id=agreement.pk, expected_version=0, data={"title": "Ny"}, actor=coordinator
    )
    with pytest.raises(StaleObjectError):
        services.agreement_update(
            agreement_id=agreement.pk,
            expected_version=0,
            data={"title": "Annan"},
            actor=coordinator,
        )
    agreement.refresh_from_db()
    assert agreement.title == "Ny"
    assert AuditEntry.objects.get(action="agreements.agreement_update").changes["title"] == [
        "Gammal",
        "Ny",
    ]


def test_agreement_dates_must_be_in_order(coordinator):
    agreement = AgreementFactory()
    with pytest.raises(AgreementError):
        services.agreement_update(
            agreement_id=agreement.pk,
            expected_version=0,
            data={
                "valid_from": datetime.date(2025, 1, 1),
                "valid_until": datetime.date(2024, 1, 1),
            },
            actor=coordinator,
        )


def test_only_county_coordinators_write(make_user):
    agreement = AgreementFactory()
    for user in (
        make_user("reporter"),
        make_user("management"),
        make_user("coordinator", county_code="07"),
    ):
        with pytest.raises(PermissionDenied):
            services.agreement_update(
                agreement_id=agreement.pk, expected_version=0, data={}, actor=user
            )
        with pytest.raises(PermissionDenied):
            services.agreement_create(county=county("06"), data={"title": "x"}, actor=user)


def test_parties_add_move_remove(coordinator):
    agreement = AgreementFactory()
    a = services.party_add(
        agreement_id=agreement.pk,
        expected_version=0,
        data={"organisation": OrganisationFactory(), "signatory_name": "A"},
        actor=coordinator,
    )
    b = services.party_add(
        agreement_id=agreement.pk,
        expected_version=1,
        data={"organisation": OrganisationFactory(), "signatory_name": "B"},
        actor=coordinator,
    )
    services.party_move(party_id=b.pk, direction="up", actor=coordinator)
    assert list(agreement.parties.order_by("order")) == [b, a]
    with pytest.raises(StaleObjectError):  # the agreement moved on to version 2
        services.party_remove(party_id=a.pk, expected_version=1, actor=coordinator)
    services.party_remove(party_id=a.pk, expected_version=2, actor=coordinator)
    assert list(agreement.parties.all()) == [b]


def test_party_must_be_of_county_and_unique(coordinator):
    agreement = AgreementFactory()
    party = PartyFactory(agreement=agreement)
    with pytest.raises(AgreementError):
        services.party_add(
            agreement_id=agreement.pk,
            expected_version=None,
            data={"organisation": party.organisation},
            actor=coordinator,
        )
    with pytest.raises(AgreementError):
        services.party_add(
            agreement_id=agreement.pk,
            expected_version=None,
            data={"organisation": OrganisationFactory(county=county("07"))},
            actor=coordinator,
        )


def test_commitments_and_meetings(coordinator):
    agreement = AgreementFactory()
    commitment = services.commitment_add(
        agreement_id=agreement.pk,
        expected_version=0,
        data={
            "heading": "Lagföring",
            "national_goal": national_goal(4),
            "indicator_hint": "antal samråd",
        },
        actor=coordinator,
    )
    services.commitment_update(
        commitment_id=commitment.pk,
        expected_version=1,
        data={"heading": "Högre lagföring"},
        actor=coordinator,
    )
    meeting = services.meeting_add(
        agreement_id=agreement.pk,
        expected_version=2,
        data={"date": datetime.date(2025, 3, 1), "decisions": "Beslut"},
        actor=coordinator,
    )
    assert Commitment.objects.get().heading == "Högre lagföring"
    services.meeting_remove(meeting_id=meeting.pk, expected_version=3, actor=coordinator)
    assert not Meeting.objects.exists()


def test_new_agreement_from_previous_copies_parties_and_commitments(coordinator):
    old = AgreementFactory(title="2021–2024", governing_body="Chefsrådet")
    PartyFactory(agreement=old, signatory_name="Landshövding")
    Commitment.objects.create(agreement=old, heading="Skydd", national_goal=national_goal(2))
    Meeting.objects.create(agreement=old, date=datetime.date(2023, 1, 1))
    new = services.agreement_copy(agreement_id=old.pk, actor=coordinator)
    assert new.previous == old
    assert new.signed_on is None
    assert new.valid_from is None
    assert new.governing_body == "Chefsrådet"
    assert Party.objects.filter(agreement=new).get().signatory_name == "Landshövding"
    assert Commitment.objects.filter(agreement=new).get().national_goal == national_goal(2)
    assert not new.meetings.exists()
    assert Agreement.objects.count() == 2
