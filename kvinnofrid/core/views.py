"""Pages that belong to no app: the accessibility statement and error pages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.generic import TemplateView


class AccessibilityStatementView(TemplateView):
    template_name = "core/accessibility.html"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale form (expired session or CSRF token): show the typed values so nothing is lost."""
    kept = [
        (key, value)
        for key, value in request.POST.items()
        if key not in {"csrfmiddlewaretoken", "lock_version"} and value.strip()
    ]
    return render(request, "core/csrf_failure.html", {"kept": kept, "reason": reason}, status=403)
