"""Every URL of the follow-up (issue 4) × role × own org / other org / other county."""

import pytest
from django.urls import reverse

from kvinnofrid.accounts.models import Membership, Role
from tests.factories import OrganisationFactory, ReportedActivityFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "reporter",
    "other_org_reporter",
    "management",
    "coordinator",
    "other_county_coordinator",
    "other_county_reporter",
    "observer",
]

# (url name, method, args key) -> expected status per role, in ROLES order.
MATRIX = {
    ("index", "get", None): [302, 200, 200, 200, 200, 200, 200, 200],
    ("round-create", "get", None): [302, 403, 403, 403, 200, 200, 403, 403],
    ("round-detail", "get", "round"): [302, 403, 403, 200, 200, 404, 404, 200],
    ("round-edit", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("round-questions", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("round-export", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("round-transition", "post", "round-close"): [302, 403, 403, 403, 302, 404, 404, 403],
    ("submission-edit", "get", "submission"): [302, 200, 404, 404, 200, 404, 404, 403],
    ("submission-detail", "get", "submission"): [302, 200, 404, 404, 200, 404, 404, 200],
    # the coordinator closed the round in the row above, so their submit is refused (302 + message)
    ("submission-submit", "post", "submission"): [302, 200, 404, 404, 302, 404, 404, 403],
    ("submission-copy-last-year", "post", "submission"): [302, 302, 404, 404, 302, 404, 404, 403],
    ("submission-review", "post", "submission-accept"): [302, 403, 404, 404, 302, 404, 404, 403],
    ("submission-review", "post", "submission-extend"): [302, 403, 404, 404, 302, 404, 404, 403],
    ("activity-add", "get", "submission"): [302, 200, 404, 404, 200, 404, 404, 403],
    ("activity-edit", "get", "activity"): [302, 200, 404, 404, 200, 404, 404, 403],
    ("activity-delete", "get", "activity"): [302, 200, 404, 404, 200, 404, 404, 403],
    # the national level (issue 14): observers only
    ("national-overview", "get", None): [302, 403, 403, 403, 403, 403, 403, 200],
    ("national-export", "get", None): [302, 403, 403, 403, 403, 403, 403, 200],
}


def _user(world, role):
    if role == "anonymous":
        return None
    if role == "observer":
        user = UserFactory()
        Membership.objects.create(
            user=user,
            organisation=OrganisationFactory(county=None, kind="myndighet"),
            role=Role.OBSERVER,
        )
        return user
    return world.users[role]


def _args(world, key, activity):
    return {
        None: [],
        "round": [world.round.pk],
        "round-close": [world.round.pk, "close"],
        "submission": [world.submission.pk],
        "submission-accept": [world.submission.pk, "accept"],
        "submission-extend": [world.submission.pk, "extend"],
        "activity": [world.submission.pk, activity.pk],
    }[key]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_permission_matrix(client, world, role_index):
    role = ROLES[role_index]
    user = _user(world, role)
    activity = ReportedActivityFactory(submission=world.submission)
    failures = []
    for (name, method, key), expected in MATRIX.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        url = reverse(f"followup:{name}", args=_args(world, key, activity))
        response = getattr(client, method)(url)
        if response.status_code != expected[role_index]:
            failures.append(
                f"{role} {method.upper()} {url}: {response.status_code} != {expected[role_index]}"
            )
    assert not failures, "\n".join(failures)


def test_every_followup_url_is_in_the_matrix():
    from followup.urls import urlpatterns

    mine = {p.name for p in urlpatterns if p.name and not p.name.startswith("report")}
    covered = {name for name, _m, _k in MATRIX}
    assert mine - covered <= set(), mine - covered


def test_management_sees_submitted_but_reporters_never_other_orgs(client, world):
    from followup import services
    from tests.followup.conftest import fill_required

    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    client.force_login(world.users["management"])
    assert (
        client.get(reverse("followup:submission-detail", args=[world.submission.pk])).status_code
        == 200
    )
    client.force_login(world.users["other_org_reporter"])
    assert (
        client.get(reverse("followup:submission-detail", args=[world.submission.pk])).status_code
        == 404
    )
