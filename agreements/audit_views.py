"""An agreement's audit trail (issue 16 item 4): fetched through ``visible_to`` (another
county is 404); the county's coordinators and the national admin read it (else 403)."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agreements.models import Agreement
from kvinnofrid.accounts.audit_trail import TrailPage, can_read_audit, render_trail
from kvinnofrid.core.models import AuditEntry


@never_cache
@login_required
@require_GET
def agreement_history(request: HttpRequest, county_code: str, pk: int) -> HttpResponseBase:
    """Who changed what and when in the agreement, its parties, målområden and meetings."""
    agreement = get_object_or_404(
        Agreement.objects.visible_to(request.user).select_related("county"),
        pk=pk,
        county__code=county_code,
    )
    if not can_read_audit(request.user, agreement.county_id):
        raise PermissionDenied
    county = agreement.county
    page = TrailPage(
        title=_("Historik – %(agreement)s") % {"agreement": agreement},
        breadcrumbs=[
            (county.name, reverse("actionplans:county-start", args=[county.code])),
            (_("Överenskommelser"), reverse("agreements:agreement-list", args=[county.code])),
            (str(agreement), reverse("agreements:agreement-detail", args=[county.code, pk])),
        ],
        filename=f"historik-overenskommelse-{agreement.pk}",
    )
    entries = AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(Agreement), target_id=agreement.pk
    )
    return render_trail(request, entries, page)
