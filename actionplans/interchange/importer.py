"""Creating a new draft plan from a validated ``kvinnofrid-plan/1`` dict."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from actionplans.interchange.format import (
    PLAN_TEXT_KEYS,
)
from actionplans.interchange.validation import clean_plan_data, find_organisation
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    PlannedActivity,
    SubGoal,
)
from agreements.permissions import can_edit_county
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import audit_log
from kvinnofrid.directory.models import County, Organisation, OrganisationKind


class _Organisations:
    """Responsible organisations by name: found in the county (then national ones), else
    created in the county with kind "annan" (remembered in ``created``)."""

    def __init__(self, county: County) -> None:
        self.county = county
        self.by_name: dict[str, Organisation] = {}
        self.created: list[str] = []

    def get(self, name: str) -> Organisation:
        key = name.lower()
        if key not in self.by_name:
            found = find_organisation(self.county, name)
            if found is None:
                found = Organisation.objects.create(
                    county=self.county, name=name, kind=OrganisationKind.ANNAN
                )
                self.created.append(name)
            self.by_name[key] = found
        return self.by_name[key]


@transaction.atomic
def plan_import(
    *,
    data: dict[str, Any],
    actor: Actor,
    county_code: str | None = None,
    skip_permission_checks: bool = False,
) -> ActionPlan:
    """Create a new DRAFT plan (version 1) from a ``kvinnofrid-plan/1`` dict.

    Responsible organisations are matched by name in the county (then national ones); unknown
    names are created in the county with kind "annan". Raises PlanImportError for a bad file
    and PermissionDenied unless the actor coordinates the county (management commands pass
    ``skip_permission_checks=True``). All or nothing; one audit entry for the plan.
    """
    cleaned, county = clean_plan_data(data, county_code)
    if not skip_permission_checks and not can_edit_county(actor, county.pk):
        raise PermissionDenied
    organisations = _Organisations(county)
    plan = _create_plan(cleaned, county)
    positions = _create_goals(plan, cleaned["goals"], organisations)
    _create_indicators(plan, cleaned["indicators"], positions)
    audit_log(
        actor=actor,
        action="actionplans.plan_import",
        target=plan,
        changes={"created_organisations": [None, organisations.created]}
        if organisations.created
        else {},
        message=_("Planen importerades från fil (%(goals)d mål).")
        % {"goals": len(cleaned["goals"])},
        county_id=county.pk,
    )
    return plan


def _create_plan(cleaned: dict[str, Any], county: County) -> ActionPlan:
    """The draft plan itself (version 1) with its own fields."""
    return ActionPlan.objects.create(
        county=county,
        strategy=cleaned["strategy"],
        status=ActionPlan.Status.DRAFT,
        version=1,
        **{
            key: cleaned[key]
            for key in (
                "kind",
                "title",
                "period_start",
                "period_end",
                *PLAN_TEXT_KEYS,
                "diarienummer",
                "serial_number",
            )
        },
    )


def _create_goals(
    plan: ActionPlan, goals: list[dict[str, Any]], organisations: _Organisations
) -> dict[tuple[int, int], SubGoal]:
    """Goals, delmål and activities in file order; returns each delmål by
    ``(goal number, 1-based position)`` for the indicators."""
    positions: dict[tuple[int, int], SubGoal] = {}
    for goal_order, goal_data in enumerate(goals, 1):
        goal = Goal.objects.create(
            plan=plan,
            number=goal_data["number"],
            title=goal_data["title"],
            description=goal_data["description"],
            order=goal_order,
        )
        goal.national_goals.set(goal_data["national_goals"])
        for position, sub_data in enumerate(goal_data["sub_goals"], 1):
            sub_goal = SubGoal.objects.create(
                goal=goal, code=sub_data["code"], text=sub_data["text"], order=position
            )
            positions[(goal_data["number"], position)] = sub_goal
            for activity_order, activity_data in enumerate(sub_data["activities"], 1):
                activity = PlannedActivity.objects.create(
                    sub_goal=sub_goal, text=activity_data["text"], order=activity_order
                )
                activity.responsible.set(
                    [organisations.get(name) for name in activity_data["responsible"]]
                )
    return positions


def _create_indicators(
    plan: ActionPlan,
    indicators: list[dict[str, Any]],
    positions: dict[tuple[int, int], SubGoal],
) -> None:
    """The plan's indicators, each linked to its delmål, with its targets per year."""
    for order, indicator_data in enumerate(indicators, 1):
        refs = indicator_data.pop("sub_goals")
        targets = indicator_data.pop("targets")
        indicator = Indicator.objects.create(plan=plan, order=order, **indicator_data)
        indicator.sub_goals.set([positions[ref] for ref in refs])
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, year=year, value=value) for year, value in targets
        )
