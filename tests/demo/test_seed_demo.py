"""``load_demo`` holds the seed documents exactly (DESIGN §8) and is idempotent."""

import datetime
import io

import pytest
from django.core.management import call_command

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    PlannedActivity,
    SubGoal,
)
from agreements.models import Agreement, Commitment, Party
from fixtures.demo import users as demo_users
from followup.models import (
    Answer,
    FollowUpRound,
    GoalAnalysis,
    Question,
    ReportedActivity,
    StatusReport,
    Submission,
)
from kvinnofrid.accounts.models import Membership, Role, User
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.models import Organisation
from tests.factories import demo_loaded

pytestmark = pytest.mark.django_db

SEED_MODELS = [
    Organisation,
    Agreement,
    Party,
    Commitment,
    ActionPlan,
    Goal,
    SubGoal,
    PlannedActivity,
    Indicator,
    IndicatorTarget,
    FollowUpRound,
    Question,
    Submission,
    ReportedActivity,
    Answer,
    StatusReport,
    GoalAnalysis,
    User,
    Membership,
]


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """Load the demo once per module inside a transaction that is rolled back afterwards;
    each test runs in its own savepoint within it."""
    with demo_loaded(django_db_blocker):
        yield


@pytest.fixture
def demo(_demo_data, db):
    """The demo data of this module, in the test's savepoint."""


def snapshot() -> dict[str, list[tuple]]:
    rows = {}
    for model in SEED_MODELS:
        fields = ["pk"] + (
            ["updated_at"] if any(f.name == "updated_at" for f in model._meta.fields) else []
        )
        rows[model.__name__] = list(model.objects.order_by("pk").values_list(*fields))
    rows["m2m"] = [
        sorted(Goal.national_goals.through.objects.values_list("goal_id", "nationalgoal_id")),
        sorted(Indicator.sub_goals.through.objects.values_list("indicator_id", "subgoal_id")),
        sorted(
            ReportedActivity.sub_goals.through.objects.values_list(
                "reportedactivity_id", "subgoal_id"
            )
        ),
        sorted(
            FollowUpRound.invited_organisations.through.objects.values_list(
                "followupround_id", "organisation_id"
            )
        ),
    ]
    rows["passwords"] = list(User.objects.order_by("pk").values_list("password", flat=True))
    return rows


def test_load_demo_twice_changes_nothing(demo):
    # given
    before = snapshot()
    audit_before = AuditEntry.objects.count()
    # when
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", "--update", stdout=io.StringIO())
    # then
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_before
    assert sum(len(v) for k, v in before.items() if k not in {"m2m", "passwords"}) > 300


def test_update_mode_restores_a_changed_seed_text(demo):
    sub_goal = SubGoal.objects.get(goal__plan__county__code="06", code="1:4")
    sub_goal.text = "Ändrad"
    sub_goal.save()

    call_command("load_demo", stdout=io.StringIO())
    sub_goal.refresh_from_db()
    assert sub_goal.text == "Ändrad"  # default mode leaves existing aggregates alone

    call_command("load_demo", "--update", stdout=io.StringIO())
    sub_goal.refresh_from_db()
    assert sub_goal.text == "Motverka efterfrågan och köp av sexuella tjänster."


JONKOPING_CODES = {
    "Aneby kommun": "0604",
    "Gnosjö kommun": "0617",
    "Mullsjö kommun": "0642",
    "Habo kommun": "0643",
    "Gislaveds kommun": "0662",
    "Vaggeryds kommun": "0665",
    "Jönköpings kommun": "0680",
    "Nässjö kommun": "0682",
    "Värnamo kommun": "0683",
    "Sävsjö kommun": "0684",
    "Vetlanda kommun": "0685",
    "Eksjö kommun": "0686",
    "Tranås kommun": "0687",
}


def municipalities(code: str) -> dict[str, str]:
    return dict(
        Organisation.objects.filter(county__code=code, kind="kommun").values_list(
            "name", "municipality_code"
        )
    )


