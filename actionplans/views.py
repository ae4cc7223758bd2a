"""Action plan pages and the county start page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from actionplans.models import ActionPlan
from agreements.models import Agreement, County


@login_required
def county_start(request: HttpRequest, county_code: str) -> HttpResponse:
    """The county's start page: its agreement, its current plan and the follow-up status."""
    county = get_object_or_404(County.objects.visible_to(request.user), code=county_code)
    agreement = Agreement.objects.filter(county=county).order_by("-valid_from", "-id").first()
    plan = (
        ActionPlan.objects.filter(county=county)
        .current()
        .prefetch_related("goals__national_goals")
        .order_by("status", "-version")
        .first()
    )
    return render(
        request,
        "actionplans/county_start.html",
        {"county": county, "agreement": agreement, "plan": plan},
    )
