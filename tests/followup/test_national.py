"""The national overview (issue 14 item 3): figures from the demo, constant query count, who may
see it, sorting, the XLSX download and ``export_national``."""

import datetime
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actionplans.models import IndicatorValue
from followup.exports import round_for
from followup.models import ReportedActivity, Submission
from followup.national.selectors import national_overview
from followup.selectors import SUBMITTED_STATUSES, round_summary
from kvinnofrid.accounts.models import Role
from kvinnofrid.directory.models import County
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    FollowUpRoundFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    ReportedActivityFactory,
    SubGoalFactory,
    SubmissionFactory,
    national_goal,
)

pytestmark = pytest.mark.django_db


def _export_json(year: int) -> dict:
    out = io.StringIO()
    call_command("export_national", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def _expected_activities_by_national_goal(round_id: int) -> dict[str, int]:
    """Walk the ORM object by object: each submitted activity counts once per distinct
    national goal reached through its delmål and their goals."""
    counts: dict[str, int] = {}
    activities = ReportedActivity.objects.filter(
        submission__round_id=round_id, submission__status__in=SUBMITTED_STATUSES
    )
    for activity in activities:
        numbers = {
            str(ng.number)
            for sub_goal in activity.sub_goals.all()
            for ng in sub_goal.goal.national_goals.all()
        }
        for number in numbers:
            counts[number] = counts.get(number, 0) + 1
    return counts


def test_export_national_2022_on_the_demo():
    # given the seed-derived demo data
    call_command("load_demo", stdout=io.StringIO())
    # when
    data = _export_json(2022)
    # then
    assert data["format"] == "kvinnofrid-national/1"
    assert data["year"] == 2022
    assert len(data["counties"]) == 21
    assert [c["county_code"] for c in data["counties"]] == sorted(
        County.objects.values_list("code", flat=True)
    )
    jonkoping = next(c for c in data["counties"] if c["county_code"] == "06")
    round_ = round_for(county_code="06", year=2022)
    summary = round_summary(round_id=round_.pk)
    assert jonkoping["round"] == {
        "invited": 23,
        "submitted": 11,
        "on_time": summary.on_time,
        "late": summary.late,
        "previous_year_submitted": 15,
    }
    assert jonkoping["plan_id"] == round_.plan_id
    assert jonkoping["strategy"] == round_.plan.strategy.name
    expected = _expected_activities_by_national_goal(round_.pk)
    assert expected, "the demo's 2022 activities reach national goals"
    assert {k: v for k, v in jonkoping["activities_by_national_goal"].items() if v} == expected
    # each activity counts at most once per national goal: fewer than its delmål links, at
    # least the activities that reach a national goal at all
    with_goal = ReportedActivity.objects.filter(
        submission__round=round_,
        submission__status__in=SUBMITTED_STATUSES,
        sub_goals__goal__national_goals__isnull=False,
    )
    assert with_goal.distinct().count() <= sum(expected.values()) < with_goal.count()
    assert jonkoping["final_report"] == reverse(
        "followup:report-download", kwargs={"pk": round_.reports.get(status="final").pk}
    )
    kronoberg = next(c for c in data["counties"] if c["county_code"] == "07")
    assert kronoberg["round"] is None
    assert kronoberg["agreement_valid_to"] == "2026-12-31"
    assert kronoberg["plan_id"] is not None


def test_an_activity_under_two_delmal_of_one_national_goal_counts_once():
    # given an activity tagged to two delmål whose goals both map to national goal 2,
    # and one delmål of a goal mapping to 1 and 2
    plan = ActionPlanFactory()
    goal_a, goal_b, goal_c = GoalFactory(plan=plan), GoalFactory(plan=plan), GoalFactory(plan=plan)
    goal_a.national_goals.set([national_goal(2)])
    goal_b.national_goals.set([national_goal(2)])
    goal_c.national_goals.set([national_goal(1), national_goal(2)])
    sg_a, sg_b, sg_c = (SubGoalFactory(goal=g) for g in (goal_a, goal_b, goal_c))
    round_ = FollowUpRoundFactory(plan=plan, year=2022)
    submission = SubmissionFactory(round=round_, status=Submission.Status.ACCEPTED)
    first = ReportedActivityFactory(submission=submission)
    first.sub_goals.set([sg_a, sg_b])
    second = ReportedActivityFactory(submission=submission)
    second.sub_goals.set([sg_c])
    draft = ReportedActivityFactory(
        submission=SubmissionFactory(round=round_, status=Submission.Status.DRAFT)
    )
    draft.sub_goals.set([sg_a])
    # when
    row = next(r for r in national_overview(year=2022).rows if r.county_code == "06")
    # then: first counts once under 2, second once under 1 and 2; the draft's not at all
    assert row.activities_by_national_goal == {"1": 1, "2": 2}
    assert row.goals_by_national_goal == {"1": 1, "2": 3}
    assert (row.sub_goal_count, row.sub_goals_covered) == (3, 3)


def test_round_figures_against_the_year_before_and_late_answers():
    plan = ActionPlanFactory()
    deadline = datetime.date(2023, 2, 15)
    this_year = FollowUpRoundFactory(plan=plan, year=2022, deadline=deadline)
    last_year = FollowUpRoundFactory(
        plan=plan, year=2021, opens_on=None, deadline=datetime.date(2022, 2, 15)
    )
    on_time = timezone.make_aware(datetime.datetime(2023, 2, 10, 12))
    late = timezone.make_aware(datetime.datetime(2023, 3, 1, 12))
    SubmissionFactory(round=this_year, status="accepted", submitted_at=on_time)
    SubmissionFactory(round=this_year, status="submitted", submitted_at=late)
    SubmissionFactory(
        round=this_year,
        status="submitted",
        submitted_at=late,
        deadline_extended_to=datetime.date(2023, 3, 5),
    )
    SubmissionFactory(round=this_year, status="draft")
    SubmissionFactory(round=last_year, status="accepted", submitted_at=on_time)
    SubmissionFactory(round=last_year, status="not_started")

    row = next(r for r in national_overview(year=2022).rows if r.county_code == "06")

    assert row.round is not None
    assert (row.round.invited, row.round.submitted, row.round.on_time, row.round.late) == (
        4,
        3,
        2,
        1,
    )
    assert (row.round.previous_year_submitted, row.round.previous_year_invited) == (1, 2)
    assert row.round.percent == 75
    assert row.round.previous_percent == 50


def test_agreement_expiring_within_90_days_is_marked():
    today = datetime.date(2026, 11, 1)
    AgreementFactory(county=County.objects.get(code="06"), valid_until=datetime.date(2026, 12, 31))
    AgreementFactory(county=County.objects.get(code="07"), valid_until=datetime.date(2027, 6, 30))
    AgreementFactory(county=County.objects.get(code="08"), valid_until=datetime.date(2026, 1, 31))
    rows = {r.county_code: r for r in national_overview(year=2025, today=today).rows}
    assert rows["06"].agreement_expiring
    assert not rows["06"].agreement_expired
    assert not rows["07"].agreement_expiring
    assert rows["08"].agreement_expired
    assert not rows["08"].agreement_expiring


def _county_world(code: str, years: range) -> None:
    """A county with a plan, two goals on national goals, delmål, and a round per year with
    submissions, activities and a person-count indicator value."""
    c = County.objects.get(code=code)
    plan = ActionPlanFactory(county=c, period_start=min(years), period_end=max(years))
    AgreementFactory(
        county=c,
        valid_from=datetime.date(min(years), 1, 1),
        valid_until=datetime.date(max(years), 12, 31),
    )
    indicator = IndicatorFactory(plan=plan, name="Antal våldsutsatta", unit="personer")
    sub_goals = []
    for number in (1, 3):
        goal = GoalFactory(plan=plan)
        goal.national_goals.set([national_goal(number), national_goal(4)])
        sub_goals += [SubGoalFactory(goal=goal), SubGoalFactory(goal=goal)]
    for year in years:
        round_ = FollowUpRoundFactory(
            plan=plan, year=year, opens_on=None, deadline=datetime.date(year + 1, 2, 15)
        )
        for i in range(3):
            org = OrganisationFactory(county=c)
            submission = SubmissionFactory(
                round=round_, organisation=org, status="accepted" if i else "draft"
            )
            activity = ReportedActivityFactory(submission=submission)
            activity.sub_goals.set(sub_goals[i : i + 2])
            IndicatorValue.objects.create(indicator=indicator, year=year, organisation=org, value=i)


def _overview_queries(client, year: int) -> int:
    """The page's queries with nothing cached: every county's row is read."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("followup:national-overview"), {"ar": year})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("n_counties", [1, 21])
def test_query_count_is_constant_from_1_to_21_counties_by_10_years(
    n_counties, client, make_user, django_assert_max_num_queries
):
    # given n counties, each with ten years of rounds
    codes = list(County.objects.order_by("code").values_list("code", flat=True))[:n_counties]
    for code in codes:
        _county_world(code, range(2017, 2027))
    client.force_login(make_user(Role.OBSERVER))
    # when / then: the selector and the whole page stay within the same fixed budget
    with django_assert_max_num_queries(12):
        overview = national_overview(year=2022)
    assert sum(1 for r in overview.rows if r.round) == n_counties
    with django_assert_max_num_queries(20):
        client.get(reverse("followup:national-overview"), {"ar": 2022})
    with django_assert_max_num_queries(20):
        response = client.get(reverse("followup:national-export"), {"ar": 2022})
    assert response.status_code == 200


def test_after_a_write_in_one_county_only_its_row_is_read_again(client, make_user):
    # given five counties' rows cached
    client.force_login(make_user(Role.OBSERVER))
    for code in ("01", "03", "04", "05", "06"):
        _county_world(code, range(2021, 2023))
    url = reverse("followup:national-overview")
    client.get(url, {"ar": 2022})
    before = {
        r.county_code: r.round.submitted for r in national_overview(year=2022).rows if r.round
    }
    # when a submission of Jönköping's round is withdrawn to draft outside the services
    submission = Submission.objects.filter(
        round__plan__county__code="06", round__year=2022, status="accepted"
    ).first()
    submission.status = "draft"
    submission.save()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"ar": 2022}).status_code == 200
    # then the page read the agreements of that county only, and its figure is the new one
    agreement_reads = [q["sql"] for q in ctx.captured_queries if "agreements_agreement" in q["sql"]]
    assert len(agreement_reads) == 1
    assert f"IN ({County.objects.get(code='06').pk})" in agreement_reads[0]
    after = {r.county_code: r.round.submitted for r in national_overview(year=2022).rows if r.round}
    assert after == before | {"06": before["06"] - 1}


def test_query_count_does_not_grow_with_counties(client, make_user):
    client.force_login(make_user(Role.OBSERVER))
    _county_world("01", range(2017, 2027))
    _overview_queries(client, 2022)  # the first request after logging in also saves the session
    one = _overview_queries(client, 2022)
    for code in ("03", "04", "05", "06"):
        _county_world(code, range(2017, 2027))
    assert _overview_queries(client, 2022) == one


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OBSERVER, 200),
        (Role.NATIONAL_ADMIN, 200),
        (Role.COORDINATOR, 403),
        (Role.REPORTER, 403),
        (Role.MANAGEMENT, 403),
    ],
)
def test_only_observer_and_national_admin_reach_the_overview(client, make_user, role, status):
    client.force_login(make_user(role))
    assert client.get(reverse("followup:national-overview")).status_code == status
    assert client.get(reverse("followup:national-export")).status_code == status


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("followup:national-overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_sorting_links_and_aria_sort(client, make_user):
    _county_world("01", range(2021, 2023))  # 2 of 3 answered
    plan = ActionPlanFactory(county=County.objects.get(code="06"))
    round_ = FollowUpRoundFactory(plan=plan, year=2022)
    SubmissionFactory(round=round_, status="accepted")
    client.force_login(make_user(Role.OBSERVER))

    response = client.get(reverse("followup:national-overview"), {"ar": 2022, "sortera": "-svar"})

    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert "sortera=svar" in html  # the active column's link turns the order around
    # 06 answered 1 of 1 (100 %), 01 2 of 3: 06 comes first when sorted by response, descending
    assert html.index("Jönköpings län") < html.index("Stockholms län")
    ascending = client.get(reverse("followup:national-overview"), {"ar": 2022}).content.decode()
    assert 'aria-sort="ascending"' in ascending
    assert ascending.index("Stockholms län") < ascending.index("Jönköpings län")


@pytest.mark.parametrize("bad", ["²", "99999999999999999999", "abc", "-1", "2022'"])
def test_hostile_year_and_sort_are_not_a_500(client, make_user, bad):
    client.force_login(make_user(Role.OBSERVER))
    response = client.get(reverse("followup:national-overview"), {"ar": bad, "sortera": bad})
    assert response.status_code == 200
    assert "Året måste vara ett årtal mellan 2000 och 2100." in response.content.decode()


def test_xlsx_writes_user_text_as_text_and_hides_small_person_counts(client, make_user):
    from openpyxl import load_workbook

    # given a plan whose title looks like a formula and a person count below 5
    c = County.objects.get(code="06")
    plan = ActionPlanFactory(county=c, title='=HYPERLINK("http://x.example","klicka")')
    round_ = FollowUpRoundFactory(plan=plan, year=2022)
    SubmissionFactory(round=round_, status="accepted")
    persons = IndicatorFactory(plan=plan, name="Antal våldsutsatta", unit="personer")
    meetings = IndicatorFactory(plan=plan, name="Antal samråd", unit="st")
    IndicatorValue.objects.create(indicator=persons, year=2022, value=3)
    IndicatorValue.objects.create(indicator=meetings, year=2022, value=3)
    client.force_login(make_user(Role.OBSERVER))
    # when
    response = client.get(reverse("followup:national-export"), {"ar": 2022})
    # then
    wb = load_workbook(io.BytesIO(response.content))
    counties = wb.worksheets[0]
    cells = [c for row in counties.iter_rows() for c in row if isinstance(c.value, str)]
    title = next(c for c in cells if "HYPERLINK" in c.value)
    assert title.data_type == "s"  # text, never a formula (the shared spreadsheet helper)
    assert title.value == '=HYPERLINK("http://x.example","klicka")'
    assert title.quotePrefix
    values = {row[2].value: row[4].value for row in wb.worksheets[1].iter_rows(min_row=2)}
    assert values == {"Antal våldsutsatta": "färre än 5", "Antal samråd": 3}


def test_export_national_refuses_a_silly_year():
    with pytest.raises(CommandError, match="Ogiltigt år"):
        call_command("export_national", "--year", "12", stdout=io.StringIO())


def test_export_national_xlsx_to_file(tmp_path):
    out = tmp_path / "national.xlsx"
    call_command("export_national", "--year", "2022", "--format", "xlsx", "-o", str(out))
    from openpyxl import load_workbook

    assert load_workbook(out).worksheets[0].max_row == 22


def test_the_page_hides_small_person_counts(client, make_user):
    plan = ActionPlanFactory(county=County.objects.get(code="06"))
    persons = IndicatorFactory(plan=plan, name="Antal våldsutsatta", unit="personer")
    IndicatorValue.objects.create(indicator=persons, year=2022, value=2)
    IndicatorValue.objects.create(
        indicator=IndicatorFactory(plan=plan, name="Antal samråd"), year=2022, value=2
    )
    client.force_login(make_user(Role.OBSERVER))
    html = client.get(reverse("followup:national-overview"), {"ar": 2022}).content.decode()
    row = html[html.index("Antal våldsutsatta") :].split("</tr>")[0]
    assert "färre än 5" in row
    assert ">2<" not in row
    other = html[html.index("Antal samråd") :].split("</tr>")[0]
    assert ">2<" in other
