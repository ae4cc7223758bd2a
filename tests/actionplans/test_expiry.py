"""An agreement or plan that ends soon (issue 14): a warning on the county start page 90 days
ahead, and e-mails to the county's coordinators 60 and 30 days ahead, each sent once."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actionplans.expiry import county_expiry_warnings, expiry_notices_send
from actionplans.models import ActionPlan, ExpiryNotice
from actionplans.tasks import send_expiry_notices_task
from tests.factories import ActionPlanFactory, AgreementFactory, county

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 10, 2)  # 90 days before 31 December 2026


def agreement_ending_in(days: int, **kwargs):
    return AgreementFactory(
        title=kwargs.pop("title", "Regional överenskommelse 2024–2026"),
        signed_on=TODAY - datetime.timedelta(days=800),
        valid_from=TODAY - datetime.timedelta(days=800),
        valid_until=TODAY + datetime.timedelta(days=days),
        **kwargs,
    )


def test_beat_schedule_runs_the_expiry_job_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["send-expiry-notices"]
    assert entry == {"task": "actionplans.send_expiry_notices", "schedule": 24 * 3600}


@pytest.mark.parametrize(("days", "warned"), [(91, False), (90, True), (1, True), (-1, False)])
def test_agreement_warning_starts_90_days_ahead(days, warned):
    agreement_ending_in(days)
    warnings = county_expiry_warnings(county=county("06"), today=TODAY)
    assert [w.kind for w in warnings] == (["agreement"] if warned else [])


def test_plan_warning_starts_90_days_before_its_last_year_ends():
    ActionPlanFactory(status=ActionPlan.Status.ADOPTED, period_end=2026, title="Strategi 2020–2026")
    ActionPlanFactory(status=ActionPlan.Status.ADOPTED, period_end=2027, county=county("07"))
    assert (
        county_expiry_warnings(county=county("06"), today=TODAY - datetime.timedelta(days=1)) == []
    )
    (warning,) = county_expiry_warnings(county=county("06"), today=TODAY)
    assert (warning.kind, warning.days_left, warning.title) == ("plan", 90, "Strategi 2020–2026")


def test_no_warning_once_a_successor_exists():
    agreement_ending_in(30)
    agreement_ending_in(30 + 3 * 365, title="Nästa överenskommelse")
    old_plan = ActionPlanFactory(status=ActionPlan.Status.ADOPTED, period_end=2026)
    ActionPlanFactory(period_start=2027, period_end=2030)
    warnings = county_expiry_warnings(county=county("06"), today=TODAY)
    assert old_plan not in [w.obj for w in warnings]
    assert [w.kind for w in warnings] == []


def test_county_start_page_shows_the_warning(client, make_user):
    today = timezone.localdate()
    AgreementFactory(
        title="Överenskommelsen som tar slut",
        signed_on=today - datetime.timedelta(days=800),
        valid_from=today - datetime.timedelta(days=800),
        valid_until=today + datetime.timedelta(days=45),
    )
    client.force_login(make_user("management"))
    content = client.get(reverse("actionplans:county-start", args=["06"])).content.decode()
    assert "Snart slut" in content
    assert "45 dagar kvar" in content


def test_coordinators_get_one_email_60_and_one_30_days_ahead(make_user):
    coordinator = make_user("coordinator", email="samordnare@lst.example")
    make_user("coordinator", county_code="07", email="kronoberg@lst.example")
    make_user("reporter", email="rapportor@kommun.example")
    agreement = agreement_ending_in(90)
    # 61 days ahead: nothing yet
    assert expiry_notices_send(today=TODAY + datetime.timedelta(days=29)) == 0
    # 60 days ahead: one e-mail, to the county's coordinators only
    day_60 = TODAY + datetime.timedelta(days=30)
    assert expiry_notices_send(today=day_60) == 1
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    assert message.subject == (
        "Överenskommelsen ”Regional överenskommelse 2024–2026” upphör om 60 dagar"
    )
    assert "gäller till och med 31 december 2026" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="sv">' in html
    assert "60 dagar till" in html
    link = reverse("agreements:agreement-detail", args=["06", agreement.pk])
    assert link in message.body
    assert link in html
    # the same day again, and the next days: nothing more
    assert expiry_notices_send(today=day_60) == 0
    assert expiry_notices_send(today=day_60 + datetime.timedelta(days=1)) == 0
    # 30 days ahead: the second e-mail
    assert expiry_notices_send(today=TODAY + datetime.timedelta(days=60)) == 1
    assert expiry_notices_send(today=TODAY + datetime.timedelta(days=61)) == 0
    assert len(mail.outbox) == 2
    assert sorted(ExpiryNotice.objects.values_list("days_before", flat=True)) == [30, 60]


def test_a_missed_60_day_run_sends_only_the_30_day_notice(make_user):
    make_user("coordinator")
    ActionPlanFactory(status=ActionPlan.Status.ADOPTED, period_end=2026, title="Strategi")
    assert expiry_notices_send(today=datetime.date(2026, 12, 10)) == 1
    notice = ExpiryNotice.objects.get()
    assert (notice.days_before, notice.expires_on) == (30, datetime.date(2026, 12, 31))
    assert mail.outbox[0].subject == "Handlingsplanen ”Strategi” upphör om 21 dagar"


def test_a_prolonged_agreement_gets_fresh_notices(make_user):
    make_user("coordinator")
    agreement = agreement_ending_in(30)
    assert expiry_notices_send(today=TODAY) == 1
    agreement.valid_until = TODAY + datetime.timedelta(days=60)
    agreement.save()
    assert expiry_notices_send(today=TODAY) == 1
    assert expiry_notices_send(today=TODAY) == 0


def test_the_daily_task_sends_through_the_service_once(make_user):
    make_user("coordinator")
    today = timezone.localdate()
    AgreementFactory(
        signed_on=today - datetime.timedelta(days=800),
        valid_from=today - datetime.timedelta(days=800),
        valid_until=today + datetime.timedelta(days=60),
    )
    assert send_expiry_notices_task.delay().get() == 1
    assert send_expiry_notices_task.delay().get() == 0
    assert len(mail.outbox) == 1
