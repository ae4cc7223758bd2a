"""A plan version's audit trail (issue 16 item 4); it replaces the old list of raw keys.

The plan is fetched through ``visible_to`` (a draft or another county is 404); only the county's
coordinators and the national admin read the trail (403 for everyone else who sees the plan).
"""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from actionplans.models import ActionPlan
from actionplans.views.common import _plan
from kvinnofrid.accounts.audit_trail import TrailPage, can_read_audit, render_trail
from kvinnofrid.core.models import AuditEntry


@never_cache
@login_required
@require_GET
def plan_history(request: HttpRequest, county_code: str, pk: int) -> HttpResponseBase:
    """Who changed what and when in this version of the plan and its parts."""
    plan = _plan(request, county_code, pk)
    if not can_read_audit(request.user, plan.county_id):
        raise PermissionDenied
    county = plan.county
    page = TrailPage(
        title=_("Historik – %(plan)s (version %(v)s)") % {"plan": plan.title, "v": plan.version},
        breadcrumbs=[
            (county.name, reverse("actionplans:county-start", args=[county.code])),
            (_("Planer"), reverse("actionplans:plan-list", args=[county.code])),
            (
                f"{plan.title} ({_('version')} {plan.version})",
                reverse("actionplans:plan-detail", args=[county.code, plan.pk]),
            ),
        ],
        filename=f"historik-plan-{plan.pk}",
    )
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(ActionPlan), target_id=plan.pk
    )
    return render_trail(request, entries, page)
