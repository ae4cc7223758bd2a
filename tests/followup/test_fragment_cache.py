"""The cached fragments of the response overview and the start page's follow-up panel: every
change shows on the next request, and a fragment is never served to a viewer it was not
rendered for."""

import pytest
from django.urls import reverse

from actionplans import services as plan_services
from followup import services
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _overview(world):
    return reverse("followup:round-detail", args=[world.round.pk])


def _start():
    return reverse("actionplans:county-start", args=["06"])


def _activity(world, title, sub_goal):
    return services.activity_save(
        submission_id=world.submission.pk,
        activity_id=None,
        lock_version=None,
        data={"title": title, "sub_goals": [sub_goal.pk]},
        actor=world.users["reporter"],
    )


def _matrix_row(page, code):
    """The cells of the coverage matrix's row for delmål ``code``."""
    table = page[page.index("coverage-matrix") :]
    row = table[table.index(f'<th scope="row">{code} ') :]
    return row[: row.index("</tr>")]


def test_overview_shows_a_submission_submitted_through_the_service(client, world):
    # given the coordinator's cached overview with nothing submitted
    client.force_login(world.users["coordinator"])
    assert "Inskickade 0 av 2" in _page(client, _overview(world))
    # when the reporter submits through the service
    fill_required(world)
    _activity(world, "Kampanj", world.sub_goals[2])
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    # then the figures and the coverage matrix show it
    page = _page(client, _overview(world))
    assert "Inskickade 1 av 2" in page
    assert "<td>1</td>" in _matrix_row(page, "2:1")


def test_overview_shows_activity_changes_of_a_draft(client, world):
    client.force_login(world.users["coordinator"])
    page = _page(client, _overview(world))
    assert "Aneby kommun" in page
    # when the reporter adds an activity to the draft
    _activity(world, "Kampanj", world.sub_goals[0])
    # then the actor's activity count shows it
    page = _page(client, _overview(world))
    row = page[page.index("Aneby kommun") :]
    assert "<td>1</td>" in row[: row.index("</tr>")]


def test_overview_shows_delmal_changes_made_outside_the_services(client, world):
    # given a submitted submission whose activity covers delmål 1:1, and a cached overview
    fill_required(world)
    activity = _activity(world, "Kampanj", world.sub_goals[0])
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    client.force_login(world.users["coordinator"])
    page = _page(client, _overview(world))
    assert "<td>1</td>" in _matrix_row(page, "1:1")
    # when the activity's delmål are changed as the admin would (only the link rows change)
    activity.sub_goals.set([world.sub_goals[1]])
    # then the matrix moves the activity to 1:2
    page = _page(client, _overview(world))
    assert "<td>1</td>" not in _matrix_row(page, "1:1")
    assert "<td>1</td>" in _matrix_row(page, "1:2")


def test_overview_shows_renamed_actors_and_reordered_delmal(client, world):
    client.force_login(world.users["coordinator"])
    page = _page(client, _overview(world))
    # when an organisation is renamed (a plain save)
    world.org.name = "Aneby kommun (ny)"
    world.org.save()
    # then the actor table shows the new name
    assert "Aneby kommun (ny)" in _page(client, _overview(world))
    # and when the plan's delmål 1:2 moves up through the service (a bulk reorder)
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    page = _page(client, _overview(world))
    assert page.index('<th scope="row">1:1 ') < page.index('<th scope="row">1:2 ')
    plan_services.subgoal_move(
        subgoal_id=world.sub_goals[1].pk, direction="up", actor=world.users["coordinator"]
    )
    page = _page(client, _overview(world))
    assert page.index('<th scope="row">1:2 ') < page.index('<th scope="row">1:1 ')


def test_overview_fragment_depends_on_the_manage_right(client, world):
    detail = reverse("followup:submission-detail", args=[world.submission.pk])
    # given the coordinator's cached overview, which links every actor's submission
    client.force_login(world.users["coordinator"])
    assert detail in _page(client, _overview(world))
    # when management opens it, the draft is not linked
    client.force_login(world.users["management"])
    assert detail not in _page(client, _overview(world))
    # and another county's coordinator gets a 404
    client.force_login(world.users["other_county_coordinator"])
    assert client.get(_overview(world)).status_code == 404


def test_overview_fragment_has_no_csrf_token(client, world):
    # the buttons with forms are outside the fragment, rendered for each request
    client.force_login(world.users["coordinator"])
    first = _page(client, _overview(world))
    client.logout()
    client.force_login(world.users["coordinator"])
    second = _page(client, _overview(world))
    token = 'name="csrfmiddlewaretoken" value="'
    assert token in first
    assert first.count(token) == second.count(token)
    fragment = second[second.index('id="summary-h"') :]
    fragment = fragment[: fragment.index("</section>", fragment.index('id="coverage-h"'))]
    assert "csrfmiddlewaretoken" not in fragment


def test_start_page_panel_shows_submissions_and_depends_on_the_role(client, world):
    # given the coordinator's cached start page panel
    client.force_login(world.users["coordinator"])
    assert "Inskickade 0 av 2" in _page(client, _start())
    # when a submission is submitted through the service
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    # then the panel shows it
    assert "Inskickade 1 av 2" in _page(client, _start())
    # and management sees the figures, a reporter does not
    client.force_login(world.users["management"])
    assert "Inskickade 1 av 2" in _page(client, _start())
    client.force_login(world.users["reporter"])
    page = _page(client, _start())
    assert world.round.title in page
    assert "Inskickade" not in page


def test_start_page_panel_shows_a_round_transition(client, world):
    client.force_login(world.users["coordinator"])
    page = _page(client, _start())
    assert str(world.round.Status.OPEN.label) in page
    services.round_close(round_id=world.round.pk, actor=world.users["coordinator"])
    assert str(world.round.Status.CLOSED.label) in _page(client, _start())


def test_report_list_shows_reports_created_and_edited_through_the_services(client, world):
    from followup.reports import services as report_services

    coordinator = world.users["coordinator"]
    url = reverse("followup:report-list", args=["06"])
    create_button = f"Skapa lägesrapport för {world.round.title}"
    # given the coordinator's cached list: no drafts, a form to start one for the round
    client.force_login(coordinator)
    page = _page(client, url)
    assert create_button in page
    assert 'name="csrfmiddlewaretoken"' in page[page.index('id="new-h"') :]
    # when a draft is created and retitled through the services
    report = report_services.report_create(round_id=world.round.pk, actor=coordinator)
    page = _page(client, url)
    assert reverse("followup:report-detail", args=[report.pk]) in page
    assert create_button not in page
    report_services.report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={"title": "Lägesrapport med ny rubrik"},
    )
    # then the list shows the new title
    assert "Lägesrapport med ny rubrik" in _page(client, url)
    # and management, who may not edit, gets a list without drafts
    client.force_login(world.users["management"])
    assert "Lägesrapport med ny rubrik" not in _page(client, url)


def test_overview_shows_round_details_edited_through_the_service(client, world):
    import datetime

    client.force_login(world.users["coordinator"])
    assert "Sista svarsdag" in _page(client, _overview(world))
    # when the coordinator moves the deadline through the service
    round_ = world.round
    round_.refresh_from_db()
    services.round_update(
        round_id=round_.pk,
        lock_version=round_.lock_version,
        title=round_.title,
        instructions=round_.instructions,
        opens_on=round_.opens_on,
        deadline=datetime.date(2031, 3, 14),
        organisation_ids=[world.org.pk, world.other_org.pk],
        actor=world.users["coordinator"],
    )
    # then the overview's details show the new date
    assert "14 mars 2031" in _page(client, _overview(world))
