"""``{% oidc_login_button next %}``: the e-ID button, rendered only when a provider is set."""

from django import template

from kvinnofrid.accounts.oidc import login_url, oidc_enabled

register = template.Library()


@register.inclusion_tag("accounts/oidc_button.html")
def oidc_login_button(next_url: str = "") -> dict[str, object]:
    """Context of the e-ID button (``enabled`` false hides it)."""
    return {
        "enabled": oidc_enabled(),
        "url": login_url(next_url or ""),
    }
