"""Who may read and change action plans. Pure functions; no side effects.

Everyone who reads a county reads its plans; its coordinators change them (DESIGN §5). Views
fetch through ``ActionPlan.objects.visible_to`` (out of scope is 404) and then check these.
"""

from actionplans.models import ActionPlan
from agreements.permissions import can_edit_county
from kvinnofrid.accounts.models import Actor
from kvinnofrid.directory.scopes import can_view_county


def can_view_plan(user: Actor, plan: ActionPlan) -> bool:
    """Everyone who reads the plan's county reads its adopted and archived versions; drafts are
    for the county's coordinators (pairs with ``ActionPlan.objects.visible_to``)."""
    if plan.status == ActionPlan.Status.DRAFT:
        return can_edit_county(user, plan.county_id)
    return can_view_county(user, plan.county_id)


def can_edit_plan(user: Actor, plan: ActionPlan) -> bool:
    """The county's coordinators change its plans (whether the plan is a draft is a state check)."""
    return can_edit_county(user, plan.county_id)
