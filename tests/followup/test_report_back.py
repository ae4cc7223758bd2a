"""The report-back (återrapportering, issue 14 item 4): PDF and DOCX from the demo, the
coordinator's texts, finalising, who may see it, small numbers."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from actionplans.models import IndicatorValue, NationalGoal
from followup.exceptions import FollowUpError
from followup.models import ReportBack, Submission
from followup.national import services
from followup.national.output import report_back_docx, section_headings
from followup.national.report_back import report_back_data
from kvinnofrid.accounts.models import Role
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.directory.models import County
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    GoalFactory,
    IndicatorFactory,
    ReportedActivityFactory,
    SubGoalFactory,
    SubmissionFactory,
    national_goal,
)

pytestmark = pytest.mark.django_db


def _flat(text: str) -> str:
    return " ".join(text.split())


def _docx_headings(content: bytes) -> list[tuple[int, str]]:
    from docx import Document

    out = []
    for paragraph in Document(io.BytesIO(content)).paragraphs:
        match = re.fullmatch(r"Heading (\d)", paragraph.style.name)
        if match:
            out.append((int(match.group(1)), paragraph.text))
    return out


def _outline_titles(reader) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(_flat(item.title))

    walk(reader.outline)
    return titles


def test_build_report_back_06_2022_on_the_demo(tmp_path):
    from pypdf import PdfReader

    # given the demo (Jönköping: 11 of 23 answered in 2022, 15 of 23 in 2021)
    call_command("load_demo", stdout=io.StringIO())
    county = County.objects.get(code="06")
    data = report_back_data(county=county, year=2022)
    plan_goals = list(
        NationalGoal.objects.filter(strategy__plans__county=county)
        .distinct()
        .order_by("number")
        .values_list("title", flat=True)
    )
    assert len(plan_goals) == 4
    # when
    pdf, docx = tmp_path / "rb.pdf", tmp_path / "rb.docx"
    call_command("build_report_back", "--county", "06", "--year", "2022", "-o", str(pdf))
    call_command("build_report_back", "--county", "06", "--year", "2022", "-o", str(docx))
    # then the PDF holds the response figures and one section per national goal
    reader = PdfReader(pdf)
    text = _flat("\n".join(page.extract_text() for page in reader.pages))
    assert "11 av 23 inbjudna aktörer svarade" in text
    assert "48 %" in text
    assert "Året innan (2021) svarade 15 av 23, 65 %" in text
    for title in plan_goals:
        assert _flat(title) in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA)
    outline = _outline_titles(reader)
    expected = [text for _level, text in section_headings(data)]
    assert [t for t in outline if t in expected] == expected
    assert sum(1 for t in outline if t in plan_goals) == 4
    # and python-docx opens the DOCX with the same headings, goal titles as "Heading 1"
    headings = _docx_headings(docx.read_bytes())
    assert headings == section_headings(data)
    assert [t for level, t in headings if level == 1 and t in plan_goals] == plan_goals


def test_build_report_back_refuses_bad_arguments(tmp_path):
    with pytest.raises(CommandError, match=r"\.pdf eller \.docx"):
        call_command("build_report_back", "--county", "06", "--year", "2022", "-o", "x.txt")
    with pytest.raises(CommandError, match="Okänd länskod"):
        call_command(
            "build_report_back", "--county", "99", "--year", "2022", "-o", str(tmp_path / "x.pdf")
        )


@pytest.fixture
def county_world():
    """Jönköping: a plan with goal 1 → national goal 1 and goal 2 → national goals 2 and 3, a
    2022 round with two accepted submissions (one activity highlighted) and a draft."""
    plan = ActionPlanFactory(strategy=national_goal(1).strategy)
    goal_1, goal_2 = GoalFactory(plan=plan), GoalFactory(plan=plan)
    goal_1.national_goals.set([national_goal(1)])
    goal_2.national_goals.set([national_goal(2), national_goal(3)])
    sg_1, sg_2 = SubGoalFactory(goal=goal_1), SubGoalFactory(goal=goal_2)
    round_ = FollowUpRoundFactory(plan=plan, year=2022)
    accepted = SubmissionFactory(round=round_, status=Submission.Status.ACCEPTED)
    shown = ReportedActivityFactory(submission=accepted, title="Utbildning", highlighted=True)
    shown.sub_goals.set([sg_1, sg_2])
    other = ReportedActivityFactory(
        submission=SubmissionFactory(round=round_, status=Submission.Status.SUBMITTED)
    )
    other.sub_goals.set([sg_2])
    hidden = ReportedActivityFactory(submission=SubmissionFactory(round=round_))
    hidden.sub_goals.set([sg_1])
    return plan


def test_sections_count_activities_per_national_goal(county_world):
    data = report_back_data(county=County.objects.get(code="06"), year=2022)
    by_key = {g.key: g for g in data.goals}
    assert list(by_key) == ["1", "2", "3", "4"]
    assert [by_key[k].activity_count for k in "1234"] == [1, 2, 2, 0]
    assert [e.title for e in by_key["1"].examples] == ["Utbildning"]
    assert data.response_line.startswith("2 av 3 inbjudna aktörer svarade")
    assert by_key["4"].text == by_key["4"].generated_text


def test_person_counts_below_five_are_hidden_in_the_report_back(county_world):
    persons = IndicatorFactory(plan=county_world, name="Antal våldsutsatta", unit="personer")
    meetings = IndicatorFactory(plan=county_world, name="Antal samråd", unit="st")
    IndicatorValue.objects.create(indicator=persons, year=2022, value=3)
    IndicatorValue.objects.create(indicator=meetings, year=2022, value=3)
    data = report_back_data(county=County.objects.get(code="06"), year=2022)
    values = {line.name: line.value for line in data.indicators}
    assert values == {"Antal våldsutsatta": "färre än 5", "Antal samråd": "3 st"}
    from docx import Document

    cells = [
        c.text
        for table in Document(io.BytesIO(report_back_docx(data))).tables
        for row in table.rows
        for c in row.cells
    ]
    assert "färre än 5" in cells
    assert "3 personer" not in cells


def test_coordinator_saves_texts_then_finalises(county_world, make_user):
    coordinator = make_user(Role.COORDINATOR)
    county = County.objects.get(code="06")
    keys = ["1", "2", "3", "4"]
    # when the coordinator writes a text for goal 1
    rb = services.report_back_save(
        county_id=county.pk,
        year=2022,
        texts={"1": "Hemlig text om Anna, 19850101-1234"},
        keys=keys,
        actor=coordinator,
    )
    # then it is used and the audit log keeps only lengths
    data = report_back_data(county=county, year=2022, report_back=rb)
    assert data.goals[0].text == "Hemlig text om Anna, 19850101-1234"
    entry = AuditEntry.objects.get(action="followup.report_back.saved")
    assert "Anna" not in str(entry.changes)
    # a stale form is refused
    with pytest.raises(StaleObjectError):
        services.report_back_save(
            county_id=county.pk,
            year=2022,
            texts={"1": "x"},
            keys=keys,
            actor=coordinator,
            expected_version=rb.lock_version - 1,
        )
    rb = services.report_back_finalise(
        report_back_id=rb.pk, actor=coordinator, expected_version=rb.lock_version
    )
    assert rb.status == ReportBack.Status.FINAL
    assert rb.finalised_by == coordinator
    with pytest.raises(FollowUpError):
        services.report_back_save(
            county_id=county.pk, year=2022, texts={"1": "ny"}, keys=keys, actor=coordinator
        )


@pytest.mark.parametrize("role", [Role.REPORTER, Role.MANAGEMENT, Role.OBSERVER])
def test_only_coordinators_may_write(county_world, make_user, role):
    with pytest.raises(PermissionDenied):
        services.report_back_save(
            county_id=County.objects.get(code="06").pk,
            year=2022,
            texts={},
            keys=["1"],
            actor=make_user(role),
        )


def _url(code: str, name: str = "followup:report-back", **extra) -> str:
    return reverse(name, kwargs={"county_code": code, "year": 2022, **extra})


@pytest.mark.parametrize(
    ("role", "code", "status"),
    [
        (Role.COORDINATOR, "06", 200),
        (Role.COORDINATOR, "07", 404),
        (Role.REPORTER, "06", 403),
        (Role.MANAGEMENT, "06", 403),
        (Role.OBSERVER, "06", 403),
    ],
)
def test_who_sees_the_report_back_page(county_world, client, make_user, role, code, status):
    client.force_login(make_user(role))
    assert client.get(_url(code)).status_code == status
    docx = _url(code, "followup:report-back-download", fmt="docx")
    assert client.get(docx).status_code == status


def test_page_saves_and_the_docx_holds_the_text(county_world, client, make_user):
    from docx import Document

    client.force_login(make_user(Role.COORDINATOR))
    response = client.post(
        _url("06"), {"text_2": "Vi har <b>stärkt</b> stödet.", "lock_version": ""}
    )
    assert response.status_code == 302
    page = client.get(_url("06")).content.decode()
    assert "&lt;b&gt;stärkt&lt;/b&gt;" in page  # escaped, never HTML
    content = client.get(_url("06", "followup:report-back-download", fmt="docx")).content
    texts = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    assert "Vi har <b>stärkt</b> stödet." in texts
    # finalise from the page; afterwards a POST changes nothing
    rb = ReportBack.objects.get()
    client.post(_url("06", "followup:report-back-finalise"), {"lock_version": rb.lock_version})
    rb.refresh_from_db()
    assert rb.status == ReportBack.Status.FINAL
    client.post(_url("06"), {"text_2": "ändrat", "lock_version": rb.lock_version})
    rb.refresh_from_db()
    assert rb.texts == {"2": "Vi har <b>stärkt</b> stödet."}


def test_hostile_year_and_format_are_404(county_world, client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    assert client.get("/lan/06/aterrapportering/99999999999/").status_code == 404
    assert client.get(_url("06", "followup:report-back-download", fmt="exe")).status_code == 404


def test_the_menu_leads_the_coordinator_to_the_latest_year(county_world, client, make_user):
    client.force_login(make_user(Role.COORDINATOR))
    response = client.get(reverse("followup:report-back-latest", kwargs={"county_code": "06"}))
    assert response.status_code == 302
    assert response["Location"] == _url("06")


def test_observer_menu_links_the_national_overview(client, make_user):
    client.force_login(make_user(Role.OBSERVER))
    page = client.get(reverse("home")).content.decode()
    assert reverse("followup:national-overview") in page
