import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from actionplans.models import IndicatorValue
from followup import services
from followup.exceptions import FollowUpError, MissingAnswersError, PersonalDataWarning
from followup.models import FollowUpRound, ReportedActivity, Submission
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.core.models import AuditEntry
from tests.followup.conftest import add_question, fill_required

pytestmark = pytest.mark.django_db
S = Submission.Status
R = FollowUpRound.Status


def _status(world) -> str:
    world.submission.refresh_from_db()
    return world.submission.status


def test_a_submission_lives_along_the_designed_edges_only(world):
    """DESIGN §4's submission machine, walked through the services as people use them: each
    refused step raises a Swedish FollowUpError and changes nothing."""
    reporter, coordinator = world.users["reporter"], world.users["coordinator"]
    sid = world.submission.pk
    # not started: nothing to review or submit yet
    with pytest.raises(FollowUpError):
        services.submission_accept(submission_id=sid, actor=coordinator)
    with pytest.raises(FollowUpError):
        services.submission_return(submission_id=sid, comment="Komplettera", actor=coordinator)
    assert _status(world) == S.NOT_STARTED
    # the first save makes a draft; a draft cannot be accepted or returned
    fill_required(world)
    assert _status(world) == S.DRAFT
    with pytest.raises(FollowUpError):
        services.submission_accept(submission_id=sid, actor=coordinator)
    with pytest.raises(FollowUpError):
        services.submission_reopen(submission_id=sid, actor=coordinator)
    assert _status(world) == S.DRAFT
    # submitted, returned with a comment, submitted again, accepted
    services.submission_submit(submission_id=sid, actor=reporter)
    assert _status(world) == S.SUBMITTED
    with pytest.raises(FollowUpError):
        services.submission_submit(submission_id=sid, actor=reporter)
    services.submission_return(submission_id=sid, comment="Komplettera mål 2", actor=coordinator)
    assert _status(world) == S.RETURNED
    services.submission_submit(submission_id=sid, actor=reporter)
    services.submission_accept(submission_id=sid, actor=coordinator)
    assert _status(world) == S.ACCEPTED
    # an accepted yttrande is neither submitted nor returned again; only "reopen" leaves it
    with pytest.raises(FollowUpError):
        services.submission_submit(submission_id=sid, actor=reporter)
    with pytest.raises(FollowUpError):
        services.submission_return(submission_id=sid, comment="Igen", actor=coordinator)
    assert _status(world) == S.ACCEPTED
    services.submission_reopen(submission_id=sid, actor=coordinator)
    assert _status(world) == S.DRAFT


def test_a_reported_round_is_never_reopened(world):
    coordinator = world.users["coordinator"]
    with pytest.raises(FollowUpError):
        services.round_mark_reported(round_id=world.round.pk, actor=coordinator)  # still open
    services.round_close(round_id=world.round.pk, actor=coordinator)
    FollowUpRound.objects.filter(pk=world.round.pk).update(status=R.REPORTED)
    with pytest.raises(FollowUpError):
        services.round_reopen(round_id=world.round.pk, actor=coordinator)
    with pytest.raises(FollowUpError):
        services.round_close(round_id=world.round.pk, actor=coordinator)
    world.round.refresh_from_db()
    assert world.round.status == R.REPORTED


def test_round_create_copies_standard_questions_and_open_creates_submissions(world):
    keys = list(world.round.questions.values_list("key", flat=True))
    assert keys == ["own_plan", "worked_well", "challenges", "support"]
    assert world.round.status == R.OPEN
    assert set(world.round.submissions.values_list("status", flat=True)) == {S.NOT_STARTED}
    assert world.round.submissions.count() == 2
    assert AuditEntry.objects.filter(action="followup.round.opened").count() == 1


def test_opening_sends_invitations_after_commit(world, django_capture_on_commit_callbacks):
    # given a closed round
    coordinator = world.users["coordinator"]
    services.round_close(round_id=world.round.pk, actor=coordinator)
    # when it is reopened, the invitation task is enqueued after commit only
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.round_open(round_id=world.round.pk, actor=coordinator)
    tasks = [c for c in callbacks if c.__module__ != "kvinnofrid.core.fragments"]  # not cache bumps
    assert len(tasks) == 1
    assert not mail.outbox
    tasks[0]()
    # then each organisation's contacts get one e-mail with a link
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert (("kansli@aneby.example", "rapportor@aneby.example")) in recipients
    assert any(f"/uppfoljning/yttrande/{world.submission.pk}/" in m.body for m in mail.outbox)
    # and running the task again sends nothing more
    n = len(mail.outbox)
    services.round_send_invitations(round_id=world.round.pk)
    assert len(mail.outbox) == n


