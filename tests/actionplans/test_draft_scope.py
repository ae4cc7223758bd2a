"""Issue 12 item 11: a draft plan is for the county's coordinators; everyone else gets 404."""

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan
from actionplans.permissions import can_view_plan
from kvinnofrid.accounts.models import Role
from tests.factories import ActionPlanFactory, county

pytestmark = pytest.mark.django_db

READERS = [Role.REPORTER, Role.MANAGEMENT, Role.OBSERVER]


@pytest.fixture
def plans():
    adopted = ActionPlanFactory(county=county("06"), status=ActionPlan.Status.ADOPTED, version=1)
    draft = ActionPlanFactory(county=county("06"), status=ActionPlan.Status.DRAFT, version=2)
    return adopted, draft


def _pages(plan):
    args = {"county_code": plan.county.code, "pk": plan.pk}
    return [
        reverse("actionplans:plan-detail", kwargs=args),
        reverse("actionplans:plan-export", kwargs={**args, "fmt": "json"}),
    ]


@pytest.mark.parametrize("role", READERS)
def test_readers_get_404_on_a_draft_plan_but_read_the_adopted_one(client, make_user, plans, role):
    # given
    adopted, draft = plans
    user = make_user(role, county_code="06")
    client.force_login(user)
    # then
    for url in _pages(draft):
        assert client.get(url).status_code == 404, url
    for url in _pages(adopted):
        assert client.get(url).status_code == 200, url
    assert list(ActionPlan.objects.visible_to(user).filter(county__code="06")) == [adopted]
    assert not can_view_plan(user, draft)
    assert can_view_plan(user, adopted)


def test_the_countys_coordinator_sees_the_draft_and_another_countys_does_not(
    client, make_user, plans
):
    _adopted, draft = plans
    own = make_user(Role.COORDINATOR, county_code="06")
    other = make_user(Role.COORDINATOR, county_code="07")
    client.force_login(own)
    for url in _pages(draft):
        assert client.get(url).status_code == 200, url
    assert can_view_plan(own, draft)
    client.force_login(other)
    for url in _pages(draft):
        assert client.get(url).status_code == 404, url
    assert not can_view_plan(other, draft)
    assert not ActionPlan.objects.visible_to(other).filter(pk=draft.pk).exists()
