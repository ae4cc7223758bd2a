"""Issue 15 item 6: an activity is highlighted under every goal it serves, identical activities
of several actors are one item naming them all, and every submitted activity is in the report
(highlighted under a goal, or in the appendix)."""

import pytest
from django.urls import reverse

from followup.exceptions import FollowUpError
from followup.models import ReportedActivity, ReportedActivityHighlight
from followup.reports import services
from followup.reports.context import editor_goals, report_data
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    # two goals of two delmål; activity a sits on delmål [1:1, 2:2, 2:1, 1:2, 1:1, 2:2][a]
    data = build_county(actors=4, submitted=3, activities=6, goals=2, sub_goals_per_goal=2)
    goal_one, goal_two = data.goals
    acts = data.activities
    acts[0].sub_goals.add(goal_two.sub_goals.get(code="2:1"))  # serves both goals
    return data


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator", county_code="06")


def shown_ids(data):
    chapters = {i for g in data.goals for item in g.activities for i in item.ids}
    appendix = {i for group in data.other_activities for item in group.items for i in item.ids}
    return chapters, appendix


def test_an_activity_is_highlighted_under_each_goal_it_serves(world, coordinator):
    goal_one, goal_two = world.goals
    acts = world.activities
    services.report_update(
        report_id=world.report.pk,
        actor=coordinator,
        expected_version=world.report.lock_version,
        fields={},
        highlights={acts[0].pk: {goal_one.pk: 1, goal_two.pk: 2}, acts[1].pk: {goal_two.pk: 1}},
    )
    data = report_data(report_id=world.report.pk)
    assert [item.id for item in data.goals[0].activities] == [acts[0].pk]
    assert [item.id for item in data.goals[1].activities] == [acts[1].pk, acts[0].pk]
    chapters, appendix = shown_ids(data)
    assert chapters == {acts[0].pk, acts[1].pk}
    # every other submitted activity is in the appendix, under the goal of its first delmål
    assert appendix == {a.pk for a in acts[2:]}
    assert [g.heading for g in data.other_activities] == [
        "Mål 1 – Målområde nummer 1",
        "Mål 2 – Målområde nummer 2",
    ]
    # the summary flag the exports read
    acts[0].refresh_from_db()
    assert acts[0].highlighted
    assert acts[0].highlight_order == 1
    # un-highlighting under one goal keeps the other
    services.report_update(
        report_id=world.report.pk,
        actor=coordinator,
        expected_version=None,
        fields={},
        highlights={acts[0].pk: {goal_two.pk: 3}},
    )
    assert list(
        ReportedActivityHighlight.objects.filter(activity=acts[0]).values_list("goal_id", "order")
    ) == [(goal_two.pk, 3)]


def test_a_goal_the_activity_does_not_serve_is_refused(world, coordinator):
    goal_one, _goal_two = world.goals
    act = world.activities[1]  # on delmål 2:2 only
    with pytest.raises(FollowUpError, match="hör inte till det valda målet"):
        services.report_update(
            report_id=world.report.pk,
            actor=coordinator,
            expected_version=None,
            fields={},
            highlights={act.pk: {goal_one.pk: 1}},
        )
    assert not ReportedActivityHighlight.objects.exists()


def test_identical_activities_of_several_actors_are_one_item(world):
    acts = world.activities
    original, copy = acts[1], acts[5]  # both on delmål 2:2, from two actors
    copy.title = "  " + original.title.upper() + " "
    copy.description = original.description.replace(" ", "  ") + "."
    copy.save()
    data = report_data(report_id=world.report.pk)
    items = data.goals[1].activities
    merged = [item for item in items if original.pk in item.ids]
    assert len(merged) == 1
    assert merged[0].ids == [original.pk, copy.pk]
    assert merged[0].organisations == [
        original.submission.organisation.name,
        copy.submission.organisation.name,
    ]
    assert merged[0].organisation == (
        f"{original.submission.organisation.name} och {copy.submission.organisation.name}"
    )
    assert [item.ids for item in items] == [[original.pk, copy.pk], [acts[2].pk]]


def test_nothing_highlighted_lists_every_activity_in_the_chapters(world):
    data = report_data(report_id=world.report.pk)
    chapters, appendix = shown_ids(data)
    assert chapters == {a.pk for a in world.activities}
    assert appendix == set()


def test_an_old_highlight_flag_without_goals_counts_under_the_first_goal(world):
    acts = world.activities
    ReportedActivity.objects.filter(pk=acts[1].pk).update(highlighted=True, highlight_order=1)
    data = report_data(report_id=world.report.pk)
    assert [item.id for item in data.goals[1].activities] == [acts[1].pk]
    assert data.goals[0].activities == []


def test_the_editor_offers_each_goal_of_an_activity(client, world, coordinator):
    goal_one, goal_two = world.goals
    act = world.activities[0]
    goals = editor_goals(report_id=world.report.pk)
    listed = {g["id"]: [a["id"] for a in g["activities"]] for g in goals}
    assert act.pk in listed[goal_one.pk]
    assert act.pk in listed[goal_two.pk]
    client.force_login(coordinator)
    url = reverse("followup:report-edit", args=[world.report.pk])
    page = client.get(url)
    html = page.content.decode()
    assert f'name="highlight_{goal_one.pk}_{act.pk}"' in html
    assert f'name="highlight_{goal_two.pk}_{act.pk}"' in html
    assert "Hör även till 1 annat mål." in html
    form = page.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "lock_version": world.report.lock_version,
            f"highlight_{goal_one.pk}_{act.pk}": "on",
            f"highlight_{goal_two.pk}_{act.pk}": "on",
            f"position_{goal_two.pk}_{act.pk}": "4",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:1500]
    rows = dict(
        ReportedActivityHighlight.objects.filter(activity=act).values_list("goal_id", "order")
    )
    assert rows[goal_two.pk] == 4
    assert set(rows) == {goal_one.pk, goal_two.pk}


def test_the_migration_keeps_old_highlights_under_the_goal_they_were_shown_under(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "followup.migrations.0009_reported_activity_highlight_goals"
    )
    acts = world.activities
    ReportedActivity.objects.filter(pk__in=[acts[0].pk, acts[1].pk]).update(
        highlighted=True, highlight_order=7
    )
    migration.highlight_flags_to_goals(apps, None)
    rows = set(ReportedActivityHighlight.objects.values_list("activity_id", "goal_id", "order"))
    # act 0 serves both goals but was shown under goal 1 (its first delmål's goal)
    assert rows == {(acts[0].pk, world.goals[0].pk, 7), (acts[1].pk, world.goals[1].pk, 7)}
