"""Facts, never retyped (issue 15 item 2): placeholders filled at render, a new report started
from the county's last final one with its facts turned back into placeholders, contradictions
listed before "Fastställ", and the cover dated when the report was adopted."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from actionplans.models import ActionPlan, Goal
from followup.models import FollowUpRound, GoalAnalysis, StatusReport, Submission
from followup.reports import services
from followup.reports.builds import latest_done_build
from followup.reports.context import report_data
from followup.reports.facts import Facts, check_text, fact_checks, fill, to_placeholders
from kvinnofrid.accounts.models import User
from tests.factories import SubmissionFactory, demo_loaded

FACTS_2022 = Facts(year=2022, submitted=11, invited=40, previous_submitted=15)
FACTS_2023 = Facts(year=2023, submitted=14, invited=40, previous_submitted=11)


def test_placeholders_are_filled_as_plain_text():
    text = "Under {år} svarade {antal_svar} av {antal_inbjudna} ({svarsfrekvens} %), {förra_året} {antal_svar_förra_året}. {okänd}"
    assert fill(text, FACTS_2023) == "Under 2023 svarade 14 av 40 (35 %), 2022 11. {okänd}"


def test_last_years_facts_become_placeholders_conservatively():
    text = (
        "Under 2022 kom 11 yttranden in, jämfört med 2021 då 15 svar kom in. Under 2021 "
        "skapades tre styrgrupper. Arbetet fortsätter under 2023 men planen gäller till 2023. Svarsfrekvensen var 28 procent av "
        "40 inbjudna. Strategin gäller 2021–2023 och SFS 2022:123 trädde i kraft. 4 aktörer "
        "svarade om mål 2; 112 yttranden totalt."
    )
    assert to_placeholders(text, FACTS_2022) == (
        "Under {år} kom {antal_svar} yttranden in, jämfört med {förra_året} då "
        "{antal_svar_förra_året} svar kom in. Under 2021 skapades tre styrgrupper. Arbetet "
        "fortsätter under {nästa_år} men planen gäller till 2023. Svarsfrekvensen var {svarsfrekvens} procent av {antal_inbjudna} "
        "inbjudna. Strategin gäller 2021–2023 och SFS 2022:123 trädde i kraft. 4 aktörer "
        "svarade om mål 2; 112 yttranden totalt."
    )


def test_contradicting_years_and_counts_are_found():
    found = check_text(
        "Under 2022 kom 11 yttranden in. 2023 och {antal_svar} svar stämmer. {antal_svaren}",
        FACTS_2023,
    )
    assert [f for f, _why in found] == ["2022", "11 yttranden", "{antal_svaren}"]
    assert "2023" in found[0][1]
    assert "14" in found[1][1]


@pytest.fixture(scope="module")
def demo_media(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once per module and rolled back after; returns where its PDF went."""
    media = str(tmp_path_factory.mktemp("demo-media"))
    with demo_loaded(django_db_blocker, media):
        yield media


@pytest.fixture
def _demo(demo_media):
    return demo_media


@pytest.fixture
def round_2023(_demo, db):
    """A 2023 round for Jönköping on the 2022 plan, with 14 submitted yttranden."""
    round_2022 = FollowUpRound.objects.select_related("plan").get(
        plan__county__code="06", year=2022
    )
    round_ = FollowUpRound.objects.create(
        plan=round_2022.plan,
        year=2023,
        title="Årlig uppföljning 2023",
        deadline=datetime.date(2024, 2, 15),
        status=FollowUpRound.Status.CLOSED,
    )
    organisations = [s.organisation for s in round_2022.submissions.all()][:14]
    for org in organisations:
        SubmissionFactory(round=round_, organisation=org, status=Submission.Status.ACCEPTED)
    return round_


def coordinator() -> User:
    return User.objects.get(email="samordnare.jonkoping@demo.example")


