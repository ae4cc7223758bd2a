"""Template context about the logged-in person."""

from typing import Any

from django.http import HttpRequest


def home_county(request: HttpRequest) -> dict[str, Any]:
    """``nav_home_county_code``: a callable giving the code of the one county the user works in
    (as coordinator, reporter or management), or None. The top menu links to that county's
    pages on pages that are not about a county (follow-up, reports, the accessibility
    statement), so the menu holds the same items everywhere. Read with the user's memberships
    (no query of its own)."""
    user = getattr(request, "user", None)

    def code() -> str | None:
        if user is None or not user.is_authenticated:
            return None
        county_ids = user.member_county_ids
        if len(county_ids) != 1:
            return None
        home: str | None = user.county_code(next(iter(county_ids)))
        return home

    return {"nav_home_county_code": code}
