"""Template tags of the follow-up: the county start page's round panel."""

from typing import Any

from django import template

from followup import permissions, selectors

register = template.Library()


@register.inclusion_tag("followup/_panel.html", takes_context=True)
def followup_panel(context: dict[str, Any], county: Any) -> dict[str, Any]:
    """The county's current round and its response figures (two or three queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    round_ = selectors.county_current_round(county_id=county.pk)
    may_view = bool(round_ and permissions.can_view_round_overview(user, round_))
    return {
        "round": round_,
        "summary": selectors.round_summary(round_id=round_.pk) if may_view else None,
        "may_view": may_view,
        "may_create": permissions.can_edit_county(user, county.pk),
    }