def test_municipalities_with_their_codes(demo):
    assert municipalities("06") == JONKOPING_CODES
    assert sorted(municipalities("07").values()) == [
        "0760", "0761", "0763", "0764", "0765", "0767", "0780", "0781",
    ]  # fmt: skip
    assert municipalities("07")["Växjö kommun"] == "0780"
    assert sorted(municipalities("23").values()) == [
        "2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380",
    ]  # fmt: skip
    assert municipalities("23")["Östersunds kommun"] == "2380"


def test_regions_authorities_and_civil_society(demo):
    def kinds(code):
        return dict(Organisation.objects.filter(county__code=code).values_list("name", "kind"))

    jonkoping = kinds("06")
    assert jonkoping["Länsstyrelsen i Jönköpings län"] == "lansstyrelse"
    assert jonkoping["Region Jönköpings län"] == "region"
    assert jonkoping["Polismyndigheten"] == "polis"
    assert jonkoping["Åklagarmyndigheten"] == "aklagare"
    assert jonkoping["Försäkringskassan"] == "forsakringskassan"
    assert jonkoping["Arbetsförmedlingen"] == "arbetsformedlingen"
    assert jonkoping["Kommunal utveckling Jönköpings län"] == "kommunforbund"
    assert jonkoping["Brottsofferjouren"] == "brottsofferjour"
    assert jonkoping["Rädda barnen"] == "ideell"
    assert kinds("07")["Svenska kyrkan"] == "trossamfund"
    assert kinds("07")["Linnéuniversitetet"] == "larosate"
    assert kinds("07")["Kvinnojouren Blenda"] == "kvinnojour"
    assert kinds("23")["Åklagarkammaren Östersund"] == "aklagare"
    national = Organisation.objects.get(name="Jämställdhetsmyndigheten")
    assert national.county is None
    assert national.kind == "myndighet"


def parties(agreement):
    return list(
        agreement.parties.order_by("order").values_list(
            "organisation__name", "signatory_name", "signatory_title"
        )
    )


def test_kronoberg_agreement(demo):
    agreement = Agreement.objects.get(county__code="07")

    assert agreement.governing_body == "Chefsrådet"
    assert agreement.meetings_per_year == 2
    assert agreement.diarienummer == "2887-2023"
    assert agreement.signed_place == "Växjö"
    assert agreement.signed_on == datetime.date(2024, 3, 19)
    assert agreement.valid_until == datetime.date(2026, 12, 31)
    assert parties(agreement) == [
        ("Länsstyrelsen Kronoberg", "Maria Arnholm", "Landshövding"),
        ("Region Kronoberg", "Martin Myrskog", "Regiondirektör"),
        ("Polismyndigheten", "Patrik Oldin", "Polisområdeschef"),
        ("Åklagarmyndigheten", "Charlotte Österlund", "Chefsåklagare"),
        ("Socialchefsnätverket i Kronobergs län", "Annie-Lie Jarhult", "Förvaltningschef"),
        ("Skolchefsnätverket i Kronobergs län", "Anders Elingfors", "Förvaltningschef"),
        ("Svenska kyrkan", "Fredrik Modéus", "Biskop"),
        ("Linnéuniversitetet", "Peter Aronsson", "Rektor"),
        ("Kriminalvården", "Elisabeth Anestad", "Regionchef"),
    ]
    commitments = list(agreement.commitments.order_by("order"))
    assert [c.national_goal.number for c in commitments] == [1, 2, 3, 4]
    assert [c.heading for c in commitments] == [
        "Förebyggande arbete mot våld",
        "Förbättrad upptäckt av våld och starkare skydd och stöd för våldsutsatta kvinnor och barn",
        "Effektivare brottsbekämpning",
        "Förbättrad kunskap och metodutveckling",
    ]
    assert "vilket möjliggör en högre grad av lagföring." in commitments[2].text


