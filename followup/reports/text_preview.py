"""Live preview of one report text in the editor: the typed Markdown rendered by the very
function the report uses (``kvinnofrid.core.richtext``). POST only (CSRF-checked), for those who
may edit the report; nothing is saved."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from followup import permissions
from followup.models import StatusReport
from kvinnofrid.core.templatetags.richtext import preview_html

_FIELD_RE = re.compile(r"^[a-z_0-9]{1,40}$")


@login_required
@require_POST
def report_text_preview(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        StatusReport.objects.visible_to(request.user).select_related("round__plan__county"), pk=pk
    )
    if not permissions.can_edit_report(request.user, report):
        raise PermissionDenied
    field = request.POST.get("field", "")
    field = field if _FIELD_RE.match(field) else "text"
    html = preview_html(request.POST.get("text", ""), field)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response
