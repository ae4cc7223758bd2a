"""The cached pages (kvinnofrid.core.fragments): each kind of write — through a service, the
admin, a plain save — shows on the next view; a hit reads no data; each viewer gets a CSRF token
of their own; the language is part of the key."""

import re

import pytest
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from actionplans import services as plan_services
from actionplans.models import Goal, NationalGoal
from agreements import services as agreement_services
from followup import selectors, services
from followup.models import Submission
from followup.reports import services as report_services
from kvinnofrid.core import fragments
from kvinnofrid.directory.models import County
from tests.factories import AgreementFactory, UserFactory
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _urls(world):
    return {
        "start": reverse("actionplans:county-start", args=["06"]),
        "plan": reverse("actionplans:plan-detail", args=["06", world.plan.pk]),
        "overview": reverse("followup:round-detail", args=[world.round.pk]),
        "reports": reverse("followup:report-list", args=["06"]),
        "form": reverse("followup:submission-edit", args=[world.submission.pk]),
    }


def _as(client, world, role):
    client.force_login(world.users[role])
    return client


def _goal_title(world, title):
    goal = Goal.objects.get(pk=world.goals[0].pk)
    plan_services.goal_update(
        goal_id=goal.pk,
        expected_version=goal.lock_version,
        data={"title": title},
        actor=world.users["coordinator"],
    )


@pytest.mark.parametrize(("role", "page"), [("coordinator", "plan"), ("reporter", "form")])
def test_a_plan_change_through_a_service_shows_on_the_next_view(client, world, role, page):
    url = _urls(world)[page]
    assert "Ökad kunskap" in _page(_as(client, world, role), url)
    # when the coordinator renames the goal
    _goal_title(world, "Bättre stöd")
    # then
    shown = _page(client, url)
    assert "Bättre stöd" in shown
    assert "Ökad kunskap" not in shown


def test_a_reorder_through_a_service_shows_on_the_next_view(client, world):
    # given delmål 1:1 before 1:2 (a move is a bulk update: no row signals)
    url = _urls(world)["plan"]
    shown = _page(_as(client, world, "coordinator"), url)
    assert shown.index("Kunskapen ska öka") < shown.index("Utbildning för personal")
    plan_services.subgoal_move(
        subgoal_id=world.sub_goals[1].pk, direction="up", actor=world.users["coordinator"]
    )
    shown = _page(client, url)
    assert shown.index("Utbildning för personal") < shown.index("Kunskapen ska öka")


def test_a_submission_shows_on_the_overview_and_the_start_page(client, world):
    _as(client, world, "coordinator")
    assert "Inskickade 0 av 2" in _page(client, _urls(world)["overview"])
    start = _page(client, _urls(world)["start"])
    # when the reporter fills in and submits the form through the services
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    # then both pages count it
    assert "Inskickade 1 av 2" in _page(client, _urls(world)["overview"])
    assert "Inskickade 0 av 2" in start
    assert "Inskickade 1 av 2" in _page(client, _urls(world)["start"])


def test_an_autosave_shows_on_the_reporters_next_view(client, world):
    url = _urls(world)["form"]
    _page(_as(client, world, "reporter"), url)
    question = world.round.questions.filter(kind="text").first()
    s = Submission.objects.get(pk=world.submission.pk)
    services.submission_save(
        submission_id=s.pk,
        lock_version=s.lock_version,
        answers={question.pk: {"text": "Samverkan med skolan"}},
        indicator_values={},
        actor=world.users["reporter"],
    )
    assert "Samverkan med skolan" in _page(client, url)


def test_a_report_and_a_round_change_show_on_their_pages(client, world):
    _as(client, world, "coordinator")
    assert "Inga utkast." in _page(client, _urls(world)["reports"])
    report = report_services.report_create(
        round_id=world.round.pk, actor=world.users["coordinator"]
    )
    after = _page(client, _urls(world)["reports"])
    assert "Inga utkast." not in after
    assert reverse("followup:report-detail", args=[report.pk]) in after
    # a round closed through the service shows in the start page's panel
    assert "– Öppen." in _page(client, _urls(world)["start"])
    services.round_close(round_id=world.round.pk, actor=world.users["coordinator"])
    assert "– Stängd." in _page(client, _urls(world)["start"])


def test_an_agreement_change_shows_on_the_start_page(client, world):
    agreement = AgreementFactory(county=world.plan.county, title="Överenskommelse A")
    url = _urls(world)["start"]
    assert "Överenskommelse A" in _page(_as(client, world, "coordinator"), url)
    agreement_services.agreement_update(
        agreement_id=agreement.pk,
        expected_version=None,
        data={"title": "Överenskommelse B"},
        actor=world.users["coordinator"],
    )
    assert "Överenskommelse B" in _page(client, url)


