"""Agreement pages and the portal's home page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from agreements.models import County


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send a user with one county to its start page; list the counties otherwise."""
    counties = list(County.objects.visible_to(request.user))
    if len(counties) == 1:
        return redirect("actionplans:county-start", county_code=counties[0].code)
    return render(request, "agreements/home.html", {"counties": counties})
