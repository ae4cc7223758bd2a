"""Confirmation e-mails on submit, return for completion and accept (issue 13 item 3)."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from followup import services
from followup.emails import send_submission_notice
from followup.exceptions import MissingAnswersError
from followup.models import ReminderLog
from tests.followup.conftest import fill_required

MONTHS = "januari februari mars april maj juni juli augusti september oktober november december"
MONTHS = MONTHS.split()


def _html(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")


def test_submit_return_and_accept_each_send_one_swedish_email_after_commit(
    world, django_capture_on_commit_callbacks
):
    fill_required(world)
    reporter, coordinator = world.users["reporter"], world.users["coordinator"]
    pk = world.submission.pk
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as pending:
        services.submission_submit(submission_id=pk, actor=reporter)
    assert mail.outbox == []  # nothing before commit
    for callback in pending:
        callback()
    [submitted] = mail.outbox
    assert submitted.subject == f"Yttrandet är inskickat: {world.round.title}"
    assert submitted.to == ["kansli@aneby.example", "rapportor@aneby.example"]
    assert "Aneby kommun har skickat in sitt yttrande" in submitted.body
    day = timezone.localdate()
    assert f"den {day.day} {MONTHS[day.month - 1]} {day.year}." in submitted.body
    assert f"/uppfoljning/yttrande/{pk}/visa/" in submitted.body
    assert '<html lang="sv">' in _html(submitted)

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(
            submission_id=pk, comment="Svara på fråga 2 <tack>.", actor=coordinator
        )
    returned = mail.outbox[-1]
    assert returned.subject == f"Yttrandet behöver kompletteras: {world.round.title}"
    assert "för komplettering" in returned.body
    assert "Samordnarens kommentar: Svara på fråga 2 <tack>." in returned.body
    assert "Svara på fråga 2 &lt;tack&gt;." in _html(returned)
    assert f"/uppfoljning/yttrande/{pk}/" in returned.body

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_submit(submission_id=pk, actor=reporter)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_accept(submission_id=pk, actor=coordinator)
    accepted = mail.outbox[-1]
    assert accepted.subject == f"Yttrandet är godkänt: {world.round.title}"
    assert "har godkänt yttrandet från Aneby kommun" in accepted.body
    assert len(mail.outbox) == 4  # submitted, returned, submitted again, accepted


def test_a_second_delivery_of_the_task_sends_nothing(world, django_capture_on_commit_callbacks):
    fill_required(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_submit(
            submission_id=world.submission.pk, actor=world.users["reporter"]
        )
    assert len(mail.outbox) == 1
    again = send_submission_notice(
        submission_id=submission.pk, event="submitted", version=submission.lock_version
    )
    assert again is False
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.filter(submission=submission).count() == 1


def test_a_refused_submit_sends_nothing(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(MissingAnswersError),
    ):
        services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    assert mail.outbox == []


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("451 try again later")


def test_a_mail_server_error_is_logged_and_leaves_the_submit_done(
    world, settings, django_capture_on_commit_callbacks
):
    fill_required(world)
    settings.EMAIL_BACKEND = "tests.followup.test_emails.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_submit(
            submission_id=world.submission.pk, actor=world.users["reporter"]
        )
    submission.refresh_from_db()
    assert submission.status == "submitted"
    assert not ReminderLog.objects.filter(submission=submission).exists()  # may be sent again
