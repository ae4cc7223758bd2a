"""The audit trail of a county and of the whole service (issue 16 item 4), and the gallring
runs (item 6).

The county page: the county is fetched through ``visible_to`` (another county is 404), then only
its coordinators and the national admin may read (403). The national page is the national
admin's. Both are read-only (GET); see ``kvinnofrid.accounts.audit_trail``.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kvinnofrid.accounts import permissions
from kvinnofrid.accounts.audit_trail import TrailPage, can_read_audit, render_trail
from kvinnofrid.core.models import AuditEntry, RetentionRule, RetentionRun
from kvinnofrid.directory.models import County


@never_cache
@login_required
@require_GET
def county_history(request: HttpRequest, county_code: str) -> HttpResponseBase:
    """Everything logged in one county."""
    county = get_object_or_404(County.objects.visible_to(request.user), code=county_code)
    if not can_read_audit(request.user, county.pk):
        raise PermissionDenied
    page = TrailPage(
        title=_("Historik – %(county)s") % {"county": county.name},
        breadcrumbs=[(county.name, reverse("actionplans:county-start", args=[county.code]))],
        filename=f"historik-{county.code}",
        show_object=True,
    )
    return render_trail(request, AuditEntry.objects.filter(county_id_snapshot=county.pk), page)


@never_cache
@login_required
@require_GET
def national_history(request: HttpRequest) -> HttpResponseBase:
    """Everything logged in the service (the national admin)."""
    if not permissions.is_national_admin(request.user):
        raise PermissionDenied
    page = TrailPage(
        title=_("Historik – hela tjänsten"),
        breadcrumbs=[],
        filename="historik-nationellt",
        show_object=True,
    )
    return render_trail(request, AuditEntry.objects.all(), page)


@never_cache
@login_required
@require_GET
def retention_runs(request: HttpRequest) -> HttpResponse:
    """The gallring job's last runs and the rules in force (the national admin; the rules are
    changed in the Django admin)."""
    if not permissions.is_national_admin(request.user):
        raise PermissionDenied
    return render(
        request,
        "accounts/retention_runs.html",
        {
            "rules": RetentionRule.objects.order_by("kind"),
            "runs": RetentionRun.objects.order_by("-started_at", "-id")[:20],
        },
    )