def test_kronoberg_action_plan(demo):
    plan = ActionPlan.objects.get(county__code="07")

    assert (plan.kind, plan.period_start, plan.period_end) == ("handlingsplan", 2021, 2026)
    assert plan.status == ActionPlan.Status.ADOPTED
    assert plan.agreement == Agreement.objects.get(county__code="07")
    goals = list(plan.goals.order_by("order").prefetch_related("national_goals", "sub_goals"))
    assert [g.sub_goals.count() for g in goals] == [4, 6, 3, 3]
    assert [[n.number for n in g.national_goals.all()] for g in goals] == [[1], [2], [3], [4]]
    assert SubGoal.objects.filter(goal__plan=plan).count() == 16
    assert set(SubGoal.objects.filter(goal__plan=plan).values_list("code", flat=True)) == {""}
    first = goals[0].sub_goals.order_by("order").first()
    assert first.text == "Stärkt kunskap hos aktörer i länet om våldspreventiva metoder."
    assert list(first.activities.values_list("text", flat=True)) == [
        "Utbildning i Mentorer i Våldsprevention (MVP)."
    ]
    assert PlannedActivity.objects.filter(sub_goal__goal__plan=plan).count() == 25

    indicators = {i.name: i for i in plan.indicators.all()}
    assert len(indicators) == 8
    assert {i.kind for i in indicators.values()} == {"source"}
    yearly = indicators["Länsstyrelsens årsuppföljning (extern)"]
    assert yearly.sub_goals.count() == 13
    assert (
        indicators["Länsstyrelsens matris för årsredovisning till regeringen"]
        .sub_goals.get()
        .text.startswith("Verka för att alla våldsformer synliggörs")
    )


def test_the_demo_holds_the_seeds_indicator_targets(demo):
    # the seed plan names follow-up sources without numbers: no targets, and --update keeps
    # it that way
    plan = ActionPlan.objects.get(county__code="07")
    assert not IndicatorTarget.objects.filter(indicator__plan=plan).exists()
    IndicatorTarget.objects.create(indicator=plan.indicators.first(), year=2026, value=5)
    call_command("load_demo", "--update", stdout=io.StringIO())
    assert not IndicatorTarget.objects.filter(indicator__plan=plan).exists()


def test_jamtland_agreement(demo):
    agreement = Agreement.objects.get(county__code="23")

    assert agreement.governing_body.startswith("Ledningsgruppen")
    assert agreement.meetings_per_year == 4
    assert agreement.signed_place == "Östersund"
    assert agreement.signed_on == datetime.date(2020, 11, 27)
    assert agreement.valid_until == datetime.date(2026, 12, 7)
    assert agreement.diarienummer == ""
    assert parties(agreement) == [
        ("Länsstyrelsen Jämtlands län", "Jöran Hägglund", "Landshövding"),
        ("Region Jämtland Härjedalen", "Hans Svensson", "Regiondirektör"),
        ("Region Jämtland Härjedalen – Social välfärd", "Elin Ring", "Samordnare Social välfärd"),
        ("Polismyndigheten", "Erik Bakkman", "Polisområdeschef Jämtland"),
        ("Åklagarkammaren Östersund", "Stefan Ekeroth", "Chefsåklagare"),
        (
            "Region Jämtland Härjedalen – Barn och utbildning",
            "Helena Danielsson",
            "Samordnare Barn/utbildning",
        ),
    ]
    commitments = list(agreement.commitments.order_by("order"))
    assert [c.national_goal.number for c in commitments] == [1, 2, 3, 4]
    assert "antal samråd" in commitments[2].indicator_hint
    assert "Arbetet bidrar till en högre grad av lagföring. (antal samråd)" in commitments[2].text


