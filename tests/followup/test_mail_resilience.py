"""Issue 12 item 7: a line break in a round title is refused, and one recipient whose mail
cannot be sent never stops the reminders of the others (logged, retried the next run)."""

import datetime
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from followup import services
from followup.exceptions import FollowUpError
from followup.models import FollowUpRound, ReminderLog

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """The outbox of the test mail backend, except that one mailbox is refused by the server."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.startswith("trasig@") for address in message.to):
                raise smtplib.SMTPRecipientsRefused({"trasig@aneby.example": (550, b"no")})
        return super().send_messages(messages)


def test_the_round_form_and_service_refuse_a_line_break_in_the_title(client, world):
    client.force_login(world.users["coordinator"])
    response = client.post(
        reverse("followup:round-create"),
        {
            "plan": world.plan.pk,
            "year": 2031,
            "title": "Årlig uppföljning\r\nBcc: alla@example.com",
            "deadline": "2032-02-15",
            "organisations": [world.org.pk],
        },
    )
    assert response.status_code == 200
    assert "Skriv texten på en rad" in response.content.decode()
    assert not FollowUpRound.objects.filter(year=2031).exists()
    with pytest.raises(FollowUpError):
        services.round_create(
            plan_id=world.plan.pk,
            year=2031,
            title="Rubrik\nBcc: x@example.com",
            instructions="",
            opens_on=None,
            deadline=datetime.date(2032, 2, 15),
            organisation_ids=[world.org.pk],
            actor=world.users["coordinator"],
        )


def test_one_refused_recipient_never_stops_the_others(world, settings, caplog):
    # given an old round whose title holds a line break, and one organisation whose mailbox
    # the mail server refuses
    settings.EMAIL_BACKEND = "tests.followup.test_mail_resilience.RefusingBackend"
    FollowUpRound.objects.filter(pk=world.round.pk).update(title="Årlig\r\nuppföljning")
    world.org.email = "trasig@aneby.example"
    world.org.save(update_fields=["email"])
    today = world.round.deadline
    # when the daily job runs
    sent = services.reminders_send(today=today)
    # then the other organisation got its reminder (subject on one line) and the failure is
    # logged, with no log row, so the next run tries again
    assert sent == 1
    assert [m.subject for m in mail.outbox] == ["Påminnelse: Årlig uppföljning"]
    assert "not sent" in caplog.text
    assert not ReminderLog.objects.filter(submission=world.submission).exists()
    world.org.email = "kansli@aneby.example"
    world.org.save(update_fields=["email"])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.reminders_send(today=today) == 1
    assert ReminderLog.objects.filter(submission=world.submission).count() == 1