def test_plain_saves_outside_the_services_show_on_the_next_view(client, world):
    # rows changed as the shell or a data fix would: save(), m2m links, delete()
    url = _urls(world)["plan"]
    _page(_as(client, world, "coordinator"), url)
    sub_goal = world.sub_goals[0]
    sub_goal.text = "Kunskapen ska öka kraftigt"
    sub_goal.save()
    assert "Kunskapen ska öka kraftigt" in _page(client, url)
    national = NationalGoal.objects.order_by("pk").last()
    Goal.objects.get(pk=world.goals[0].pk).national_goals.set([national])
    assert str(national) in _page(client, url)
    world.sub_goals[2].delete()
    assert "Tidig upptäckt" not in _page(client, url)


def test_an_admin_edit_shows_on_the_next_view(client, world):
    # given a cached plan view
    url = _urls(world)["plan"]
    _page(_as(client, world, "coordinator"), url)
    # when an administrator renames the county in the admin
    admin = Client()
    admin.force_login(UserFactory(email="admin@example.se", is_staff=True, is_superuser=True))
    county = County.objects.get(code="06")
    change = reverse("admin:directory_county_change", args=[county.pk])
    form = admin.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, FieldFile)  # no logo uploaded
    }
    data["name"] = "Jönköpings län (nytt namn)"
    assert admin.post(change, data).status_code == 302
    # then the coordinator's next view shows the new name
    assert "Jönköpings län (nytt namn)" in _page(client, url)


def test_a_write_in_another_county_keeps_this_countys_fragments(client, world):
    url = _urls(world)["plan"]
    _page(_as(client, world, "coordinator"), url)
    versions = fragments._versions(world.plan.county_id)
    fragments.bump(County.objects.get(code="07").pk)
    assert fragments._versions(world.plan.county_id) == versions
    fragments.bump(world.plan.county_id)
    assert fragments._versions(world.plan.county_id) != versions


@pytest.mark.parametrize("page", ["start", "plan", "overview", "reports", "form"])
def test_a_hit_reads_no_data_to_decide_freshness(
    client, world, page, django_assert_max_num_queries
):
    role = "reporter" if page == "form" else "coordinator"
    url = _urls(world)[page]
    _page(_as(client, world, role), url)
    with django_assert_max_num_queries(100) as miss:
        fragments.bump(world.plan.county_id)
        _page(client, url)
    with django_assert_max_num_queries(len(miss.captured_queries) - 1) as hit:
        _page(client, url)
    # no aggregate over the shown tables: only the page's own scoped lookups
    assert not any("UNION ALL" in q["sql"] for q in hit.captured_queries)


@pytest.mark.parametrize("page", ["form", "reports"])
def test_two_viewers_get_their_own_csrf_tokens(world, page):
    role = "reporter" if page == "form" else "coordinator"
    tokens = []
    for _viewer in range(2):
        client = _as(Client(enforce_csrf_checks=True), world, role)
        shown = _page(client, _urls(world)[page])
        found = set(TOKEN.findall(shown))
        assert found
        assert "kvinnofrid-csrf" not in shown
        # the token works for its viewer: a POST carrying it passes the CSRF check
        answer = client.post(_urls(world)["form"], {"csrfmiddlewaretoken": found.pop()})
        assert answer.status_code != 403
        tokens.append(found | {client.cookies["csrftoken"].value})
    assert tokens[0].isdisjoint(tokens[1])


def test_the_language_is_part_of_the_key(client, world):
    url = _urls(world)["plan"]
    _as(client, world, "coordinator")
    swedish = _page(client, url)
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english = _page(client, url)
    assert swedish != english
    assert 'lang="en"' in english


def test_a_fragment_stored_while_a_write_is_open_is_not_served_after_its_commit(
    world, django_capture_on_commit_callbacks
):
    # a reader who renders while the write is not yet committed sees the old rows and stores
    # them under the version bumped inside the transaction; the bump after commit retires them
    def render(goals):
        return fragments.cached_fragment(
            template="followup/_plan_goals.html",
            county_id=world.plan.county_id,
            context=lambda: {"goals": goals},
        )

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        fragments.bump(world.plan.county_id)
        stale = render([])
        outline = selectors.plan_outline(plan_id=world.plan.pk)
        assert render(outline) == stale  # the stale entry is served until the commit
    assert "Ökad kunskap" in render(selectors.plan_outline(plan_id=world.plan.pk))