def test_round_close_reopen_and_refused_transitions(world):
    c = world.users["coordinator"]
    services.round_close(round_id=world.round.pk, actor=c)
    with pytest.raises(FollowUpError):
        services.round_close(round_id=world.round.pk, actor=c)
    services.round_reopen(round_id=world.round.pk, actor=c)
    with pytest.raises(PermissionDenied):
        services.round_close(round_id=world.round.pk, actor=world.users["reporter"])
    with pytest.raises(PermissionDenied):
        services.round_close(round_id=world.round.pk, actor=world.users["other_county_coordinator"])


def test_save_moves_not_started_to_draft_and_bumps_version(world):
    fill_required(world)
    world.submission.refresh_from_db()
    assert world.submission.status == S.DRAFT
    assert world.submission.lock_version == 1


def test_two_saves_with_the_same_lock_version_give_one_conflict_and_lose_nothing(world):
    # given two tabs opened at version 0
    q = world.round.questions.get(key="worked_well")
    reporter = world.users["reporter"]
    services.submission_save(
        submission_id=world.submission.pk,
        lock_version=0,
        answers={q.pk: {"text": "Tab A"}},
        indicator_values={},
        actor=reporter,
    )
    # when the second tab saves with the same version
    with pytest.raises(StaleObjectError) as exc:
        services.submission_save(
            submission_id=world.submission.pk,
            lock_version=0,
            answers={q.pk: {"text": "Tab B"}},
            indicator_values={},
            actor=reporter,
        )
    # then the first save is kept and the conflict carries the current version
    assert exc.value.current.lock_version == 1
    assert world.submission.answers.get(question=q).text == "Tab A"


def test_submit_lists_missing_required_answers(world):
    with pytest.raises(MissingAnswersError) as exc:
        services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    assert len(exc.value.missing) == 1
    assert "handlingsplan" in exc.value.missing[0]


def test_double_submit_submits_once(world):
    fill_required(world)
    reporter = world.users["reporter"]
    services.submission_submit(submission_id=world.submission.pk, actor=reporter)
    with pytest.raises(FollowUpError, match="redan inskickat"):
        services.submission_submit(submission_id=world.submission.pk, actor=reporter)
    assert AuditEntry.objects.filter(action="followup.submission.submitted").count() == 1


def test_submitted_form_is_read_only(world):
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    world.submission.refresh_from_db()
    with pytest.raises(FollowUpError):
        services.submission_save(
            submission_id=world.submission.pk,
            lock_version=world.submission.lock_version,
            answers={},
            indicator_values={},
            actor=world.users["reporter"],
        )


def test_personal_data_warns_then_flags_when_confirmed(world):
    fill_required(world)
    q = world.round.questions.get(key="challenges")
    world.submission.refresh_from_db()
    services.submission_save(
        submission_id=world.submission.pk,
        lock_version=world.submission.lock_version,
        answers={q.pk: {"text": "Kvinnan med pnr 19121212-1212 ringde 070-123 45 67."}},
        indicator_values={},
        actor=world.users["reporter"],
    )
    with pytest.raises(PersonalDataWarning) as exc:
        services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    kinds = {f["kind"] for f in exc.value.findings}
    assert kinds == {"personnummer", "telefonnummer"}
    assert all("1212-1212" not in f["hint"] for f in exc.value.findings)
    s = services.submission_submit(
        submission_id=world.submission.pk, actor=world.users["reporter"], confirm_personal_data=True
    )
    assert s.personal_data_flagged
    assert len(s.personal_data_findings) == 2


