"""Template tags of the follow-up: the county start page's round panel."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from actionplans import fragments
from followup import permissions, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def followup_panel(context: dict[str, Any], county: Any) -> SafeString:
    """The county's current round and its response figures: a cached fragment keyed by the
    county's round fingerprint (one query) and the viewer's two flags; on a miss, three or
    four queries."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may_view = permissions.can_view_county_overviews(user, county.pk)
    may_create = permissions.can_edit_county(user, county.pk)

    def panel_context() -> dict[str, Any]:
        round_ = selectors.county_current_round(county_id=county.pk)
        may_view_round = bool(round_ and may_view)
        return {
            "round": round_,
            "summary": selectors.round_summary(round_id=round_.pk) if may_view_round else None,
            "may_view": may_view_round,
            "may_create": may_create,
        }

    return fragments.cached_fragment(
        templates=("followup/_panel.html",),
        version=(selectors.county_panel_version(county_id=county.pk), may_view, may_create),
        context=panel_context,
    )