@pytest.mark.slow
def test_2023_report_starts_from_2022_final_with_placeholders(round_2023, client):
    # given the demo's final 2022 report
    final_2022 = StatusReport.objects.get(round__year=2022, round__plan__county__code="06")
    assert final_2022.status == StatusReport.Status.FINAL
    # when
    report = services.report_create(round_id=round_2023.pk, actor=coordinator())
    # then: texts and analyses are copied with 2022's facts as placeholders
    assert report.title == "Regional lägesrapport 2023"
    assert report.closing_words
    assert "2022" not in report.closing_words
    assert "{år}" in report.closing_words
    assert "{nästa_år}" in report.closing_words
    analyses = {a.goal.number: a.analysis for a in GoalAnalysis.objects.filter(report=report)}
    assert set(analyses) == {1, 2, 3, 4, 5}
    assert analyses[2].startswith("Under {år} finns det exempel")
    assert "erbjudas under {nästa_år}" in analyses[2]
    assert report.signatures == final_2022.signatures
    # and they read as 2023's facts in the report
    data = report_data(report_id=report.pk)
    goal_2 = next(g for g in data.goals if g.number == 2)
    assert goal_2.analysis.startswith("Under 2023 finns det exempel")
    assert "erbjudas under 2024" in goal_2.analysis
    assert not fact_checks(report_id=report.pk)

    # when a coordinator pastes "2022" and "11 yttranden" into an analysis
    goal_1 = next(g for g in data.goals if g.number == 1)
    services.report_update(
        report_id=report.pk,
        actor=coordinator(),
        expected_version=report.lock_version,
        fields={},
        analyses={goal_1.id: "Under 2022 kom 11 yttranden in."},
    )
    # then both are listed with their field, before "Fastställ" and in the editor
    checks = fact_checks(report_id=report.pk)
    assert [(c.field, c.found) for c in checks] == [
        ("Analys och förbättringsområden – mål 1", "2022"),
        ("Analys och förbättringsområden – mål 1", "11 yttranden"),
    ]
    client.force_login(coordinator())
    for name in ("followup:report-finalise", "followup:report-edit", "followup:report-detail"):
        page = client.get(reverse(name, args=[report.pk])).content.decode()
        assert "fact-checks" in page
        assert "11 yttranden" in page
        assert "mål 1" in page


@pytest.mark.slow
def test_cover_of_the_2022_demo_report_reads_april_2023(demo_media, db, settings):
    settings.MEDIA_ROOT = demo_media
    report = StatusReport.objects.get(round__year=2022, round__plan__county__code="06")
    assert report.finalised_at.date() == datetime.date(2023, 4, 14)
    assert report_data(report_id=report.pk).cover_date == "April 2023"
    build = latest_done_build(report)
    with build.pdf.open("rb") as fh:
        cover = PdfReader(io.BytesIO(fh.read())).pages[0].extract_text()
    assert "April 2023" in re.sub(r"\s+", " ", cover)


@pytest.mark.django_db
def test_a_new_plan_version_gets_last_years_analyses_by_goal_number(make_user):
    from tests.followup.test_report_support import build_county

    # given: the county's final 2022 report on one plan, and a 2023 round on a new plan version
    # (Kronoberg: this module's demo holds Jönköping's final 2022 report)
    old = build_county(county_code="07", year=2022, actors=4, submitted=3, activities=2, goals=2)
    for goal in old.goals:
        GoalAnalysis.objects.create(
            report=old.report, goal=goal, analysis=f"Mål {goal.number}: under 2022 kom 3 svar in."
        )
    StatusReport.objects.filter(pk=old.report.pk).update(
        status=StatusReport.Status.FINAL,
        finalised_at=datetime.datetime(2023, 4, 1, tzinfo=datetime.UTC),
    )
    plan = ActionPlan.objects.create(
        county=old.plan.county,
        kind=old.plan.kind,
        title="Reviderad strategi",
        period_start=2023,
        period_end=2030,
        status=ActionPlan.Status.ADOPTED,
    )
    goals = [Goal.objects.create(plan=plan, number=n, order=n, title=f"Mål {n}") for n in (2, 1)]
    round_ = FollowUpRound.objects.create(
        plan=plan, year=2023, title="Uppföljning 2023", deadline=datetime.date(2024, 2, 15)
    )
    for sub in Submission.objects.filter(round=old.round, status="accepted")[:2]:
        SubmissionFactory(round=round_, organisation=sub.organisation, status="accepted")
    # when
    report = services.report_create(
        round_id=round_.pk, actor=make_user("coordinator", county_code="07")
    )
    # then: each analysis follows the goal with the same number, with 2022's facts as placeholders
    analyses = {a.goal_id: a.analysis for a in report.analyses.all()}
    assert analyses == {
        goal.pk: f"Mål {goal.number}: under {{år}} kom {{antal_svar}} svar in." for goal in goals
    }
    assert report.introduction == old.report.introduction
    assert report_data(report_id=report.pk).goals[0].analysis == "Mål 1: under 2023 kom 2 svar in."
