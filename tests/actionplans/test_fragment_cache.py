"""The cached fragments of the plan view and the county start page: every change — through a
service, a reorder, a related row or the admin (a plain save) — shows on the next request, and
a fragment is never served to a viewer it was not rendered for."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from actionplans import services
from actionplans.models import ActionPlan
from agreements import services as agreement_services
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    PlannedActivityFactory,
    SubGoalFactory,
    national_goal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(make_user):
    return make_user("coordinator")


@pytest.fixture
def plan():
    plan = ActionPlanFactory(title="Handlingsplan mot våld")
    goal = GoalFactory(plan=plan, number=1, title="Ökad kunskap")
    goal.national_goals.set([national_goal(1)])
    SubGoalFactory(goal=goal, code="1:1", text="Första delmålet", order=0)
    SubGoalFactory(goal=goal, code="1:2", text="Andra delmålet", order=1)
    return plan


def _detail(plan):
    return reverse("actionplans:plan-detail", args=[plan.county.code, plan.pk])


def _page(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


# --- plan view ----------------------------------------------------------------------------------


def test_plan_view_is_served_from_the_cache_with_fewer_queries(
    client, coordinator, plan, django_assert_max_num_queries
):
    # given a plan view rendered on an empty cache (a miss stores the fragment)
    client.force_login(coordinator)
    _page(client, _detail(plan))  # warm the session and content types
    cache.clear()
    with django_assert_max_num_queries(50) as miss:
        _page(client, _detail(plan))
    # when it is requested again
    with django_assert_max_num_queries(len(miss.captured_queries) - 5):
        # then the tree comes from the cache: far fewer queries than the miss
        page = _page(client, _detail(plan))
    assert "Ökad kunskap" in page


def test_plan_view_shows_a_goal_edited_through_the_service(client, coordinator, plan):
    # given a cached plan view
    client.force_login(coordinator)
    assert "Ökad kunskap" in _page(client, _detail(plan))
    goal = plan.goals.get()
    # when the goal's title and national goals change through the service
    services.goal_update(
        goal_id=goal.pk,
        expected_version=goal.lock_version,
        data={"title": "Bättre stöd", "national_goals": [national_goal(3)]},
        actor=coordinator,
    )
    # then the next request shows them
    page = _page(client, _detail(plan))
    assert "Bättre stöd" in page
    assert "Ökad kunskap" not in page
    assert str(national_goal(3)) in page
    assert str(national_goal(1)) not in page


def test_plan_view_shows_a_reorder_of_delmal(client, coordinator, plan):
    # given a cached plan view with delmål 1:1 before 1:2
    client.force_login(coordinator)
    page = _page(client, _detail(plan))
    assert page.index("Första delmålet") < page.index("Andra delmålet")
    second = plan.goals.get().sub_goals.get(code="1:2")
    # when 1:2 moves up (a bulk reorder: no updated_at changes)
    services.subgoal_move(subgoal_id=second.pk, direction="up", actor=coordinator)
    # then the next request shows the new order
    page = _page(client, _detail(plan))
    assert page.index("Andra delmålet") < page.index("Första delmålet")


def test_plan_view_shows_added_and_deleted_parts(client, coordinator, plan):
    client.force_login(coordinator)
    sub = plan.goals.get().sub_goals.get(code="1:1")
    _page(client, _detail(plan))
    # when an activity is added through the service
    activity = services.activity_create(
        subgoal_id=sub.pk, data={"text": "Utbilda socialtjänsten"}, actor=coordinator
    )
    # then it shows
    assert "Utbilda socialtjänsten" in _page(client, _detail(plan))
    # and when it is deleted, it is gone
    services.activity_delete(
        activity_id=activity.pk, expected_version=activity.lock_version, actor=coordinator
    )
    assert "Utbilda socialtjänsten" not in _page(client, _detail(plan))


def test_plan_view_shows_related_rows_changed_outside_the_services(client, coordinator, plan):
    # given a plan with a responsible organisation, an indicator value, and a cached view
    client.force_login(coordinator)
    sub = plan.goals.get().sub_goals.get(code="1:1")
    org = OrganisationFactory(name="Region Gammalt namn")
    PlannedActivityFactory(sub_goal=sub).responsible.set([org])
    indicator = IndicatorFactory(plan=plan, name="Antal utbildade")
    value = indicator.values.create(year=2023, value=12)
    assert "Region Gammalt namn" in _page(client, _detail(plan))
    # when the organisation, the national goal and the value are saved as the admin would
    org.name = "Region Nytt namn"
    org.save()
    ng = national_goal(1)
    ng.short_title = "Ny kort rubrik"
    ng.save()
    value.value = 99
    value.save()
    # then the next request shows all three
    page = _page(client, _detail(plan))
    assert "Region Nytt namn" in page
    assert "Ny kort rubrik" in page
    assert "2023: 99" in page


def _activity_item(page, activity):
    item = page[page.index(f'<li id="aktivitet-{activity.pk}">') :]
    return item[: item.index("</li>")]


def test_plan_view_shows_two_activities_swapping_responsible_organisations(
    client, coordinator, plan
):
    # given two activities with one responsible organisation each, and a cached view
    client.force_login(coordinator)
    sub = plan.goals.get().sub_goals.get(code="1:1")
    police, region = OrganisationFactory(name="Polisen"), OrganisationFactory(name="Regionen")
    first, second = PlannedActivityFactory(sub_goal=sub), PlannedActivityFactory(sub_goal=sub)
    first.responsible.set([police])
    second.responsible.set([region])
    page = _page(client, _detail(plan))
    assert "Polisen" in _activity_item(page, first)
    # when they swap organisations through the link rows only (same count, same ids in all)
    first.responsible.set([region])
    second.responsible.set([police])
    # then each shows its new organisation
    page = _page(client, _detail(plan))
    assert "Regionen" in _activity_item(page, first)
    assert "Polisen" in _activity_item(page, second)


def test_county_start_shows_two_goals_swapping_national_goals(client, coordinator, plan):
    # given two goals linked to national goals 1 and 2, and a cached start page
    client.force_login(coordinator)
    first = plan.goals.get()
    second = GoalFactory(plan=plan, number=2, title="Tidiga insatser")
    second.national_goals.set([national_goal(2)])
    url = reverse("actionplans:county-start", args=[plan.county.code])
    _page(client, url)
    # when they swap national goals through the link rows only
    first.national_goals.set([national_goal(2)])
    second.national_goals.set([national_goal(1)])
    # then the goal table shows the swap
    page = _page(client, url)
    row = page[page.index("1. Ökad kunskap") :]
    assert str(national_goal(2)) in row[: row.index("</tr>")]


def test_plan_view_fragment_depends_on_the_edit_right(client, coordinator, make_user, plan):
    # given the coordinator's cached view of an adopted plan, with the "Revidera" link (a draft
    # is the coordinators' only: others get 404, issue 12 item 11)
    plan.status = plan.Status.ADOPTED
    plan.save(update_fields=["status"])
    client.force_login(coordinator)
    revise = reverse("actionplans:plan-revise", args=[plan.county.code, plan.pk])
    assert revise in _page(client, _detail(plan))
    # when a management member of the county opens it
    client.force_login(make_user("management"))
    # then they get a fragment without the edit link
    assert revise not in _page(client, _detail(plan))


def test_plan_view_cached_for_one_county_is_not_reachable_from_another(
    client, coordinator, make_user, plan
):
    # given a cached plan view in county 06
    client.force_login(coordinator)
    _page(client, _detail(plan))
    # when a coordinator of county 07 asks for it
    client.force_login(make_user("coordinator", county_code="07"))
    # then it is a 404, with or without the cache
    assert client.get(_detail(plan)).status_code == 404


def test_plan_view_fragment_is_per_language(client, coordinator, plan):
    # given the Swedish view in the cache
    client.force_login(coordinator)
    assert "Delmål" in _page(client, _detail(plan))
    # when the same plan is requested in English
    page = _page(client, _detail(plan), accept_language="en")
    # then the fragment is the English one
    assert "Sub-goals" in page


# --- county start page --------------------------------------------------------------------------


def _start(code="06"):
    return reverse("actionplans:county-start", args=[code])


def test_county_start_shows_an_agreement_edited_through_the_service(client, coordinator, plan):
    agreement = AgreementFactory(title="Överenskommelse 2024")
    client.force_login(coordinator)
    assert "Överenskommelse 2024" in _page(client, _start())
    # when the agreement's title changes through the service
    agreement_services.agreement_update(
        agreement_id=agreement.pk,
        expected_version=agreement.lock_version,
        data={"title": "Överenskommelse 2025"},
        actor=coordinator,
    )
    # then the start page shows it
    page = _page(client, _start())
    assert "Överenskommelse 2025" in page
    assert "Överenskommelse 2024" not in page


def test_county_start_shows_goal_changes_and_adoption(client, coordinator, plan):
    client.force_login(coordinator)
    assert "Ökad kunskap" in _page(client, _start())
    goal = plan.goals.get()
    # when a goal is renamed and then the plan adopted through the services
    services.goal_update(
        goal_id=goal.pk,
        expected_version=goal.lock_version,
        data={"title": "Bättre stöd"},
        actor=coordinator,
    )
    assert "Bättre stöd" in _page(client, _start())
    plan.refresh_from_db()
    services.plan_adopt(plan_id=plan.pk, expected_version=plan.lock_version, actor=coordinator)
    # then the start page shows the plan as adopted
    assert str(ActionPlan.Status.ADOPTED.label) in _page(client, _start())


def test_county_start_shows_a_goal_reorder(client, coordinator, plan):
    GoalFactory(plan=plan, number=2, title="Tidiga insatser", order=5)
    client.force_login(coordinator)
    page = _page(client, _start())
    assert page.index("Ökad kunskap") < page.index("Tidiga insatser")
    services.goal_move(goal_id=plan.goals.get(number=2).pk, direction="up", actor=coordinator)
    page = _page(client, _start())
    assert page.index("Tidiga insatser") < page.index("Ökad kunskap")


def test_county_start_fragment_depends_on_the_edit_right_and_county(
    client, coordinator, make_user, plan
):
    # the coordinators' button to the agreements (the layout's menu has its own link)
    agreements_link = 'btn-sm" href="{}"'.format(reverse("agreements:agreement-list", args=["06"]))
    client.force_login(coordinator)
    assert agreements_link in _page(client, _start())
    client.force_login(make_user("reporter"))
    assert agreements_link not in _page(client, _start())
    # another county's start page never shows this county's plan
    other = make_user("coordinator", county_code="07")
    client.force_login(other)
    assert "Ökad kunskap" not in _page(client, _start("07"))
    assert client.get(_start("06")).status_code == 404


def test_plan_view_breadcrumbs_show_a_renamed_plan(client, coordinator, plan):
    client.force_login(coordinator)
    assert "Handlingsplan mot våld" in _page(client, _detail(plan))
    # when the plan is renamed through the service
    services.plan_update(
        plan_id=plan.pk,
        expected_version=plan.lock_version,
        data={"title": "Handlingsplan 2026"},
        actor=coordinator,
    )
    # then the breadcrumbs and the heading show the new title, the old one is gone
    page = _page(client, _detail(plan))
    breadcrumbs = page[page.index('class="breadcrumb"') : page.index("</ol>")]
    assert "Handlingsplan 2026" in breadcrumbs
    assert "Handlingsplan mot våld" not in page


def test_a_deploy_with_changed_code_changes_every_fragment_key(monkeypatch, tmp_path, settings):
    # given the release digest of a code tree
    from actionplans import fragments

    (tmp_path / "followup").mkdir()
    tag = tmp_path / "followup" / "tags.py"
    tag.write_text("MARKUP = '<p>'")
    (tmp_path / "locale").mkdir()
    catalog = tmp_path / "locale" / "django.mo"
    catalog.write_bytes(b"one")
    settings.BASE_DIR = tmp_path
    before = fragments.release_digest.__wrapped__()
    # when the code that renders markup, or a translation, changes
    tag.write_text("MARKUP = '<p class=\"x\">'")
    after_code = fragments.release_digest.__wrapped__()
    catalog.write_bytes(b"two")
    after_translation = fragments.release_digest.__wrapped__()
    # then the digest changes each time, and it is part of every fragment's key
    assert len({before, after_code, after_translation}) == 3
    key = fragments.fragment_key(templates=("actionplans/_plan_tree.html",), version=(1,))
    monkeypatch.setattr(fragments, "release_digest", lambda: "another release")
    assert fragments.fragment_key(templates=("actionplans/_plan_tree.html",), version=(1,)) != key
