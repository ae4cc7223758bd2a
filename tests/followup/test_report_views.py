"""Report pages: the URL × role × own/other county matrix, the editor, the build page, download."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import ReportBuild, StatusReport
from followup.reports import builds as report_builds
from followup.reports import services
from followup.reports.pdf import RenderedPdf, ReportRenderer
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fake_pdf(monkeypatch):
    monkeypatch.setattr(
        ReportRenderer,
        "render_pdf",
        lambda self, html: RenderedPdf(content=b"%PDF-1.7\n% fake report\n", page_count=2),
    )


@pytest.fixture
def world(make_user, django_capture_on_commit_callbacks):
    """Jönköping with a final 2022 report (and its PDF) and a draft 2023 report."""
    data = build_county(actors=5, submitted=3, activities=4, goals=2)
    coordinator = make_user("coordinator", county_code="06")
    with django_capture_on_commit_callbacks(execute=True):
        build = report_builds.report_request_build(report_id=data.report.pk, actor=coordinator)
    services.report_finalise(report_id=data.report.pk, actor=coordinator)
    draft = services.report_create(round_id=data.round.pk, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        draft_build = report_builds.report_request_build(report_id=draft.pk, actor=coordinator)
    return {
        "final": StatusReport.objects.get(pk=data.report.pk),
        "draft": draft,
        "build": ReportBuild.objects.get(pk=build.pk),
        "draft_build": ReportBuild.objects.get(pk=draft_build.pk),
        "round": data.round,
        "coordinator": coordinator,
        "data": data,
    }


def url_for(name, world):
    final, draft, draft_build = world["final"], world["draft"], world["draft_build"]
    return {
        "list": reverse("followup:report-list", args=["06"]),
        "final-download": reverse("followup:report-download", args=[final.pk]),
        "final-detail": reverse("followup:report-detail", args=[final.pk]),
        "draft-download": reverse("followup:report-download", args=[draft.pk]),
        "draft-detail": reverse("followup:report-detail", args=[draft.pk]),
        "draft-edit": reverse("followup:report-edit", args=[draft.pk]),
        "draft-preview": reverse("followup:report-preview", args=[draft.pk]),
        "draft-build-status": reverse(
            "followup:report-build-status", args=[draft.pk, draft_build.pk]
        ),
        "draft-finalise": reverse("followup:report-finalise", args=[draft.pk]),
    }[name]


# expected status per role for each URL (GET)
MATRIX = {
    #                     anon coord mgmt  rep   obs  other_coord other_mgmt
    "list": (302, 200, 200, 200, 200, 404, 404),
    "final-download": (302, 200, 200, 200, 200, 404, 404),
    "final-detail": (302, 200, 200, 200, 200, 404, 404),
    "draft-download": (302, 200, 403, 403, 403, 404, 404),
    "draft-detail": (302, 200, 403, 403, 403, 404, 404),
    "draft-edit": (302, 200, 403, 403, 403, 404, 404),
    "draft-preview": (302, 200, 403, 403, 403, 404, 404),
    "draft-build-status": (302, 200, 403, 403, 403, 404, 404),
    "draft-finalise": (302, 200, 403, 403, 403, 404, 404),
}
ROLES = (
    "anonymous",
    "coordinator",
    "management",
    "reporter",
    "observer",
    "other_county_coordinator",
    "other_county_management",
)


@pytest.mark.parametrize("name", list(MATRIX))
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_url_role_matrix(client, world, user_with_role, name, role_index):
    # given
    role = ROLES[role_index]
    user = world["coordinator"] if role == "coordinator" else user_with_role(role)
    if user is not None:
        client.force_login(user)
    # when
    response = client.get(url_for(name, world))
    # then
    assert response.status_code == MATRIX[name][role_index]


@pytest.mark.parametrize(
    ("name", "args_key"),
    [("report-build", "draft"), ("report-finalise", "draft"), ("report-create", "round")],
)
@pytest.mark.parametrize(
    ("role", "expected"),
    [("management", 403), ("reporter", 403), ("observer", 403), ("other_county_coordinator", 404)],
)
def test_post_actions_refused(client, world, user_with_role, name, args_key, role, expected):
    client.force_login(user_with_role(role))
    response = client.post(reverse(f"followup:{name}", args=[world[args_key].pk]))
    assert response.status_code == expected


def test_download_is_an_attachment_served_by_the_view(client, world, make_user):
    client.force_login(make_user("management", county_code="06"))
    response = client.get(url_for("final-download", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "lagesrapport-06-2022.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_list_shows_final_reports_by_year(client, world, make_user):
    client.force_login(make_user("reporter", county_code="06"))
    response = client.get(url_for("list", world))
    html = response.content.decode()
    assert "Ladda ner PDF för 2022" in html
    assert url_for("draft-detail", world) not in html


def test_editor_saves_texts_analysis_and_highlights(client, world):
    # given
    draft = world["draft"]
    client.force_login(world["coordinator"])
    page = client.get(url_for("draft-edit", world))
    form = page.context["form"]
    goal = world["data"].goals[0]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "lock_version": draft.lock_version,
            "title": "Regional lägesrapport 2022",
            "closing_words": "Slutord <script>alert(1)</script>",
            f"analysis_{goal.pk}": "Analysen för mål 1.",
            "signed_on": "2023-04-20",
        }
    )
    acts = page.context["goal_blocks"][0]["activities"]
    act_id = acts[0]["activity"]["id"]
    goal_id = page.context["goal_blocks"][0]["goal"]["id"]
    data[f"highlight_{goal_id}_{act_id}"] = "on"
    data[f"position_{goal_id}_{act_id}"] = "1"
    # when
    response = client.post(url_for("draft-edit", world), data)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.closing_words == "Slutord <script>alert(1)</script>"
    assert draft.analyses.get(goal=goal).analysis == "Analysen för mål 1."
    preview = client.get(url_for("draft-preview", world)).content.decode()
    assert "Analysen för mål 1." in preview
    assert "<script>alert(1)</script>" not in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview


def test_editor_stale_save_shows_conflict_with_typed_text(client, world):
    draft = world["draft"]
    client.force_login(world["coordinator"])
    services.report_update(
        report_id=draft.pk,
        actor=world["coordinator"],
        expected_version=draft.lock_version,
        fields={"closing_words": "Någon annans text"},
    )
    response = client.post(
        url_for("draft-edit", world),
        {"lock_version": draft.lock_version, "title": "T", "closing_words": "Min egen text"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Min egen text" in html
    assert "Någon annans text" in html


def test_build_button_and_status_page(client, world, django_capture_on_commit_callbacks):
    # given
    client.force_login(world["coordinator"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followup:report-build", args=[world["draft"].pk]))
    # then: unchanged source, so the build is already done (reused)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "PDF:en är klar" in html
    assert 'data-hx-trigger="every 2s"' not in html


def test_status_page_polls_while_queued_and_answers_htmx(client, world):
    client.force_login(world["coordinator"])
    queued = ReportBuild.objects.create(report=world["draft"])
    url = reverse("followup:report-build-status", args=[world["draft"].pk, queued.pk])
    html = client.get(url).content.decode()
    assert 'data-hx-trigger="every 2s"' in html
    assert f'data-hx-get="{url}"' in html
    assert "i kö" in html
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert 'id="build-status"' in fragment
    queued.status = ReportBuild.Status.FAILED
    queued.error = "PDF:en kunde inte skapas."
    queued.save()
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment
    assert "PDF:en kunde inte skapas." in fragment


def test_finalise_through_the_view(client, world):
    client.force_login(world["coordinator"])
    draft = world["draft"]
    response = client.post(
        url_for("draft-finalise", world),
        # not every yttrande is accepted: the coordinator confirms (issue 15 item 8)
        {"lock_version": draft.lock_version, "confirm_incomplete": "1"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == StatusReport.Status.FINAL


def test_list_query_count_does_not_grow(client, world, make_user, django_assert_max_num_queries):
    client.force_login(world["coordinator"])
    with django_assert_max_num_queries(25):
        assert client.get(url_for("list", world)).status_code == 200


def test_detail_and_editor_query_counts_do_not_grow(client, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_county(actors=3, submitted=2, activities=3, goals=2)
    big = build_county(county_code="07", actors=30, submitted=25, activities=120, goals=6)
    counts = {}
    for data, code in ((small, "06"), (big, "07")):
        client.force_login(make_user("coordinator", county_code=code))
        for name in ("followup:report-detail", "followup:report-edit"):
            url = reverse(name, args=[data.report.pk])
            client.get(url)  # warm caches (sessions, content types)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts[(code, name)] = len(ctx.captured_queries)
    for name in ("followup:report-detail", "followup:report-edit"):
        assert counts[("07", name)] <= counts[("06", name)], counts


def test_report_edit_without_lock_version_explains_and_keeps_text(client, make_user):
    # given a draft report and its coordinator
    from followup.models import StatusReport
    from tests.factories import StatusReportFactory

    report = StatusReportFactory()
    coordinator = make_user("coordinator", county_code=report.round.plan.county.code)
    client.force_login(coordinator)
    # when the post lacks the hidden lock_version
    response = client.post(
        reverse("followup:report-edit", args=[report.pk]),
        {"title": report.title, "introduction": "Min inledning"},
    )
    # then nothing is saved, the form explains in Swedish and keeps the text
    assert response.status_code == 400
    content = response.content.decode()
    assert "saknar uppgift om vilken version" in content
    assert "Min inledning" in content
    assert StatusReport.objects.get(pk=report.pk).introduction == ""


def test_status_page_of_a_stuck_build_offers_a_new_build(client, world):
    # given: a running build whose worker died (its lease ran out)
    client.force_login(world["coordinator"])
    stuck = ReportBuild.objects.create(
        report=world["draft"],
        status=ReportBuild.Status.RUNNING,
        started_at=timezone.now() - datetime.timedelta(minutes=10),
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=5),
        attempts=1,
    )
    url = reverse("followup:report-build-status", args=[world["draft"].pk, stuck.pk])
    # when
    html = client.get(url).content.decode()
    # then: no endless polling, a button that starts a new build
    assert "hx-trigger" not in html
    assert "svarar inte längre" in html
    assert "Bygg PDF på nytt" in html
    assert reverse("followup:report-build", args=[world["draft"].pk]) in html
    response = client.post(reverse("followup:report-build", args=[world["draft"].pk]))
    new_pk = int(response["Location"].rstrip("/").split("/")[-1])
    assert new_pk != stuck.pk
    stuck.refresh_from_db()
    assert stuck.status == ReportBuild.Status.FAILED


def _editor_post_data(client, world):
    page = client.get(url_for("draft-edit", world))
    form = page.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["lock_version"] = world["draft"].lock_version
    data["signed_on"] = ""
    return page, data


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("introduction", "Kvinnan (121212\u20131212) fick stöd."),  # en dash
        ("closing_words", "Kontakta Anna på anna.andersson@aneby.se"),
        ("place", "\uff11\uff12\uff11\uff12\uff11\uff12\uff0d\uff11\uff12\uff11\uff12"),
        ("analysis", "Ärendet 1912-12-12-1212 visar att …"),
    ],
)
def test_editor_refuses_personal_data_in_every_text(client, world, field, text):
    """Issue 12 item 9: the report is published; its texts get the personal-data guard."""
    # given
    client.force_login(world["coordinator"])
    page, data = _editor_post_data(client, world)
    name = f"analysis_{world['data'].goals[0].pk}" if field == "analysis" else field
    data[name] = text
    before = world["draft"].lock_version
    # when
    response = client.post(url_for("draft-edit", world), data)
    # then: a Swedish message on the field, nothing saved
    assert response.status_code == 400
    errors = response.context["form"].errors[name]
    assert any("ta bort uppgifter om enskilda personer" in e for e in errors), errors
    draft = StatusReport.objects.get(pk=world["draft"].pk)
    assert draft.lock_version == before
    assert text not in (draft.introduction, draft.closing_words, draft.place)
    assert not draft.analyses.filter(analysis=text).exists()


def _activity_with_personnummer(world):
    from followup.models import ReportedActivity

    act = (
        ReportedActivity.objects.filter(submission__round=world["round"])
        .filter(submission__status__in=["submitted", "accepted"])
        .exclude(sub_goals=None)
        .order_by("id")
        .first()
    )
    act.description = "Vi stöttade en kvinna, pnr 19121212\u20111212, under hela året."
    act.save(update_fields=["description"])
    return act


def test_flagged_activity_cannot_be_highlighted(client, world):
    # given: an actor wrote a personnummer into an activity (and confirmed it when submitting)
    client.force_login(world["coordinator"])
    act = _activity_with_personnummer(world)
    page, data = _editor_post_data(client, world)
    goal_id = act.sub_goals.first().goal_id
    data[f"highlight_{goal_id}_{act.pk}"] = "on"
    data[f"position_{goal_id}_{act.pk}"] = "1"
    # when
    response = client.post(url_for("draft-edit", world), data)
    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Aktiviteten ”{act.title}”" in html
    assert "personnummer" in html
    assert "inte lyftas fram" in html
    act.refresh_from_db()
    assert act.highlighted is False


def test_build_and_finalise_refuse_a_pdf_that_would_show_a_flagged_activity(
    client, world, django_capture_on_commit_callbacks
):
    # given: nothing is highlighted, so the PDF would show every activity, the flagged one too
    client.force_login(world["coordinator"])
    draft = world["draft"]
    act = _activity_with_personnummer(world)
    builds = ReportBuild.objects.count()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("followup:report-build", args=[draft.pk]), follow=True)
    # then: no build, a Swedish message naming the activity
    html = response.content.decode()
    assert ReportBuild.objects.count() == builds
    assert "PDF:en kan inte byggas" in html
    assert f"Aktiviteten ”{act.title}”" in html
    assert "121212" not in html
    response = client.post(
        url_for("draft-finalise", world),
        {"lock_version": draft.lock_version, "confirm_incomplete": "1"},
        follow=True,
    )
    assert "PDF:en kan inte byggas" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == StatusReport.Status.DRAFT
    # when another activity is highlighted, the flagged one is left out and the PDF builds
    other = (
        act.__class__.objects.filter(
            submission__round=world["round"], submission__status__in=["submitted", "accepted"]
        )
        .exclude(pk=act.pk)
        .exclude(sub_goals=None)
        .first()
    )
    services.report_update(
        report_id=draft.pk,
        actor=world["coordinator"],
        expected_version=draft.lock_version,
        fields={},
        highlights={other.pk: {other.sub_goals.first().goal_id: 1}},
    )
    with django_capture_on_commit_callbacks(execute=True):
        build = report_builds.report_request_build(report_id=draft.pk, actor=world["coordinator"])
    build.refresh_from_db()
    assert build.status == ReportBuild.Status.DONE


def test_list_rows_read_as_the_template_wrote_them(world):
    """report_rows formats what the list's template used to (its blocktranslates, the date
    filter in local time, the download URL), in Swedish and English."""
    from django.template import Context, Template
    from django.utils import translation

    from followup.reports.list_rows import report_rows

    final = world["final"]
    late_evening = datetime.datetime(2022, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 1 Jan locally
    StatusReport.objects.filter(pk=final.pk).update(finalised_at=late_evening)
    old = Template(
        '{% load i18n %}({% blocktranslate with date=report.finalised_at|date:"j F Y" %}'
        "fastställd {{ date }}{% endblocktranslate %}) <a href=\"{% url 'followup:report-download'"
        ' report.pk %}">{% blocktranslate with year=report.round.year %}Ladda ner PDF för'
        " {{ year }}{% endblocktranslate %}</a>"
    )
    report = StatusReport.objects.select_related("round").get(pk=final.pk)
    for language in ("sv", "en"):
        with translation.override(language):
            (row,), drafts, _rounds = report_rows(
                county_id=world["round"].plan.county_id, drafts=True
            )
            shown = f'({row["finalised"]}) <a href="{row["download_url"]}">{row["download"]}</a>'
            assert shown == old.render(Context({"report": report}))
            assert [d["pk"] for d in drafts] == [world["draft"].pk]


def test_list_rows_in_the_order_of_the_queries_they_replace(world):
    """Several final reports of a round (one not dated), another round without any report:
    the same reports, rounds and order as the list's two queries gave."""
    from django.db import connection

    from followup.models import FollowUpRound
    from followup.reports.list_rows import report_rows

    round_ = world["round"]
    county_id = round_.plan.county_id
    other = FollowUpRound.objects.create(
        plan=round_.plan, year=round_.year + 1, title="Nästa", deadline=round_.deadline
    )
    for i, finalised in enumerate([None, world["final"].finalised_at, timezone.now()]):
        StatusReport.objects.create(
            round=round_, title=f"Fastställd {i}", status="final", finalised_at=finalised
        )
    finals, drafts, rounds = report_rows(county_id=county_id, drafts=True)
    reports = list(
        StatusReport.objects.filter(round__plan__county_id=county_id).order_by(
            "-round__year", "-finalised_at", "-id"
        )
    )
    dated = [r.pk for r in reports if r.status == "final" and r.finalised_at]
    assert [r["pk"] for r in finals if r["finalised_at"]] == dated
    assert {r["pk"] for r in finals} == {r.pk for r in reports if r.status == "final"}
    if connection.vendor == "postgresql":  # SQLite sorts an empty date last
        assert [r["pk"] for r in finals] == [r.pk for r in reports if r.status == "final"]
    assert [r["pk"] for r in drafts] == [r.pk for r in reports if r.status == "draft"]
    with_draft = {r.round_id for r in reports if r.status == "draft"}
    all_rounds = FollowUpRound.objects.filter(plan__county_id=county_id).order_by("-year", "-id")
    assert [r["pk"] for r in rounds] == [r.pk for r in all_rounds if r.pk not in with_draft]
    assert other.pk in [r["pk"] for r in rounds]
    assert report_rows(county_id=county_id, drafts=False)[1:] == ([], [])