def test_return_resubmit_accept_writes_indicator_values(world):
    c, r = world.users["coordinator"], world.users["reporter"]
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=r)
    with pytest.raises(FollowUpError):
        services.submission_return(submission_id=world.submission.pk, comment=" ", actor=c)
    with pytest.raises(PermissionDenied):
        services.submission_accept(submission_id=world.submission.pk, actor=r)
    services.submission_return(
        submission_id=world.submission.pk, comment="Komplettera mål 2", actor=c
    )
    world.submission.refresh_from_db()
    assert world.submission.status == S.RETURNED
    services.submission_submit(submission_id=world.submission.pk, actor=r)
    s = services.submission_accept(submission_id=world.submission.pk, actor=c)
    assert s.status == S.ACCEPTED
    assert s.accepted_by == c
    value = IndicatorValue.objects.get(
        indicator=world.indicator, year=world.round.year, organisation=world.org
    )
    assert value.value == 12
    assert s.indicator_answers.get().indicator_value == value
    # reopen: accepted -> draft, coordinator only
    with pytest.raises(PermissionDenied):
        services.submission_reopen(submission_id=s.pk, actor=r)
    assert services.submission_reopen(submission_id=s.pk, actor=c).status == S.DRAFT
    actions = list(
        AuditEntry.objects.filter(target_id=s.pk, action__startswith="followup.submission.")
        .order_by("id")
        .values_list("action", "actor__email")
    )
    assert ("followup.submission.accepted", c.email) in actions
    assert ("followup.submission.returned", c.email) in actions


def test_late_submit_is_refused_unless_extended(world):
    fill_required(world)
    FollowUpRound.objects.filter(pk=world.round.pk).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1),
        opens_on=timezone.localdate() - datetime.timedelta(days=20),
    )
    with pytest.raises(FollowUpError, match="Sista svarsdag"):
        services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    services.submission_extend_deadline(
        submission_id=world.submission.pk,
        new_deadline=timezone.localdate() + datetime.timedelta(days=3),
        actor=world.users["coordinator"],
    )
    s = services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    assert s.status == S.SUBMITTED
    assert not s.is_late


def test_activity_and_start_from_last_year(world):
    from followup.models import FollowUpRound as Round
    from tests.factories import SubmissionFactory

    # given last year's accepted submission with an activity and an answer
    prev_round = Round.objects.create(
        plan=world.plan,
        year=world.round.year - 1,
        title="Förra",
        deadline=datetime.date(2024, 2, 1),
        status=R.CLOSED,
    )
    prev_q = prev_round.questions.create(key="worked_well", text="Vad fungerade?")
    prev = SubmissionFactory(round=prev_round, organisation=world.org, status=S.ACCEPTED)
    act = ReportedActivity.objects.create(submission=prev, title="Utbildning i FREDA")
    act.sub_goals.set([world.sub_goals[0]])
    prev.answers.create(question=prev_q, text="Samverkan")
    # when the reporter starts from last year
    s = services.submission_start_from_last_year(
        submission_id=world.submission.pk, lock_version=0, actor=world.users["reporter"]
    )
    # then the activity and the answer are copied
    copied = s.activities.get()
    assert copied.title == "Utbildning i FREDA"
    assert list(copied.sub_goals.all()) == [world.sub_goals[0]]
    assert s.answers.get(question__key="worked_well").text == "Samverkan"
    # and an activity needs a delmål of the plan
    with pytest.raises(FollowUpError):
        services.activity_save(
            submission_id=s.pk,
            activity_id=None,
            lock_version=None,
            data={"title": "Utan delmål", "sub_goals": []},
            actor=world.users["reporter"],
        )


def test_reminders_are_idempotent(world, settings):
    settings.REMINDER_DAYS_BEFORE = [14, 3]
    deadline = world.round.deadline
    # 10 days before: the 14-day reminder to both organisations with contacts
    sent = services.reminders_send(today=deadline - datetime.timedelta(days=10))
    assert sent == 2
    assert services.reminders_send(today=deadline - datetime.timedelta(days=10)) == 0
    assert services.reminders_send(today=deadline - datetime.timedelta(days=9)) == 0
    assert services.reminders_send(today=deadline - datetime.timedelta(days=3)) == 2
    assert services.reminders_send(today=deadline) == 2
    assert services.reminders_send(today=deadline + datetime.timedelta(days=1)) == 2
    assert services.reminders_send(today=deadline + datetime.timedelta(days=2)) == 0
    kinds = set(world.submission.reminders.values_list("kind", flat=True))
    assert kinds == {"before_14", "before_3", "due_today", "escalation"}


def test_reminders_skip_submitted(world, settings):
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    sent = services.reminders_send(today=world.round.deadline)
    assert sent == 1  # only the other organisation
    assert not world.submission.reminders.exists()


def test_reminder_task_is_named_for_beat():
    from followup.tasks import send_reminders_task, send_round_invitations_task

    assert send_reminders_task.name == "followup.send_reminders"
    assert send_round_invitations_task.name == "followup.send_round_invitations"


