import pytest
from django.core.cache import cache
from django.urls import reverse

from followup import services
from followup.models import Submission
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db
S = Submission.Status


def _form_data(world, **extra):
    s = Submission.objects.get(pk=world.submission.pk)
    data = {"lock_version": s.lock_version}
    for q in world.round.questions.all():
        data[f"q_{q.pk}"] = "Svar på " + q.key
    data[f"ind_{world.indicator.pk}_value"] = "7"
    data[f"ind_{world.indicator.pk}_note"] = ""
    data.update(extra)
    return data


def test_reporter_sees_own_rounds_and_form(client, world):
    client.force_login(world.users["reporter"])
    page = client.get(reverse("followup:index"))
    assert page.status_code == 200
    assert "Aneby kommun" in page.content.decode()
    assert "Tranås kommun" not in page.content.decode()
    form = client.get(reverse("followup:submission-edit", args=[world.submission.pk]))
    html = form.content.decode()
    assert form.status_code == 200
    assert "Skriv inga uppgifter om enskilda personer" in html
    assert "1:2" in html
    assert "Utbildning för personal" in html
    assert 'data-hx-trigger="input changed delay:1500ms' in html
    assert "js/autosave.js" in html
    assert "<script>" not in html


def test_htmx_autosave_returns_status_and_new_version(client, world):
    client.force_login(world.users["reporter"])
    url = reverse("followup:submission-edit", args=[world.submission.pk])
    resp = client.post(url, _form_data(world), headers={"HX-Request": "true"})
    assert resp.status_code == 200
    assert resp["X-Autosave"] == "saved"
    assert 'data-hx-swap-oob="true"' in resp.content.decode()
    assert 'value="1"' in resp.content.decode()
    # a second save with the stale version: 409 with both values, nothing lost
    resp2 = client.post(
        url,
        _form_data(world, lock_version=0, **{f"q_{world.round.questions.first().pk}": "Mitt nya"}),
        headers={"HX-Request": "true"},
    )
    assert resp2.status_code == 409
    body = resp2.content.decode()
    assert "Mitt nya" in body
    assert "Svar på own_plan" in body


def test_plain_post_conflict_page_keeps_values(client, world):
    client.force_login(world.users["reporter"])
    url = reverse("followup:submission-edit", args=[world.submission.pk])
    client.post(url, _form_data(world, action="save"))
    resp = client.post(
        url,
        _form_data(
            world,
            lock_version=0,
            action="save",
            **{f"q_{world.round.questions.last().pk}": "Det jag skrev"},
        ),
    )
    assert resp.status_code == 409
    assert "Det jag skrev" in resp.content.decode()


def test_submit_via_form_then_read_only(client, world):
    client.force_login(world.users["reporter"])
    url = reverse("followup:submission-edit", args=[world.submission.pk])
    resp = client.post(url, _form_data(world, action="submit"))
    assert resp.status_code == 302
    world.submission.refresh_from_db()
    assert world.submission.status == S.SUBMITTED
    # the form now redirects to the read-only view
    assert client.get(url).status_code == 302
    # a second submit (double click) is harmless
    again = client.post(reverse("followup:submission-submit", args=[world.submission.pk]))
    assert again.status_code == 302
    assert Submission.objects.get(pk=world.submission.pk).status == S.SUBMITTED


def test_submit_lists_missing_answers(client, world):
    client.force_login(world.users["reporter"])
    url = reverse("followup:submission-edit", args=[world.submission.pk])
    data = _form_data(world, action="submit")
    for q in world.round.questions.all():
        data[f"q_{q.pk}"] = ""
    resp = client.post(url, data)
    assert resp.status_code == 200
    assert "missing-answers" in resp.content.decode()


def test_personal_data_warning_page_then_confirm(client, world):
    client.force_login(world.users["reporter"])
    url = reverse("followup:submission-edit", args=[world.submission.pk])
    q = world.round.questions.get(key="support")
    resp = client.post(
        url, _form_data(world, action="submit", **{f"q_{q.pk}": "Mejla anna@example.se"})
    )
    html = resp.content.decode()
    assert "personal-data-findings" in html
    assert "anna@example.se" not in html
    resp = client.post(
        reverse("followup:submission-submit", args=[world.submission.pk]),
        {"confirm_personal_data": "1"},
    )
    world.submission.refresh_from_db()
    assert world.submission.status == S.SUBMITTED
    assert world.submission.personal_data_flagged


