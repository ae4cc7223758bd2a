"""Reminders you can see (issue 16 item 5): "Skicka påminnelse nu" for one actor or all that have
not submitted (at most once a day per actor, logged), the escalation after the deadline (once)
and the coordinators' daily summary (once a day); the round page shows what went out."""

import datetime
import smtplib
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from followup import services
from followup.models import FollowUpRound, ReminderLog, RoundSummaryLog
from kvinnofrid.core.models import AuditEntry
from tests.followup.conftest import fill_required

pytestmark = pytest.mark.django_db

MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def _swedish(day: datetime.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _html(message) -> str:
    return next(body for body, kind in message.alternatives if kind == "text/html")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


class RefusingBackend(EmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("down")


def test_one_click_sends_once_and_a_second_click_the_same_day_sends_nothing(client, world):
    # given the coordinator on the round page
    client.force_login(world.users["coordinator"])
    url = reverse("followup:submission-remind", args=[world.submission.pk])
    mail.outbox.clear()
    # when they click "Skicka påminnelse nu" for Aneby
    response = client.post(url, follow=True)
    # then one Swedish e-mail (text and HTML) went to its reporters and functional mailbox,
    # with the deadline as a Swedish date and an absolute link to the form
    assert response.status_code == 200
    assert "Påminnelse skickad till Aneby kommun." in _messages(response)
    [message] = mail.outbox
    assert message.to == ["kansli@aneby.example", "rapportor@aneby.example"]
    assert message.subject == f"Påminnelse: {world.round.title}"
    deadline = _swedish(world.round.deadline)
    assert f"Sista svarsdag är {deadline}." in message.body
    link = f"{settings.SITE_URL}/uppfoljning/yttrande/{world.submission.pk}/"
    assert link in message.body
    assert f'href="{link}"' in _html(message)
    assert '<html lang="sv">' in _html(message)
    [log] = ReminderLog.objects.filter(submission=world.submission)
    assert log.kind == f"manual_{timezone.localdate().isoformat()}"
    entry = AuditEntry.objects.get(action="followup.reminder.sent")
    assert entry.actor == world.users["coordinator"]
    assert entry.changes["recipients"] == [None, 2]
    # and the round page shows it in the actor's row
    page = response.content.decode()
    assert "Påminnelse skickad av samordnare" in page
    assert "2 mottagare" in page

    # when they click again the same day
    again = client.post(url, follow=True)
    # then nothing is sent, and the page says so
    assert len(mail.outbox) == 1
    assert "Redan påmind i dag, ingen ny påminnelse skickades: Aneby kommun." in _messages(again)
    assert ReminderLog.objects.filter(submission=world.submission).count() == 1

    # the next day it may be sent again
    outcome = services.reminder_send_now(
        round_id=world.round.pk,
        submission_ids=[world.submission.pk],
        actor=world.users["coordinator"],
        today=timezone.localdate() + datetime.timedelta(days=1),
    )
    assert outcome.sent == ["Aneby kommun"]
    assert len(mail.outbox) == 2


def test_remind_all_confirms_first_and_skips_the_submitted_and_those_reminded_today(client, world):
    # given Aneby has submitted and Tranås was already reminded today by the daily job
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    services.send_reminder(
        submission=world.other_submission,
        kind="before_14",
        today=timezone.localdate(),
        actor=None,
    )
    mail.outbox.clear()
    client.force_login(world.users["coordinator"])
    url = reverse("followup:round-remind-all", args=[world.round.pk])
    # when the coordinator opens the confirmation: only Tranås is listed, as reminded today
    page = client.get(url).content.decode()
    assert "Tranås kommun" in page
    assert "Aneby kommun" not in page
    assert "redan påmind i dag" in page
    assert "Ja, skicka påminnelserna" not in page  # nobody left to remind today
    assert "Alla som inte har svarat har redan fått en påminnelse i dag." in page
    # and a POST anyway sends nothing and says so
    response = client.post(url, follow=True)
    assert mail.outbox == []
    assert "Redan påmind i dag" in _messages(response)


def test_remind_all_sends_to_every_actor_not_submitted(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("followup:round-remind-all", args=[world.round.pk])
    page = client.get(url).content.decode()
    assert "2 aktörer får en påminnelse nu" in page
    mail.outbox.clear()
    response = client.post(url, follow=True)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "kansli@aneby.example",
        "rapportor@tranas.example",
    ]
    assert "Påminnelser skickade till 2 aktörer: Aneby kommun, Tranås kommun." in _messages(
        response
    )


def test_a_failing_mail_server_leaves_nothing_written_and_says_so(client, world, settings):
    settings.EMAIL_BACKEND = "tests.followup.test_reminders.RefusingBackend"
    client.force_login(world.users["coordinator"])
    response = client.post(
        reverse("followup:submission-remind", args=[world.submission.pk]), follow=True
    )
    assert "E-postservern tog inte emot påminnelsen" in _messages(response)
    assert not ReminderLog.objects.filter(submission=world.submission).exists()
    assert not AuditEntry.objects.filter(action="followup.reminder.sent").exists()


def test_a_closed_round_sends_no_reminders(client, world):
    services.round_close(round_id=world.round.pk, actor=world.users["coordinator"])
    client.force_login(world.users["coordinator"])
    mail.outbox.clear()
    response = client.post(
        reverse("followup:submission-remind", args=[world.submission.pk]), follow=True
    )
    assert "Påminnelser kan bara skickas medan uppföljningen är öppen." in _messages(response)
    assert mail.outbox == []
    page = client.get(reverse("followup:round-detail", args=[world.round.pk])).content.decode()
    assert "Skicka påminnelse nu" not in page


# management does not see a yttrande before it is submitted (404), but sees the round (403)
@pytest.mark.parametrize(
    ("role", "one_status", "all_status"),
    [
        ("other_county_coordinator", 404, 404),
        ("reporter", 403, 403),
        ("management", 404, 403),
    ],
)
def test_only_the_countys_coordinators_send(client, world, role, one_status, all_status):
    client.force_login(world.users[role])
    mail.outbox.clear()
    one = client.post(reverse("followup:submission-remind", args=[world.submission.pk]))
    everyone = reverse("followup:round-remind-all", args=[world.round.pk])
    assert one.status_code == one_status
    assert client.post(everyone).status_code == all_status
    assert client.get(everyone).status_code == all_status
    assert mail.outbox == []
    assert not ReminderLog.objects.filter(kind__startswith="manual_").exists()


def test_the_reporter_does_not_see_the_buttons_nor_send_through_the_service(client, world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.reminder_send_now(round_id=world.round.pk, actor=world.users["reporter"])
    client.force_login(world.users["management"])
    page = client.get(reverse("followup:round-detail", args=[world.round.pk])).content.decode()
    assert "Skicka påminnelse nu" not in page
    assert "Skicka påminnelse till alla" not in page


def test_the_escalation_goes_out_once_after_the_deadline(world):
    # given the day after the deadline, Aneby not submitted
    after = world.round.deadline + datetime.timedelta(days=1)
    mail.outbox.clear()
    # when the daily job runs twice that day and again the next day
    services.reminders_send(today=after)
    services.reminders_send(today=after)
    services.reminders_send(today=after + datetime.timedelta(days=1))
    # then Aneby's functional mailbox and reporter got one escalation
    escalations = [m for m in mail.outbox if m.subject.startswith("Yttrande saknas")]
    assert sorted(m.to[0] for m in escalations) == [
        "kansli@aneby.example",
        "rapportor@tranas.example",
    ]
    aneby = next(m for m in escalations if "kansli@aneby.example" in m.to)
    assert aneby.to == ["kansli@aneby.example", "rapportor@aneby.example"]
    assert f"var {_swedish(world.round.deadline)}" in aneby.body
    assert f"/uppfoljning/yttrande/{world.submission.pk}/" in _html(aneby)
    assert ReminderLog.objects.filter(kind="escalation").count() == 2
    assert AuditEntry.objects.filter(action="followup.reminder.escalated").count() == 2


def test_the_daily_summary_goes_to_the_coordinators_once_a_day(world):
    fill_required(world)
    services.submission_submit(submission_id=world.submission.pk, actor=world.users["reporter"])
    after = world.round.deadline + datetime.timedelta(days=1)
    # before the deadline: no summary
    assert services.round_summaries_send(today=world.round.deadline) == 0
    mail.outbox.clear()
    # the day after: one, however often the job runs
    services.reminders_send(today=after)
    services.reminders_send(today=after)
    summaries = [m for m in mail.outbox if m.subject.startswith("Daglig sammanställning")]
    [summary] = summaries
    assert summary.to == ["samordnare@lst.example"]
    assert "1 av 2 aktörer har skickat in sitt yttrande" in summary.body
    assert "Tranås kommun – Ej påbörjad – 1 påminnelse" in summary.body
    assert "Aneby kommun – Inskickad" in summary.body
    assert "Tranås kommun: Eskalering efter sista svarsdagen" in summary.body
    assert f"{settings.SITE_URL}/uppfoljning/omgang/{world.round.pk}/" in summary.body
    assert "<h2" in _html(summary)
    assert RoundSummaryLog.objects.filter(round=world.round).count() == 1
    # the next day, another
    assert services.round_summaries_send(today=after + datetime.timedelta(days=1)) == 1
    # and none once everyone has submitted or the round is closed
    FollowUpRound.objects.filter(pk=world.round.pk).update(status=FollowUpRound.Status.CLOSED)
    assert services.round_summaries_send(today=after + datetime.timedelta(days=2)) == 0


def test_the_round_page_shows_the_log_after_the_daily_job(client, world):
    # given the cached overview is rendered
    client.force_login(world.users["coordinator"])
    url = reverse("followup:round-detail", args=[world.round.pk])
    assert "Påminnelse på sista svarsdagen" not in client.get(url).content.decode()
    # when the daily job sends the reminders on the deadline
    services.reminders_send(today=world.round.deadline)
    # then the page shows them (the cached fragment was renewed)
    page = client.get(url).content.decode()
    assert page.count("Påminnelse på sista svarsdagen") == 2
    assert "Skicka påminnelse nu" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "kvinnofrid-csrf-token" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's unique index")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_clicks_send_one_reminder(world):
    barrier = threading.Barrier(2)
    results: list[services.ReminderOutcome] = []

    def click() -> None:
        try:
            barrier.wait()
            results.append(
                services.reminder_send_now(
                    round_id=world.round.pk,
                    submission_ids=[world.submission.pk],
                    actor=world.users["coordinator"],
                )
            )
        finally:
            connections.close_all()

    mail.outbox.clear()
    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r.sent) for r in results) == [0, 1]
    assert sorted(len(r.already) for r in results) == [0, 1]
    assert ReminderLog.objects.filter(kind__startswith="manual_").count() == 1
    assert AuditEntry.objects.filter(action="followup.reminder.sent").count() == 1
