"""When a county's agreement or action plan runs out (issue 14).

The county start page warns ``WARN_DAYS`` (90) days ahead; the county's coordinators get an
e-mail ``NOTICE_DAYS`` (60 and 30) days ahead from a daily beat task. Each e-mail is logged in
``ExpiryNotice`` and sent once per object, threshold and end date.

An agreement ends on its ``valid_until``; a plan on 31 December of its last year. Nothing is
warned about once a successor exists (a later agreement, or a later plan of the county).
"""

import datetime
from collections.abc import Iterable
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
_DAY = datetime.timedelta(days=1)


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
    agreements: Iterable[Agreement], today: datetime.date, days: int
) -> list[Agreement]:
    """Of ``agreements`` (all of their counties'), the signed ones ending within ``days`` days
    (not yet ended) that no later agreement of the same county follows."""
    agreements = list(agreements)
    last_end: dict[int, datetime.date] = {}
    for agreement in agreements:
        ends = agreement.valid_until
        if ends is not None and ends > last_end.get(agreement.county_id, ends - _DAY):
            last_end[agreement.county_id] = ends
    horizon = today + datetime.timedelta(days=days)
    return [
        a
        for a in agreements
        if a.signed_on is not None
        and a.valid_until is not None
        and today <= a.valid_until <= horizon
        and a.valid_until == last_end[a.county_id]
    ]


def _expiring_plans(
    plans: Iterable[ActionPlan], today: datetime.date, days: int
) -> list[ActionPlan]:
    """Of ``plans`` (all of their counties'), the adopted ones ending within ``days`` days that
    no later plan of the county follows (archived plans do not count)."""
    plans = [plan for plan in plans if plan.status != ActionPlan.Status.ARCHIVED]
    last_end: dict[int, int] = {}
    for plan in plans:
        last_end[plan.county_id] = max(plan.period_end, last_end.get(plan.county_id, 0))
    return [
        plan
        for plan in plans
        if plan.status == ActionPlan.Status.ADOPTED
        and plan.period_end == last_end[plan.county_id]
        and 0 <= (plan_expires_on(plan) - today).days <= days
    ]


def county_expiry_warnings(
    *,
    county: County,
    today: datetime.date | None = None,
    agreements: Iterable[Agreement] | None = None,
    plans: Iterable[ActionPlan] | None = None,
) -> list[Expiry]:
    """The county's agreement and plan that end within ``WARN_DAYS`` days, soonest first.

    ``agreements`` and ``plans``: all of the county's, when the caller has read them already."""
    today = today or timezone.localdate()
    if agreements is None:
        agreements = Agreement.objects.filter(county=county)
    if plans is None:
        plans = ActionPlan.objects.filter(county=county)
    warnings = []
    for agreement in _expiring_agreements(agreements, today, WARN_DAYS):
        agreement.county = county
        warnings.append(_agreement_expiry(agreement, today))
    for plan in _expiring_plans(plans, today, WARN_DAYS):
        plan.county = county
        warnings.append(_plan_expiry(plan, today))
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
    agreements = Agreement.objects.select_related("county")
    expiries = [
        _agreement_expiry(a, today) for a in _expiring_agreements(agreements, today, horizon)
    ]
    plans = ActionPlan.objects.select_related("county")
    expiries += [_plan_expiry(p, today) for p in _expiring_plans(plans, today, horizon)]
    sent = 0
    for expiry in expiries:
        days_before = _threshold(expiry.days_left)
        if days_before is not None and _send_once(expiry, days_before):
            sent += 1
    return sent
