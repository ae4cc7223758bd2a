"""Strategy frames as data (issue 14): the loaded frames, import_strategy, the frame pages, and
plans that name their frame (the goal form offers only that frame's goals)."""

import copy
import datetime
import io
import json
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from actionplans import interchange, services, strategies
from actionplans.exceptions import PlanError
from actionplans.management.commands.import_strategy import Command as ImportStrategyCommand
from actionplans.models import (
    ActionPlan,
    Goal,
    GoalCrosswalk,
    NationalGoal,
    NationalStrategy,
    NationalSubGoal,
)
from kvinnofrid.core.models import AuditEntry
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    GoalFactory,
    county,
    national_goal,
)

pytestmark = pytest.mark.django_db

STRATEGY_2017 = "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"
NEW_FRAME = "Nationell strategi mot våld 2027–2036"


def frame_2017() -> NationalStrategy:
    return NationalStrategy.objects.get(name=STRATEGY_2017)


def programme() -> NationalStrategy:
    return NationalStrategy.objects.get(name__startswith="Åtgärdsprogram")


def strategy_file(**changes) -> dict:
    data = {
        "format": "kvinnofrid-strategy/1",
        "title": NEW_FRAME,
        "valid_from": "2027-01-01",
        "valid_to": "2036-12-31",
        "goals": [
            {"number": 1, "title": "Våld förebyggs tidigt"},
            {"number": 2, "title": "Våldsutsatta får skydd och stöd", "sub_goals": ["Barn"]},
            {"number": 3, "title": "Fler brott klaras upp"},
        ],
        "crosswalk": [
            {"from_strategy": STRATEGY_2017, "from_goal": 1, "to_goals": [1]},
            {"from_strategy": STRATEGY_2017, "from_goal": 2, "to_goals": [2]},
        ],
    }
    data.update(changes)
    return data