def test_a_save_that_changes_nothing_writes_nothing(world):
    # given a draft with a saved answer
    fill_required(world)
    world.submission.refresh_from_db()
    version = world.submission.lock_version
    audits = AuditEntry.objects.count()
    question = world.round.questions.filter(required=True).first()
    same = {question.pk: {"text": "Vi har en egen handlingsplan."}}
    # when the same values are saved again (an autosave after a blur, the save in "Skicka in")
    saved = services.submission_save(
        submission_id=world.submission.pk,
        lock_version=version,
        answers=same,
        indicator_values={world.indicator.pk: {"value": "12", "note": ""}},
        actor=world.users["reporter"],
    )
    # then neither the version nor the audit log moves
    assert saved.lock_version == version
    world.submission.refresh_from_db()
    assert world.submission.lock_version == version
    assert AuditEntry.objects.count() == audits
    # and a real change still bumps the version and is logged
    saved = services.submission_save(
        submission_id=world.submission.pk,
        lock_version=version,
        answers={question.pk: {"text": "Ny text."}},
        indicator_values={},
        actor=world.users["reporter"],
    )
    assert saved.lock_version == version + 1
    assert AuditEntry.objects.count() == audits + 1


def test_the_autosave_reads_agree_with_the_orm(world):
    # given saved answers (text, a number with decimals) and an indicator value with a note
    from decimal import Decimal

    from followup import selectors
    from followup.models import Answer, IndicatorAnswer, Question

    number_q = add_question(world, text="Hur många?", kind=Question.Kind.NUMBER, order=90)
    text_q = world.round.questions.get(key="worked_well")
    world.submission.refresh_from_db()
    services.submission_save(
        submission_id=world.submission.pk,
        lock_version=world.submission.lock_version,
        answers={text_q.pk: {"text": "Samverkan"}, number_q.pk: {"number": "12.50"}},
        indicator_values={world.indicator.pk: {"value": "1234.5", "note": "Ungefär"}},
        actor=world.users["reporter"],
    )
    submission = Submission.objects.select_related("round").get(pk=world.submission.pk)
    # when the save path reads them with its hand-written SQL
    questions, answers = selectors.questions_with_answers(submission=submission)
    indicators, values = selectors.indicators_with_answers(submission=submission)
    # then it sees every question of the round in order, and the same saved values
    assert [q.pk for q in questions] == list(
        world.round.questions.order_by("order", "id").values_list("pk", flat=True)
    )
    for answer in Answer.objects.filter(submission=submission):
        got = answers[answer.question_id]
        assert (got.pk, got.text, got.number, got.choice) == (
            answer.pk,
            answer.text,
            answer.number,
            answer.choice,
        )
    assert answers[number_q.pk].number == Decimal("12.50")
    assert len(answers) == 2
    saved = IndicatorAnswer.objects.get(submission=submission)
    assert [i.pk for i in indicators] == [world.indicator.pk]
    assert list(values) == [world.indicator.pk]
    got = values[world.indicator.pk]
    assert (got.pk, got.value, got.note) == (saved.pk, Decimal("1234.50"), "Ungefär")


def test_start_from_last_year_uses_the_latest_earlier_round_with_answers(world):
    """Issue 12 item 15: a county that skipped a year (or an actor that skipped a round) still
    starts from its latest earlier yttrande, not only from the year right before."""
    from tests.factories import SubmissionFactory

    # given an answered submission three years back and an empty one the year before
    def earlier_round(years_back: int):
        return FollowUpRound.objects.create(
            plan=world.plan,
            year=world.round.year - years_back,
            title=f"{years_back} år sedan",
            deadline=datetime.date(2020, 2, 1),
            status=R.CLOSED,
        )

    old_round, empty_round = earlier_round(3), earlier_round(1)
    question = old_round.questions.create(key="worked_well", text="Vad fungerade?")
    old = SubmissionFactory(round=old_round, organisation=world.org, status=S.ACCEPTED)
    old.answers.create(question=question, text="Samverkan med socialtjänsten")
    ReportedActivity.objects.create(submission=old, title="Utbildning i FREDA")
    SubmissionFactory(round=empty_round, organisation=world.org, status=S.NOT_STARTED)
    # when the reporter starts from "last year"
    s = services.submission_start_from_last_year(
        submission_id=world.submission.pk, lock_version=0, actor=world.users["reporter"]
    )
    # then the answered yttrande of three years back is the starting point
    assert s.answers.get(question__key="worked_well").text == "Samverkan med socialtjänsten"
    assert list(s.activities.values_list("title", flat=True)) == ["Utbildning i FREDA"]
