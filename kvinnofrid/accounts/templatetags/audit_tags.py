"""Whether to link to an audit trail: ``{% if request.user|may_read_audit:county.pk %}``."""

from typing import Any

from django import template

from kvinnofrid.accounts.audit_trail import can_read_audit
from kvinnofrid.accounts.models import User

register = template.Library()


@register.filter
def may_read_audit(user: Any, county_id: int | None) -> bool:
    """The county's coordinators and the national admin."""
    return can_read_audit(user, county_id)


@register.filter
def may_read_submission_audit(user: Any, submission: Any) -> bool:
    """Those who read the county's trail, and the yttrande's own reporters."""
    own = isinstance(user, User) and user.reports_for(submission.organisation_id)
    return own or can_read_audit(user, submission.round.plan.county_id)
