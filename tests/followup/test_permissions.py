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

# (url name, method, args key) -> expected status per role, in ROLES order. The world's yttrande
# is not submitted yet, so management and the national observer do not see it (404).
MATRIX = {
    ("index", "get", None): [302, 200, 200, 200, 200, 200, 200, 200],
    ("round-create", "get", None): [302, 403, 403, 403, 200, 200, 403, 403],
    ("round-detail", "get", "round"): [302, 403, 403, 200, 200, 404, 404, 200],
    ("round-edit", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("round-questions", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("round-export", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    # reminders (issue 16 item 5), while the round is still open
    ("round-remind-all", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("round-remind-all", "post", "round"): [302, 403, 403, 403, 302, 404, 404, 403],
    ("submission-remind", "post", "submission"): [302, 403, 404, 404, 302, 404, 404, 404],
    # before the deadline, closing asks for a confirmation first (issue 15 item 8): 200
    ("round-transition", "post", "round-close"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("submission-edit", "get", "submission"): [302, 200, 404, 404, 200, 404, 404, 404],
    ("submission-detail", "get", "submission"): [302, 200, 404, 404, 200, 404, 404, 404],
    # the round is still open (closing waits for the confirmation), so the coordinator's empty
    # submit shows the form with its errors
    ("submission-submit", "post", "submission"): [302, 200, 404, 404, 200, 404, 404, 404],
    # a yttrande not sent in is no document: its PDF is 404 even for its own organisation (the
    # submitted cases: tests/followup/test_pdfua.py)
    ("submission-pdf", "get", "submission"): [302, 404, 404, 404, 404, 404, 404, 404],
    ("submission-copy-last-year", "post", "submission"): [302, 302, 404, 404, 302, 404, 404, 404],
    ("submission-review", "post", "submission-accept"): [302, 403, 404, 404, 302, 404, 404, 404],
    ("submission-review", "post", "submission-extend"): [302, 403, 404, 404, 302, 404, 404, 404],
    ("activity-add", "get", "submission"): [302, 200, 404, 404, 200, 404, 404, 404],
    ("activity-edit", "get", "activity"): [302, 200, 404, 404, 200, 404, 404, 404],
    ("activity-delete", "get", "activity"): [302, 200, 404, 404, 200, 404, 404, 404],
    # the diarium (issue 16 item 1): the county's coordinators configure and type numbers in
    ("registry-edit", "get", "county"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("registry-edit", "post", "county"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("submission-register", "post", "submission"): [302, 403, 404, 404, 302, 404, 404, 404],
    # the national level (issue 14): observers only
    ("national-overview", "get", None): [302, 403, 403, 403, 403, 403, 403, 200],
    ("national-export", "get", None): [302, 403, 403, 403, 403, 403, 403, 200],
    # audit trails (issue 16 item 4): the county's coordinators; a reporter their own yttrande's
    ("round-history", "get", "round"): [302, 403, 403, 403, 200, 404, 404, 403],
    ("submission-history", "get", "submission"): [302, 200, 404, 404, 200, 404, 404, 404],
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
        "county": ["06"],
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


@pytest.mark.parametrize("status", ["not_started", "draft", "returned"])
@pytest.mark.parametrize("role", ["observer", "management"])
def test_observers_and_management_see_submitted_yttranden_only(client, world, role, status):
    """Issue 12 item 11: a municipality's unsent yttrande is its own work in progress."""
    # given
    from followup.models import Submission

    Submission.objects.filter(pk=world.submission.pk).update(status=status)
    client.force_login(_user(world, role))
    detail = reverse("followup:submission-detail", args=[world.submission.pk])
    edit = reverse("followup:submission-edit", args=[world.submission.pk])
    # when / then: not sent in → 404
    assert client.get(detail).status_code == 404
    assert client.get(edit).status_code == 404
    # once it is sent in, they read it
    for sent in ("submitted", "accepted"):
        Submission.objects.filter(pk=world.submission.pk).update(status=sent)
        assert client.get(detail).status_code == 200
    assert Submission.objects.visible_to(_user(world, role)).filter(status=status).count() == 0
