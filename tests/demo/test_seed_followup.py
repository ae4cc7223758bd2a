"""The Jönköping follow-up rounds of ``load_demo`` hold what the 2022 lägesrapport says."""

import datetime

import pytest
from django.utils import timezone

from actionplans.models import ActionPlan
from followup.models import FollowUpRound, ReportedActivity, Submission
from followup.selectors import round_summary
from followup.standard_questions import STANDARD_QUESTIONS
from tests.factories import demo_loaded

pytestmark = pytest.mark.django_db

REPORTED_2022 = {
    "Aneby kommun",
    "Jönköpings kommun",
    "Tranås kommun",
    "Sävsjö kommun",
    "Värnamo kommun",
    "Gislaveds kommun",
    "Mullsjö kommun",
    "Region Jönköpings län",
    "Försäkringskassan",
    "Polismyndigheten",
    "Länsstyrelsen i Jönköpings län",
}


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    """Load the demo once per module inside a transaction that is rolled back afterwards;
    each test runs in its own savepoint within it."""
    with demo_loaded(django_db_blocker):
        yield


@pytest.fixture
def demo(_demo_data, db):
    """The demo data of this module, in the test's savepoint."""


def jonkoping_round(year: int) -> FollowUpRound:
    return FollowUpRound.objects.get(plan__county__code="06", year=year)


def test_round_summary_2022_has_11_submitted_and_15_the_year_before(demo):
    summary = round_summary(round_id=jonkoping_round(2022).pk)

    assert summary.submitted == 11
    assert summary.previous_year_submitted == 15
    assert summary.invited == 23
    assert (summary.on_time, summary.late) == (9, 2)
    by_kind = {k.kind: (k.invited, k.submitted) for k in summary.by_kind}
    assert by_kind["kommun"] == (13, 7)


def test_2022_submissions_and_their_activities(demo):
    round_ = jonkoping_round(2022)

    assert round_.status in {"reported", "closed"}
    accepted = set(
        round_.submissions.filter(status=Submission.Status.ACCEPTED).values_list(
            "organisation__name", flat=True
        )
    )
    assert accepted == REPORTED_2022
    others = round_.submissions.exclude(organisation__name__in=REPORTED_2022)
    assert set(others.values_list("status", flat=True)) == {"not_started", "draft"}
    for submission in round_.submissions.filter(status="accepted"):
        assert submission.submitted_at.date() < datetime.date(2023, 3, 15)
        assert submission.activities.exists(), submission.organisation.name

    tranas = ReportedActivity.objects.filter(
        submission__round=round_, submission__organisation__name="Tranås kommun"
    )
    huskurage = tranas.get(title__startswith="Huskurage")
    assert "Tranåsbostäder" in huskurage.description
    assert list(huskurage.sub_goals.values_list("code", flat=True)) == ["2:1"]
    assert huskurage.highlighted
    police = ReportedActivity.objects.get(
        submission__round=round_, title="Riskreducerande insatser hos BOPS"
    )
    assert police.submission.organisation.name == "Polismyndigheten"
    assert list(police.sub_goals.values_list("code", flat=True)) == ["4:2"]
    # every delmål of goal 2 has an activity ("exempel … för samtliga delmål i målområde två")
    goal_2_codes = set(
        ReportedActivity.objects.filter(submission__round=round_)
        .filter(sub_goals__goal__number=2)
        .values_list("sub_goals__code", flat=True)
    )
    assert {"2:1", "2:2", "2:3", "2:4", "2:5"} <= goal_2_codes
    orders = list(
        ReportedActivity.objects.filter(submission__round=round_, highlighted=True)
        .order_by("highlight_order")
        .values_list("highlight_order", flat=True)
    )
    assert orders == list(range(1, len(orders) + 1))


def test_standard_questions_and_own_plan_answers(demo):
    round_ = jonkoping_round(2022)

    assert list(round_.questions.values_list("key", flat=True)) == [
        q["key"] for q in STANDARD_QUESTIONS
    ]
    own_plan = round_.questions.get(key="own_plan")
    answer = own_plan.answers.get(submission__organisation__name="Jönköpings kommun")
    assert "hållbarhetsprogram" in answer.text
    assert own_plan.answers.filter(submission__organisation__name="Eksjö kommun").exists()


def test_2021_round_and_the_open_round(demo):
    plan = ActionPlan.objects.get(county__code="06")
    assert list(plan.rounds.order_by("year").values_list("year", "status")) == [
        (2021, "reported"),
        (2022, "reported"),
        (2025, "open"),
    ]
    assert jonkoping_round(2021).submissions.filter(status="accepted").count() == 15
    open_round = jonkoping_round(2025)
    tranas = open_round.submissions.get(organisation__name="Tranås kommun")
    assert tranas.status == Submission.Status.NOT_STARTED
    assert open_round.deadline >= datetime.date(2026, 12, 1)


def test_standard_questions_shape():
    keys = {"key", "text", "help_text", "kind", "required", "order"}
    assert all(set(q) == keys for q in STANDARD_QUESTIONS)
    assert [q["key"] for q in STANDARD_QUESTIONS] == [
        "own_plan",
        "worked_well",
        "challenges",
        "support",
    ]


def test_2022_lagesrapport_texts(demo):
    report = jonkoping_round(2022).reports.get()

    assert report.title == "Regional lägesrapport 2022"
    assert report.closing_words.startswith("Årets rapportering är till stor del inriktad")
    assert "Totalt svarade" not in report.method_text  # generated by the report
    assert report.signatures.splitlines()[2] == (
        "Stina Andersson, Samordnare, Länsstyrelsen Jönköping"
    )
    analyses = dict(report.analyses.values_list("goal__number", "analysis"))
    assert sorted(analyses) == [1, 2, 3, 4, 5]
    assert analyses[2].startswith("Under 2022 finns det exempel på aktiviteter")


def test_2022_lagesrapport_is_published_as_the_seed_was(demo):
    """Issue 12 item 16: the seed is a published report (dated April 2023), so the demo holds it
    final, with the PDF management downloads."""
    from followup.reports.builds import latest_done_build

    report = jonkoping_round(2022).reports.get()
    assert report.status == "final"
    finalised = timezone.localtime(report.finalised_at)
    assert (finalised.year, finalised.month) == (2023, 4)
    assert report.signed_on == finalised.date()
    build = latest_done_build(report)
    assert build is not None
    assert build.page_count > 10
    assert build.pdf.name.endswith(".pdf")  # its bytes are read in test_report_pdf.py
    assert len(build.pdf_sha256) == 64