def test_jonkoping_strategy(demo):
    plan = ActionPlan.objects.get(county__code="06")

    assert plan.kind == ActionPlan.Kind.STRATEGI
    assert (plan.period_start, plan.period_end) == (2020, 2026)
    assert plan.vision == "Ett Jönköpings län fritt från våld"
    goals = list(plan.goals.order_by("order").prefetch_related("national_goals"))
    assert [g.number for g in goals] == [1, 2, 3, 4, 5]
    assert [[n.number for n in g.national_goals.all()] for g in goals] == [
        [1], [2], [2], [3], [4],
    ]  # fmt: skip
    codes = list(
        SubGoal.objects.filter(goal__plan=plan)
        .order_by("goal__order", "order")
        .values_list("code", flat=True)
    )
    assert codes == [
        "1:1", "1:2", "1:3", "1:4",
        "2:1", "2:2", "2:3", "2:4", "2:5",
        "3:1", "3:2", "3:3", "3:4", "3:5", "3:6",
        "4:1", "4:2", "4:3", "4:4",
        "5:1", "5:2", "5:3", "5:4", "5:5",
    ]  # fmt: skip
    texts = dict(SubGoal.objects.filter(goal__plan=plan).values_list("code", "text"))
    assert texts["1:4"] == "Motverka efterfrågan och köp av sexuella tjänster."
    assert texts["2:2"] == (
        "Fortsätt stärka kompetensen om anmälningsplikten enligt 14 kap. 1 § Socialtjänstlagen."
    )
    assert texts["4:4"] == "Förebygga hot och kränkningar på nätet."
    assert texts["5:5"] == (
        "Förbättrad kunskap och metodutveckling genom att stärka relationen mellan praktik "
        "och forskning."
    )


def test_demo_users_for_every_role(demo):
    roles = set(Membership.objects.values_list("organisation__county__code", "role").distinct())
    for code in ("06", "07", "23"):
        for role in (Role.COORDINATOR, Role.REPORTER, Role.MANAGEMENT):
            assert (code, role) in roles
    assert (None, Role.OBSERVER) in roles
    assert User.objects.filter(is_superuser=True, email="admin@demo.example").exists()
    tranas = User.objects.get(email="rapportor.tranas@demo.example")
    assert tranas.check_password("Rapportor!Tranas-demo")
    assert tranas.memberships.get().organisation.name == "Tranås kommun"


def test_demo_logins_prints_every_user(demo, capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    for email in User.objects.values_list("email", flat=True):
        assert email in out
    assert "Samordnare!06-demo" in out


def test_demo_coordinators_and_admin_share_the_printed_totp_key(demo, capsys):
    from kvinnofrid.accounts.models import TotpDevice

    devices = TotpDevice.objects.select_related("user")
    assert {d.user.email for d in devices} >= {"admin@demo.example"}
    assert all(d.secret == demo_users.TOTP_SECRET and d.confirmed_at for d in devices)
    assert not devices.filter(user__memberships__role="reporter").exists()
    assert devices.filter(user__memberships__role="coordinator").count() >= 3
    call_command("demo_logins")
    assert demo_users.TOTP_SECRET in capsys.readouterr().out


def test_demo_logins_names_the_address_actually_served(demo, capsys):
    call_command("demo_logins", "--url", "http://127.0.0.1:8123")
    assert "Demoinloggningar (http://127.0.0.1:8123/)" in capsys.readouterr().out


def test_update_mode_keeps_a_plan_archived_by_revision(demo):
    plan = ActionPlan.objects.get(county__code="07")
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save(update_fields=["status"])

    call_command("load_demo", "--update", stdout=io.StringIO())

    plan.refresh_from_db()
    assert plan.status == ActionPlan.Status.ARCHIVED
    assert ActionPlan.objects.filter(county__code="07").count() == 1


def test_demo_has_two_strategy_frames_and_jonkoping_stays_on_2017_2026(demo):
    from actionplans.models import ActionPlan, NationalStrategy

    frames = list(NationalStrategy.objects.order_by("valid_from").values_list("name", flat=True))
    assert frames[0] == "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"
    assert frames[1].startswith("Åtgärdsprogram för att förebygga och bekämpa mäns våld")
    assert len(frames) == 2
    plan = ActionPlan.objects.get(county__code="06")
    assert plan.strategy.name == frames[0]
    assert plan.strategy.period_label == "2017–2026"
    assert not ActionPlan.objects.filter(strategy__isnull=True).exists()