def write(tmp_path, data, name="ram.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


# --- the loaded frames ---------------------------------------------------------------------------


def test_two_frames_are_loaded_with_their_goals_and_crosswalk():
    assert NationalStrategy.objects.count() == 2
    old, new = frame_2017(), programme()
    assert (old.valid_from, old.valid_until) == (
        datetime.date(2017, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert (new.valid_from, new.valid_until) == (
        datetime.date(2024, 1, 1),
        datetime.date(2026, 12, 31),
    )
    assert [g.title for g in new.goals.order_by("number")] == [
        "Övergripande åtgärder för en långsiktig och hållbar struktur för stöd, organisering "
        "och uppföljning",
        "Tidiga och förebyggande insatser, med fokus på barn och unga och hedersrelaterat våld "
        "och förtryck",
        "Återfallsförebyggande insatser med fokus på våldsutövare",
        "Förbättrad upptäckt av våld och starkare skydd och stöd till utsatta",
        "Effektivare brottsbekämpning",
        "Förbättrad kunskap och metodutveckling",
    ]
    assert old.goals.count() == 4
    assert strategies.crosswalk_map(from_strategy=old, to_strategy=new) == {
        1: [2, 3],
        2: [4],
        3: [5],
        4: [6],
    }


# --- import_strategy -----------------------------------------------------------------------------


def test_import_strategy_creates_frame_goals_sub_goals_and_crosswalk(tmp_path):
    out = io.StringIO()
    call_command("import_strategy", write(tmp_path, strategy_file()), stdout=out)
    frame = NationalStrategy.objects.get(name=NEW_FRAME)
    assert out.getvalue().strip().splitlines()[-1] == str(frame.pk)
    assert frame.period_label == "2027–2036"
    assert list(frame.goals.values_list("number", flat=True)) == [1, 2, 3]
    assert list(NationalSubGoal.objects.filter(goal__strategy=frame).values_list("title")) == [
        ("Barn",)
    ]
    assert strategies.crosswalk_map(from_strategy=frame_2017(), to_strategy=frame) == {
        1: [1],
        2: [2],
    }
    assert AuditEntry.objects.filter(action="actionplans.strategy_import").count() == 1


def _bad(mutate):
    data = strategy_file()
    mutate(data)
    return data


BAD_FILES = [
    (_bad(lambda d: d.update(format="kvinnofrid-plan/1")), "format"),
    (_bad(lambda d: d.update(title="")), "title: får inte vara tom"),
    (_bad(lambda d: d.update(title="Ny\x07ram")), "title: innehåller ett otillåtet tecken"),
    (_bad(lambda d: d.update(title=STRATEGY_2017)), "title: det finns redan"),
    (_bad(lambda d: d.update(valid_from="2027-02-30")), "valid_from: är inte ett giltigt datum"),
    (_bad(lambda d: d.update(valid_from=2027)), "valid_from: ska vara ett datum"),
    (_bad(lambda d: d.update(valid_to="2026-12-31")), "valid_to: perioden kan inte sluta"),
    (_bad(lambda d: d.update(goals="1. Förebygga")), "goals: ska vara en lista"),
    (_bad(lambda d: d.update(goals=[])), "goals: får inte vara tom"),
    (_bad(lambda d: d["goals"][0].update(number=10**400)), "goals[0].number: ska vara mellan"),
    (_bad(lambda d: d["goals"][0].update(number=True)), "goals[0].number: ska vara ett heltal"),
    (_bad(lambda d: d["goals"][1].update(number=1)), "goals[1].number: nummer 1 finns redan"),
    (_bad(lambda d: d["goals"][2].update(title=["x"])), "goals[2].title: ska vara en text"),
    (_bad(lambda d: d["goals"][1].update(sub_goals=[7])), "goals[1].sub_goals[0]: ska vara"),
    (
        _bad(lambda d: d["crosswalk"][1].update(from_strategy="Okänd strategi")),
        "crosswalk[1].from_strategy: okänd nationell ram",
    ),
    (
        _bad(lambda d: d["crosswalk"][0].update(from_goal=9)),
        "crosswalk[0].from_goal: ramen har ingen målsättning nummer 9",
    ),
    (
        _bad(lambda d: d["crosswalk"][0].update(to_goals=[4])),
        "crosswalk[0].to_goals[0]: filen har ingen målsättning nummer 4",
    ),
    (_bad(lambda d: d.update(crosswalk={"a": 1})), "crosswalk: ska vara en lista"),
    ('{"format": "kvinnofrid-strategy/1", "title": NaN}', "filen: filen är inte giltig JSON"),
    ("[1, 2", "filen: filen är inte giltig JSON"),
    ("[]", "filen: ska vara ett objekt"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_strategy_file_is_refused_naming_the_field_and_writes_nothing(tmp_path, data, message):
    before = (
        NationalStrategy.objects.count(),
        NationalGoal.objects.count(),
        GoalCrosswalk.objects.count(),
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("import_strategy", write(tmp_path, data), stdout=io.StringIO())
    assert message in str(excinfo.value)
    assert before == (
        NationalStrategy.objects.count(),
        NationalGoal.objects.count(),
        GoalCrosswalk.objects.count(),
    )


def test_import_strategy_exits_with_status_1_on_a_bad_file(tmp_path, capsys):
    path = write(tmp_path, strategy_file(valid_to="slut"))
    with pytest.raises(SystemExit) as excinfo:
        ImportStrategyCommand().run_from_argv(["manage.py", "import_strategy", path])
    assert excinfo.value.code == 1
    assert "valid_to" in capsys.readouterr().err


def test_a_file_failing_at_its_last_crosswalk_row_writes_nothing(tmp_path):
    data = strategy_file()
    data["crosswalk"].append({"from_strategy": STRATEGY_2017, "from_goal": 3, "to_goals": [99]})
    with pytest.raises(CommandError, match=r"crosswalk\[2\]\.to_goals\[0\]"):
        call_command("import_strategy", write(tmp_path, data), stdout=io.StringIO())
    assert not NationalStrategy.objects.filter(name=NEW_FRAME).exists()


# --- the acceptance path: a 2027 plan on an imported third frame --------------------------------


def test_plan_2027_on_an_imported_frame_offers_only_that_frames_goals(tmp_path, client, make_user):
    # given a third frame imported from a file
    call_command("import_strategy", write(tmp_path, strategy_file()), stdout=io.StringIO())
    frame = NationalStrategy.objects.get(name=NEW_FRAME)
    assert NationalStrategy.objects.count() == 3
    client.force_login(make_user("coordinator"))
    # when a coordinator creates a 2027 plan on it in the browser
    response = client.post(
        reverse("actionplans:plan-create", args=["06"]),
        {
            "title": "Handlingsplan 2027–2030",
            "kind": "handlingsplan",
            "period_start": 2027,
            "period_end": 2030,
            "strategy": frame.pk,
        },
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(title="Handlingsplan 2027–2030")
    assert plan.strategy == frame
    # then its goal form offers only that frame's goals, labelled with the frame's title
    page = client.get(reverse("actionplans:part-create", args=["06", plan.pk, "mal"]))
    content = page.content.decode()
    assert f"Nationella målsättningar i {NEW_FRAME}" in content
    offered = {int(pk) for pk in re.findall(r'name="national_goals" value="(\d+)"', content)}
    assert offered == set(frame.goals.values_list("pk", flat=True))
    # and a goal posted with another frame's national goal is refused
    response = client.post(
        reverse("actionplans:part-create", args=["06", plan.pk, "mal"]),
        {"number": 1, "title": "Förebygga", "national_goals": [national_goal(1).pk]},
    )
    assert response.status_code == 200
    assert not Goal.objects.filter(plan=plan).exists()


def test_goal_service_refuses_a_national_goal_of_another_frame(make_user):
    plan = ActionPlanFactory(strategy=programme())
    with pytest.raises(PlanError, match="planens nationella ram"):
        services.goal_create(
            plan_id=plan.pk,
            data={"number": 1, "title": "Mål", "national_goals": [national_goal(1)]},
            actor=make_user("coordinator"),
        )


def test_changing_the_frame_of_a_plan_with_mapped_goals_is_refused(make_user):
    plan = ActionPlanFactory()
    GoalFactory(plan=plan).national_goals.set([national_goal(1)])
    with pytest.raises(PlanError, match="annan nationell ram"):
        services.plan_update(
            plan_id=plan.pk,
            expected_version=plan.lock_version,
            data={"strategy": programme()},
            actor=make_user("coordinator"),
        )
    assert ActionPlan.objects.get(pk=plan.pk).strategy == frame_2017()


# --- plans linked to the county's agreement ------------------------------------------------------


def test_plan_form_links_the_countys_agreement_and_frame(client, make_user):
    own = AgreementFactory(title="Jönköpings överenskommelse")
    other = AgreementFactory(title="Kronobergs överenskommelse", county=county("07"))
    plan = ActionPlanFactory()
    client.force_login(make_user("coordinator"))
    url = reverse("actionplans:plan-edit", args=["06", plan.pk])
    content = client.get(url).content.decode()
    assert own.title in content
    assert other.title not in content
    form = {
        "title": plan.title,
        "kind": plan.kind,
        "period_start": 2024,
        "period_end": 2026,
        "strategy": programme().pk,
        "agreement": own.pk,
        "lock_version": plan.lock_version,
    }
    assert client.post(url, form).status_code == 302
    plan.refresh_from_db()
    assert (plan.agreement, plan.strategy) == (own, programme())
    # another county's agreement is not a choice
    response = client.post(url, {**form, "agreement": other.pk, "lock_version": 1})
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.agreement == own


def test_plan_service_refuses_another_countys_agreement(make_user):
    other = AgreementFactory(county=county("07"))
    with pytest.raises(PlanError, match="planens län"):
        services.plan_create(
            county=county("06"),
            data={
                "title": "X",
                "period_start": 2024,
                "period_end": 2026,
                "agreement": other,
                "strategy": frame_2017(),
            },
            actor=make_user("coordinator"),
        )


# --- the plan interchange names the frame --------------------------------------------------------


def test_plan_file_carries_its_frame_by_title_and_round_trips():
    plan = ActionPlanFactory(strategy=programme())
    GoalFactory(plan=plan, number=1).national_goals.set([programme().goals.get(number=6)])
    exported = interchange.plan_export(plan=plan)
    assert exported["strategy"] == programme().name
    again = interchange.plan_import(data=exported, actor=None, skip_permission_checks=True)
    assert again.strategy == programme()
    assert interchange.plan_export(plan=again) == exported
    xlsx = interchange.parse_plan_file(
        content=interchange.plan_to_xlsx(exported), filename="plan.xlsx"
    )
    assert xlsx["strategy"] == programme().name


def test_plan_file_naming_an_unknown_frame_is_refused():
    data = interchange.plan_export(plan=ActionPlanFactory())
    broken = copy.deepcopy(data)
    broken["strategy"] = "Ingen sådan ram"
    with pytest.raises(interchange.PlanImportError, match="strategy: okänd nationell strategi"):
        interchange.plan_import(data=broken, actor=None, skip_permission_checks=True)


# --- the frame pages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("national_admin", 200, 200),
        ("observer", 200, 403),
        ("coordinator", 404, 404),
        ("management", 404, 404),
        ("reporter", 404, 404),
    ],
)
def test_frame_pages_by_role(client, make_user, role, read, write):
    client.force_login(make_user(role))
    frame = frame_2017()
    goal = frame.goals.get(number=1)
    for name, args in [("strategy-list", []), ("strategy-detail", [frame.pk])]:
        assert client.get(reverse(f"actionplans:{name}", args=args)).status_code == read
    for name, args in [
        ("strategy-create", []),
        ("strategy-edit", [frame.pk]),
        ("strategy-goal-create", [frame.pk]),
        ("strategy-goal-edit", [frame.pk, goal.pk]),
        ("strategy-goal-delete", [frame.pk, goal.pk]),
    ]:
        assert client.get(reverse(f"actionplans:{name}", args=args)).status_code == write


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("actionplans:strategy-list"))
    assert response.status_code == 302
    assert "logga-in" in response["Location"]


def test_national_admin_creates_a_frame_with_goals_and_crosswalk(client, make_user):
    client.force_login(make_user("national_admin"))
    response = client.post(
        reverse("actionplans:strategy-create"),
        {"name": NEW_FRAME, "valid_from": "2027-01-01", "valid_until": "2036-12-31"},
    )
    frame = NationalStrategy.objects.get(name=NEW_FRAME)
    assert response["Location"] == reverse("actionplans:strategy-detail", args=[frame.pk])
    old_goal = frame_2017().goals.get(number=3)
    response = client.post(
        reverse("actionplans:strategy-goal-create", args=[frame.pk]),
        {"number": 1, "title": "Fler brott klaras upp", "sub_goals": "Lagföring\n\nSamråd\n"},
    )
    assert response.status_code == 302
    new_goal = frame.goals.get(number=1)
    assert [s.title for s in new_goal.sub_goals.all()] == ["Lagföring", "Samråd"]
    # the crosswalk is edited from the earlier frame's goal: it continues in the new one
    response = client.post(
        reverse("actionplans:strategy-goal-edit", args=[old_goal.strategy_id, old_goal.pk]),
        {
            "number": 3,
            "title": old_goal.title,
            "short_title": old_goal.short_title,
            "continues_in": [programme().goals.get(number=5).pk, new_goal.pk],
        },
    )
    assert response.status_code == 302
    assert strategies.crosswalk_map(from_strategy=frame_2017(), to_strategy=frame) == {3: [1]}
    content = client.get(reverse("actionplans:strategy-detail", args=[frame.pk])).content.decode()
    assert "Fortsätter från" in content
    assert "Lagföring" in content


def test_frame_form_refuses_a_period_ending_before_it_starts(client, make_user):
    client.force_login(make_user("national_admin"))
    response = client.post(
        reverse("actionplans:strategy-create"),
        {"name": NEW_FRAME, "valid_from": "2030-01-01", "valid_until": "2027-12-31"},
    )
    assert response.status_code == 200
    assert "Perioden kan inte sluta före den börjar." in response.content.decode()
    assert not NationalStrategy.objects.filter(name=NEW_FRAME).exists()


def test_a_used_national_goal_cannot_be_deleted(client, make_user):
    GoalFactory(plan=ActionPlanFactory()).national_goals.set([national_goal(2)])
    client.force_login(make_user("national_admin"))
    goal = national_goal(2)
    url = reverse("actionplans:strategy-goal-delete", args=[goal.strategy_id, goal.pk])
    response = client.post(url, {})
    assert response.status_code == 200
    assert "kan inte tas bort" in response.content.decode()
    assert NationalGoal.objects.filter(pk=goal.pk).exists()


def test_observer_cannot_write_through_the_service(make_user):
    with pytest.raises(strategies.PermissionDenied):
        strategies.strategy_create(
            data={
                "name": NEW_FRAME,
                "valid_from": datetime.date(2027, 1, 1),
                "valid_until": datetime.date(2036, 12, 31),
            },
            actor=make_user("observer"),
        )


def test_frame_form_refuses_control_characters(client, make_user):
    client.force_login(make_user("national_admin"))
    response = client.post(
        reverse("actionplans:strategy-create"),
        {"name": "Ram\x1b[31m", "valid_from": "2027-01-01", "valid_until": "2036-12-31"},
    )
    assert "Texten innehåller ett otillåtet tecken." in response.content.decode()
    assert not NationalStrategy.objects.filter(name__startswith="Ram").exists()


def test_a_plan_file_without_a_frame_uses_the_strategy_2017_2026():
    data = interchange.plan_export(plan=ActionPlanFactory())
    del data["strategy"]
    data["period"] = {"start": 2027, "end": 2030}
    plan = interchange.plan_import(data=data, actor=None, skip_permission_checks=True)
    assert plan.strategy == frame_2017()
