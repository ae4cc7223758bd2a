"""Issue 16 item 6: gallring. The dry run lists, the real run removes exactly that and logs
it; nothing submitted, registered or finalised is ever removed."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from followup import services
from followup.models import Answer, FollowUpRound, Submission
from followup.services.retention import REMOVE, REVIEW, retention_run
from followup.tasks import retention_run_task
from kvinnofrid.core.models import AuditEntry, RetentionRule, RetentionRun
from tests.factories import SubmissionFactory
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_world(world):
    """The world's round four years past its deadline: Aneby's yttrande a draft with answers,
    Tranås's submitted (and flagged), a third organisation's draft registered in the diarium."""
    fill_required(world)
    other = world.other_submission
    other.refresh_from_db()
    question = world.round.questions.filter(required=True).first()
    services.submission_save(
        submission_id=other.pk,
        lock_version=other.lock_version,
        answers={
            q.pk: {"text": "Ring 070-123 45 67."}
            for q in world.round.questions.filter(required=True)
        },
        indicator_values={},
        actor=world.users["other_org_reporter"],
    )
    services.submission_submit(
        submission_id=other.pk, actor=world.users["other_org_reporter"], confirm_personal_data=True
    )
    registered = SubmissionFactory(round=world.round, diarienummer="LST 2019-123")
    Answer.objects.create(submission=registered, question=question, text="Utkast")
    today = timezone.localdate()
    deadline = today - datetime.timedelta(days=4 * 366)
    FollowUpRound.objects.filter(pk=world.round.pk).update(
        opens_on=deadline - datetime.timedelta(days=30), deadline=deadline
    )
    RetentionRule.objects.filter(kind=RetentionRule.Kind.DRAFT_SUBMISSIONS).update(
        active=True, years=3
    )
    world.registered = registered
    return world


def test_the_migration_seeds_the_rules_with_removal_off():
    rules = {r.kind: r for r in RetentionRule.objects.all()}
    assert not rules["draft_submissions"].active
    assert rules["flagged_text"].active


def test_the_dry_run_lists_and_the_real_run_removes_exactly_that(old_world):
    w = old_world
    answers_before = Answer.objects.count()
    # when a dry run
    dry = retention_run(dry_run=True, trigger="test")
    # then it lists Aneby's draft for removal and Tranås's flagged yttrande for review …
    listed = {(i["action"], i["submission_id"]) for i in dry.items}
    assert listed == {(REMOVE, w.submission.pk), (REVIEW, w.other_submission.pk)}
    assert dry.counts == {"draft_submissions": 1, "flagged_text": 1}
    # … and changes nothing
    assert Answer.objects.count() == answers_before
    assert Submission.objects.get(pk=w.submission.pk).status == Submission.Status.DRAFT
    # when the real run
    run = retention_run(dry_run=False, trigger="test")
    # then it did exactly what the dry run listed
    assert {(i["action"], i["submission_id"]) for i in run.items} == listed
    emptied = Submission.objects.get(pk=w.submission.pk)
    assert emptied.status == Submission.Status.NOT_STARTED
    assert not emptied.answers.exists()
    assert not emptied.indicator_answers.exists()
    # never the submitted or the registered one
    assert Submission.objects.get(pk=w.other_submission.pk).answers.exists()
    assert Submission.objects.get(pk=w.other_submission.pk).status == Submission.Status.SUBMITTED
    assert w.registered.answers.exists()
    # and it is logged: the run, and in the yttrande's own history
    assert RetentionRun.objects.filter(dry_run=False).get().counts == run.counts
    entry = AuditEntry.objects.get(action="followup.retention.run")
    assert entry.changes == {"removed": [None, 1], "review": [None, 1]}
    assert AuditEntry.objects.filter(action="followup.retention.dry_run").count() == 1
    emptied_entry = AuditEntry.objects.get(action="followup.retention.draft_emptied")
    assert emptied_entry.target_id == w.submission.pk
    assert emptied_entry.changes["status"] == [Submission.Status.DRAFT, "not_started"]
    # a second run finds nothing more to remove
    again = retention_run(dry_run=False, trigger="test")
    assert [i["action"] for i in again.items] == [REVIEW]


def test_nothing_is_removed_before_the_rule_says_or_when_it_is_off(old_world):
    w = old_world
    RetentionRule.objects.filter(kind=RetentionRule.Kind.DRAFT_SUBMISSIONS).update(years=5)
    assert retention_run(dry_run=False).counts == {"flagged_text": 1}
    RetentionRule.objects.update(active=False)
    assert retention_run(dry_run=False).items == []
    assert Submission.objects.get(pk=w.submission.pk).answers.exists()


def test_a_draft_submitted_between_dry_run_and_run_is_left_alone(old_world):
    w = old_world
    retention_run(dry_run=True)
    Submission.objects.filter(pk=w.submission.pk).update(diarienummer="LST 2019-9")
    run = retention_run(dry_run=False)
    assert REMOVE not in {i["action"] for i in run.items}
    assert Submission.objects.get(pk=w.submission.pk).answers.exists()


def test_a_user_who_is_not_the_national_admin_cannot_run_it(old_world):
    with pytest.raises(PermissionDenied):
        retention_run(dry_run=False, actor=old_world.users["coordinator"])
    assert Submission.objects.get(pk=old_world.submission.pk).answers.exists()


def test_the_command_and_the_beat_task(old_world):
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "draft_submissions" in text
    assert "1 utkast skulle tömmas, 1 yttranden att granska" in text
    assert Submission.objects.get(pk=old_world.submission.pk).answers.exists()
    assert settings.CELERY_BEAT_SCHEDULE["retention-run"]["task"] == "followup.retention_run"
    run_id = retention_run_task.delay().get()
    assert RetentionRun.objects.get(pk=run_id).counts["draft_submissions"] == 1
    assert not Submission.objects.get(pk=old_world.submission.pk).answers.exists()


def test_the_national_admin_sees_the_last_runs(client, old_world, make_user):
    from django.urls import reverse

    retention_run(dry_run=True)
    url = reverse("actors:retention-runs")
    client.force_login(old_world.users["coordinator"])
    assert client.get(url).status_code == 403
    client.force_login(make_user("national_admin", county_code="06"))
    page = client.get(url).content.decode()
    assert "Provkörning" in page
    assert f"skulle tömmas: {old_world.submission}" in page


def test_only_the_national_admin_changes_the_rules_in_the_admin(make_user):
    from django.contrib.admin.sites import site
    from django.test import RequestFactory

    model_admin = site._registry[RetentionRule]
    rule = RetentionRule.objects.get(kind=RetentionRule.Kind.DRAFT_SUBMISSIONS)
    request = RequestFactory().get("/")
    request.user = make_user("coordinator", county_code="06")
    assert not model_admin.has_change_permission(request, rule)
    assert not model_admin.has_view_permission(request, rule)
    request.user = make_user("national_admin", county_code="06")
    assert model_admin.has_change_permission(request, rule)
    assert not model_admin.has_delete_permission(request, rule)
    assert not model_admin.has_add_permission(request)
    run_admin = site._registry[RetentionRun]
    assert not run_admin.has_change_permission(request, None)
    assert not run_admin.has_delete_permission(request, None)
