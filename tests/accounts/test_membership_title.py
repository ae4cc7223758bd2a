"""A member's title (shown under a signature in the lägesrapport) is set on the people pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from kvinnofrid.accounts import memberships, services
from kvinnofrid.accounts.models import Membership
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.models import OrganisationKind
from tests.factories import OrganisationFactory, county

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    board = OrganisationFactory(county=county("06"), kind=OrganisationKind.LANSSTYRELSE)
    return make_user("coordinator", organisation=board)


@pytest.fixture
def colleague(make_user, coordinator):
    """Another coordinator at the same board: a county coordinator may title them too."""
    board = coordinator.memberships.get().organisation
    return make_user("coordinator", organisation=board).memberships.get()


def _post(client, membership, title, next_page="people"):
    url = reverse("actors:membership-title", args=["06", membership.pk])
    return client.post(url, {f"t{membership.pk}-title": title, "next": next_page}, follow=True)


def test_a_coordinator_sets_a_colleagues_title_and_it_is_audited(client, coordinator, colleague):
    client.force_login(coordinator)
    response = _post(client, colleague, "  Länsråd  ")
    assert "Titeln är sparad." in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.title == "Länsråd"
    entry = AuditEntry.objects.get(action="accounts.membership.title_changed")
    assert entry.changes == {"title": ["", "Länsråd"]}
    # the people page shows it in the row's field, labelled for the person
    page = client.get(reverse("actors:people", args=["06"])).content.decode()
    assert 'value="Länsråd"' in page
    # the same title again writes no second entry; a blank one removes it
    _post(client, colleague, "Länsråd")
    assert AuditEntry.objects.filter(action="accounts.membership.title_changed").count() == 1
    _post(client, colleague, "")
    colleague.refresh_from_db()
    assert colleague.title == ""


@pytest.mark.parametrize("title", ["x" * 201, "Läns\x00råd", "Läns\nråd"])
def test_a_bad_title_gets_a_swedish_message_and_nothing_is_written(
    client, coordinator, colleague, title
):
    client.force_login(coordinator)
    response = _post(client, colleague, title)
    assert response.status_code == 200
    assert "Titeln sparades inte" in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.title == ""
    assert not AuditEntry.objects.filter(action="accounts.membership.title_changed").exists()


def test_the_service_refuses_what_the_form_would(coordinator, colleague):
    with pytest.raises(services.InvitationError, match="högst 200"):
        memberships.membership_set_title(
            actor=coordinator, membership_id=colleague.pk, title="x" * 201
        )
    assert Membership.objects.get(pk=colleague.pk).title == ""


def test_others_may_not_set_a_title(client, make_user, colleague):
    kronoberg = make_user("coordinator", county_code="07")
    reporter = make_user("reporter", county_code="06")
    for actor in (kronoberg, reporter):
        with pytest.raises(PermissionDenied):
            memberships.membership_set_title(actor=actor, membership_id=colleague.pk, title="Chef")
    # another county's coordinator does not see the county (404); a reporter is refused (403)
    client.force_login(kronoberg)
    assert _post(client, colleague, "Chef").status_code == 404
    client.force_login(reporter)
    assert _post(client, colleague, "Chef").status_code == 403
    assert Membership.objects.get(pk=colleague.pk).title == ""