def test_activity_add_edit_delete(client, world):
    client.force_login(world.users["reporter"])
    add = reverse("followup:activity-add", args=[world.submission.pk])
    assert client.get(add).status_code == 200
    resp = client.post(
        add,
        {
            "title": "Utbildning",
            "description": "Heldag",
            "sub_goals": [world.sub_goals[1].pk],
            "prevention_level": "universell",
            "areas": ["våld i nära relation"],
            "target_groups": "Personal",
            "partners": "Region",
            "status": "genomförd",
            "lock_version": 0,
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    act = world.submission.activities.get()
    assert act.areas == ["våld i nära relation"]
    edit = reverse("followup:activity-edit", args=[world.submission.pk, act.pk])
    assert client.get(edit).status_code == 200
    delete = reverse("followup:activity-delete", args=[world.submission.pk, act.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not world.submission.activities.exists()


def test_coordinator_review_flow_and_overview(client, world, django_assert_max_num_queries):
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    client.force_login(world.users["coordinator"])
    detail = reverse("followup:submission-detail", args=[world.submission.pk])
    assert "Granskning" in client.get(detail).content.decode()
    client.post(
        reverse("followup:submission-review", args=[world.submission.pk, "return"]),
        {"comment": "Komplettera"},
    )
    assert Submission.objects.get(pk=world.submission.pk).status == S.RETURNED
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    client.post(reverse("followup:submission-review", args=[world.submission.pk, "accept"]))
    assert Submission.objects.get(pk=world.submission.pk).status == S.ACCEPTED
    page = client.get(reverse("followup:round-detail", args=[world.round.pk]))
    assert "Inskickade 1 av 2 (50 %)" in page.content.decode()
    xlsx = client.get(reverse("followup:round-export", args=[world.round.pk]))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_round_create_edit_questions_open(client, world):
    client.force_login(world.users["coordinator"])
    resp = client.get(reverse("followup:round-create"))
    assert resp.status_code == 200
    resp = client.post(
        reverse("followup:round-create"),
        {
            "plan": world.plan.pk,
            "year": 2030,
            "title": "Uppföljning 2030",
            "instructions": "",
            "opens_on": "2031-01-10",
            "deadline": "2031-02-15",
            "organisations": [world.org.pk],
        },
    )
    assert resp.status_code == 302
    from followup.models import FollowUpRound

    r = FollowUpRound.objects.get(year=2030)
    assert r.questions.count() == 4
    q = r.questions.first()
    resp = client.post(
        reverse("followup:round-questions", args=[r.pk]),
        {
            "question_id": q.pk,
            f"q{q.pk}-text": "Ny text?",
            f"q{q.pk}-help_text": "",
            f"q{q.pk}-kind": "text",
            f"q{q.pk}-required": "on",
            f"q{q.pk}-order": 1,
        },
    )
    assert resp.status_code == 302
    q.refresh_from_db()
    assert q.text == "Ny text?"
    client.post(reverse("followup:round-transition", args=[r.pk, "open"]))
    r.refresh_from_db()
    assert r.status == "open"
    assert r.submissions.count() == 1
    # bad dates: a Swedish message, nothing written
    resp = client.post(
        reverse("followup:round-create"),
        {
            "plan": world.plan.pk,
            "year": 2031,
            "title": "X",
            "opens_on": "2031-03-01",
            "deadline": "2031-02-01",
            "organisations": [world.org.pk],
        },
    )
    assert resp.status_code == 200
    assert "före öppningsdagen" in resp.content.decode()


def test_overview_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    from kvinnofrid.directory.models import Organisation
    from tests.factories import OrganisationFactory, ReportedActivityFactory, SubmissionFactory

    client.force_login(world.users["coordinator"])
    url = reverse("followup:round-detail", args=[world.round.pk])
    client.get(url)
    cache.clear()  # measure the uncached path (a fragment cache miss): the one that could grow
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    for i in range(15):
        org = OrganisationFactory(name=f"Extra {i}")
        sub = SubmissionFactory(round=world.round, organisation=org, status=S.SUBMITTED)
        a = ReportedActivityFactory(submission=sub)
        a.sub_goals.set(world.sub_goals[: 1 + i % 3])
    assert Organisation.objects.count() > 15
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_form_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    from tests.factories import ReportedActivityFactory

    client.force_login(world.users["reporter"])
    url = reverse("followup:submission-edit", args=[world.submission.pk])
    ReportedActivityFactory(submission=world.submission).sub_goals.set(world.sub_goals[:1])
    client.get(url)
    cache.clear()  # the form's body is cached: count what a first view costs
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for _i in range(10):
        a = ReportedActivityFactory(submission=world.submission)
        a.sub_goals.set(world.sub_goals)
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_followup_panel_tag(rf, world):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = world.users["coordinator"]
    html = Template("{% load followup_tags %}{% followup_panel county %}").render(
        Context({"request": request, "county": world.plan.county})
    )
    assert world.round.title in html
    assert "Inskickade 0 av 2" in html


def test_a_closed_round_is_marked_reported_once_its_report_is_final(client, world):
    from followup.models import FollowUpRound, StatusReport
    from tests.factories import StatusReportFactory

    coordinator = world.users["coordinator"]
    services.round_close(round_id=world.round.pk, actor=coordinator)
    client.force_login(coordinator)
    detail = reverse("followup:round-detail", args=[world.round.pk])
    mark = reverse("followup:round-transition", args=[world.round.pk, "reported"])
    # given a closed round whose report is a draft: no button, and a direct POST is refused
    report = StatusReportFactory(round=world.round, status=StatusReport.Status.DRAFT)
    page = client.get(detail).content.decode()
    assert "Markera som rapporterad" not in page
    assert "När lägesrapporten är fastställd kan uppföljningen markeras" in page
    page = client.post(mark, follow=True).content.decode()
    assert "Fastställ lägesrapporten innan uppföljningen markeras som rapporterad." in page
    world.round.refresh_from_db()
    assert world.round.status == FollowUpRound.Status.CLOSED
    # when the report is final, the button is there and marks the round reported
    report.status = StatusReport.Status.FINAL
    report.save()
    assert f'action="{mark}"' in client.get(detail).content.decode()
    page = client.post(mark, follow=True).content.decode()
    assert "Uppföljningen är markerad som rapporterad." in page
    world.round.refresh_from_db()
    assert world.round.status == FollowUpRound.Status.REPORTED
    # and a reporter may not do it
    client.force_login(world.users["reporter"])
    assert client.post(mark).status_code in (403, 404)
