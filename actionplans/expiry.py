"""When a county's agreement or action plan runs out (issue 14).

The county start page warns ``WARN_DAYS`` (90) days ahead; the county's coordinators get an
e-mail ``NOTICE_DAYS`` (60 and 30) days ahead from a daily beat task. Each e-mail is logged in
``ExpiryNotice`` and sent once per object, threshold and end date.

An agreement ends on its ``valid_until``; a plan on 31 December of its last year. Nothing is
warned about once a successor exists (a later agreement, or a later plan of the county).
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actionplans.models import ActionPlan, ExpiryNotice
from agreements.models import Agreement
from kvinnofrid.accounts.models import Role, User
from kvinnofrid.directory.models import County

WARN_DAYS = 90
NOTICE_DAYS = (60, 30)


@dataclass(frozen=True)
class Expiry:
    """An agreement or plan that ends soon: what it is, when it ends and where to read it."""

    kind: str  # "agreement" | "plan"
    obj: Any
    title: str
    expires_on: datetime.date
    days_left: int
    path: str

    @property
    def kind_label(self) -> str:
        return _("Överenskommelsen") if self.kind == "agreement" else _("Handlingsplanen")


def plan_expires_on(plan: ActionPlan) -> datetime.date:
    """A plan runs to the end of its last year."""
    return datetime.date(plan.period_end, 12, 31)


def _agreement_expiry(agreement: Agreement, today: datetime.date) -> Expiry:
    ends = agreement.valid_until
    if ends is None:  # never: only agreements with an end date are looked at
        raise ValueError("an agreement without an end date does not expire")
    return Expiry(
        kind="agreement",
        obj=agreement,
        title=agreement.title,
        expires_on=ends,
        days_left=(ends - today).days,
        path=reverse("agreements:agreement-detail", args=[agreement.county.code, agreement.pk]),
    )


def _plan_expiry(plan: ActionPlan, today: datetime.date) -> Expiry:
    ends = plan_expires_on(plan)
    return Expiry(
        kind="plan",
        obj=plan,
        title=plan.title,
        expires_on=ends,
        days_left=(ends - today).days,
        path=reverse("actionplans:plan-detail", args=[plan.county.code, plan.pk]),
    )


def _expiring_agreements(
    today: datetime.date, days: int, county: County | None = None
) -> list[Agreement]:
    """Signed agreements ending within ``days`` days (not yet ended) that no later agreement of
    the same county follows."""
    agreements = Agreement.objects.filter(
        signed_on__isnull=False,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=days),
    ).select_related("county")
    if county is not None:
        agreements = agreements.filter(county=county)
    result = []
    for agreement in agreements:
        later = Agreement.objects.filter(
            county_id=agreement.county_id, valid_until__gt=agreement.valid_until
        )
        if not later.exists():
            result.append(agreement)
    return result


def _expiring_plans(
    today: datetime.date, days: int, county: County | None = None
) -> list[ActionPlan]:
    """Adopted plans ending within ``days`` days that no later plan of the county follows."""
    last_year = (today + datetime.timedelta(days=days)).year
    plans = ActionPlan.objects.filter(
        status=ActionPlan.Status.ADOPTED, period_end__gte=today.year, period_end__lte=last_year
    ).select_related("county")
    if county is not None:
        plans = plans.filter(county=county)
    result = []
    for plan in plans:
        if not 0 <= (plan_expires_on(plan) - today).days <= days:
            continue
        later = (
            ActionPlan.objects.filter(county_id=plan.county_id, period_end__gt=plan.period_end)
            .exclude(status=ActionPlan.Status.ARCHIVED)
            .exclude(pk=plan.pk)
        )
        if not later.exists():
            result.append(plan)
    return result


def county_expiry_warnings(*, county: County, today: datetime.date | None = None) -> list[Expiry]:
    """The county's agreement and plan that end within ``WARN_DAYS`` days, soonest first."""
    today = today or timezone.localdate()
    warnings = [_agreement_expiry(a, today) for a in _expiring_agreements(today, WARN_DAYS, county)]
    warnings += [_plan_expiry(p, today) for p in _expiring_plans(today, WARN_DAYS, county)]
    return sorted(warnings, key=lambda e: (e.expires_on, e.kind))


def county_coordinator_emails(county_id: int) -> list[str]:
    """The e-mail addresses of the county's active coordinators."""
    return sorted(
        set(
            User.objects.filter(
                is_active=True,
                memberships__role=Role.COORDINATOR,
                memberships__organisation__county_id=county_id,
            ).values_list("email", flat=True)
        )
    )


def _threshold(days_left: int) -> int | None:
    """The notice due at ``days_left``: 30 within 30 days, 60 within 60 days, else none."""
    for days in sorted(NOTICE_DAYS):
        if 0 <= days_left <= days:
            return days
    return None


def _send_once(expiry: Expiry, days_before: int) -> bool:
    county = expiry.obj.county
    recipients = county_coordinator_emails(county.pk)
    if not recipients:
        return False
    context = {
        "expiry": expiry,
        "county": county,
        "link": settings.SITE_URL + expiry.path,
        "expires_on": expiry.expires_on,
    }
    with translation.override("sv"):
        subject = _("%(what)s ”%(title)s” upphör om %(days)d dagar") % {
            "what": expiry.kind_label,
            "title": expiry.title[:120],
            "days": expiry.days_left,
        }
        text = render_to_string("actionplans/email/expiry_notice.txt", context)
        html = render_to_string("actionplans/email/expiry_notice.html", context)
    target = {"agreement": expiry.obj} if expiry.kind == "agreement" else {"plan": expiry.obj}
    try:
        with transaction.atomic():
            ExpiryNotice.objects.create(
                **target,
                days_before=days_before,
                expires_on=expiry.expires_on,
                recipients=", ".join(recipients),
            )
            message = EmailMultiAlternatives(subject, text, None, recipients)
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        return False
    return True


def expiry_notices_send(*, today: datetime.date | None = None) -> int:
    """E-mail each county's coordinators 60 and 30 days before its agreement or plan ends.

    Idempotent: each (object, threshold, end date) is logged in ExpiryNotice and sent once, so
    running the job twice a day, or after a missed day, sends nothing twice. Returns the number
    of e-mails sent.
    """
    today = today or timezone.localdate()
    horizon = max(NOTICE_DAYS)
    expiries = [_agreement_expiry(a, today) for a in _expiring_agreements(today, horizon)]
    expiries += [_plan_expiry(p, today) for p in _expiring_plans(today, horizon)]
    sent = 0
    for expiry in expiries:
        days_before = _threshold(expiry.days_left)
        if days_before is not None and _send_once(expiry, days_before):
            sent += 1
    return sent
