"""The plan itself and its versions: create, update, delete, adopt, revise (copying its parts)."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actionplans import strategies
from actionplans.exceptions import PlanError
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    PlannedActivity,
    SubGoal,
)
from actionplans.services._shared import (
    PART_FIELDS,
    PLAN_FIELDS,
    _apply,
    _audit,
    _lock_plan,
    _require_draft,
    snapshot,
)
from agreements.permissions import can_edit_county
from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.audit import model_changes
from kvinnofrid.core.locking import bump_version
from kvinnofrid.directory.models import County


@transaction.atomic
def plan_create(*, county: County, data: dict[str, Any], actor: Actor) -> ActionPlan:
    """Create a new draft plan (version 1) for ``county``.

    Raises PermissionDenied unless the actor coordinates the county and PlanError for a period
    that ends before it starts.
    """
    if not can_edit_county(actor, county.pk):
        raise PermissionDenied
    plan = ActionPlan(county=county, status=ActionPlan.Status.DRAFT, version=1)
    _apply(plan, data, PLAN_FIELDS)
    if plan.period_end < plan.period_start:
        raise PlanError(_("Planperioden kan inte sluta före den börjar."))
    strategies.check_plan_links(plan)
    plan.save()
    _audit(
        actor=actor,
        plan=plan,
        action="plan_create",
        message=str(plan),
        changes=model_changes({}, snapshot(plan, PLAN_FIELDS), model=ActionPlan),
    )
    return plan


@transaction.atomic
def plan_update(
    *, plan_id: int, expected_version: int | None, data: dict[str, Any], actor: Actor
) -> ActionPlan:
    """Change a draft plan's title, period, vision and other texts.

    Raises StaleObjectError if the plan changed since ``expected_version`` and PlanError if it is
    not a draft.
    """
    plan = _lock_plan(plan_id=plan_id, actor=actor, expected_version=expected_version)
    _require_draft(plan)
    before = snapshot(plan, PLAN_FIELDS)
    _apply(plan, data, PLAN_FIELDS)
    if plan.period_end < plan.period_start:
        raise PlanError(_("Planperioden kan inte sluta före den börjar."))
    strategies.check_plan_links(plan)
    bump_version(plan)
    plan.save()
    _audit(
        actor=actor,
        plan=plan,
        action="plan_update",
        message=str(plan),
        changes=model_changes(before, snapshot(plan, PLAN_FIELDS), model=ActionPlan),
    )
    return plan


@transaction.atomic
def plan_delete(*, plan_id: int, expected_version: int | None, actor: Actor) -> None:
    """Delete a draft plan with all its parts. Adopted and archived plans are kept."""
    plan = _lock_plan(plan_id=plan_id, actor=actor, expected_version=expected_version)
    _require_draft(plan)
    # Follow-up rounds protect their plan; a plan that has been followed up is history.
    if plan.rounds.exists():
        raise PlanError(
            _(
                "Planen har årliga uppföljningar och kan därför inte tas bort. Arkivera den i stället."
            )
        )
    _audit(actor=actor, plan=plan, action="plan_delete", message=str(plan), changes={})
    plan.delete()


@transaction.atomic
def plan_adopt(
    *,
    plan_id: int,
    expected_version: int | None,
    actor: Actor,
    adopted_on: datetime.date | None = None,
) -> ActionPlan:
    """Adopt a draft plan; the plan it supersedes (if adopted) becomes archived.

    Both rows change in one transaction. Raises PlanError unless the plan is a draft with at
    least one goal.
    """
    plan = _lock_plan(plan_id=plan_id, actor=actor, expected_version=expected_version)
    _require_draft(plan)
    if not plan.goals.exists():
        raise PlanError(_("En plan utan mål kan inte antas. Lägg till minst ett mål."))
    archived = []
    for older in ActionPlan.objects.select_for_update().filter(
        county_id=plan.county_id, status=ActionPlan.Status.ADOPTED
    ):
        if older.pk == plan.supersedes_id:
            older.status = ActionPlan.Status.ARCHIVED
            bump_version(older)
            older.save(update_fields=["status", "lock_version", "updated_at"])
            archived.append(older)
            _audit(
                actor=actor,
                plan=older,
                action="plan_archive",
                message=str(older),
                changes={
                    "status": [ActionPlan.Status.ADOPTED.value, ActionPlan.Status.ARCHIVED.value]
                },
            )
    plan.status = ActionPlan.Status.ADOPTED
    plan.adopted_on = adopted_on or timezone.localdate()
    bump_version(plan)
    plan.save(update_fields=["status", "adopted_on", "lock_version", "updated_at"])
    _audit(
        actor=actor,
        plan=plan,
        action="plan_adopt",
        message=str(plan),
        changes={
            "status": [ActionPlan.Status.DRAFT.value, ActionPlan.Status.ADOPTED.value],
            "adopted_on": [None, str(plan.adopted_on)],
        },
    )
    return plan


@transaction.atomic
def plan_revise(*, plan_id: int, actor: Actor) -> ActionPlan:
    """Start a new draft version of an adopted plan: a deep copy of all its parts.

    Goals (with their national goals), delmål, activities (with responsible organisations),
    indicators (with their delmål links) and indicator values are copied; the new plan has
    ``version + 1`` and ``supersedes`` the old one. Raises PlanError if the plan is not adopted
    or a draft revision already exists.
    """
    plan = _lock_plan(plan_id=plan_id, actor=actor)
    if plan.status != ActionPlan.Status.ADOPTED:
        raise PlanError(_("Bara en antagen plan kan revideras."))
    existing = plan.superseded_by.filter(status=ActionPlan.Status.DRAFT).first()
    if existing is not None:
        raise PlanError(
            _("Det finns redan ett utkast till version %(version)s av planen.")
            % {"version": existing.version}
        )
    new = ActionPlan.objects.get(pk=plan.pk)
    new.pk = None
    new.id = None
    new._state.adding = True
    new.status = ActionPlan.Status.DRAFT
    new.adopted_on = None
    new.version = plan.version + 1
    new.supersedes = plan
    new.lock_version = 0
    new.save()
    _copy_parts(old=plan, new=new)
    _audit(
        actor=actor,
        plan=new,
        action="plan_revise",
        message=str(new),
        changes={"version": [plan.version, new.version], "supersedes": [None, plan.pk]},
    )
    return new


def _copy_parts(*, old: ActionPlan, new: ActionPlan) -> None:
    sub_goal_map: dict[int, SubGoal] = {}
    goals = old.goals.prefetch_related(
        "national_goals", "sub_goals__activities__responsible"
    ).order_by("order", "number", "id")
    for goal in goals:
        new_goal = Goal.objects.create(
            plan=new,
            number=goal.number,
            title=goal.title,
            description=goal.description,
            order=goal.order,
        )
        new_goal.national_goals.set(goal.national_goals.all())
        for sub_goal in goal.sub_goals.all():
            new_sub = SubGoal.objects.create(
                goal=new_goal, code=sub_goal.code, text=sub_goal.text, order=sub_goal.order
            )
            sub_goal_map[sub_goal.pk] = new_sub
            for activity in sub_goal.activities.all():
                new_act = PlannedActivity.objects.create(
                    sub_goal=new_sub, text=activity.text, order=activity.order
                )
                new_act.responsible.set(activity.responsible.all())
    for indicator in old.indicators.prefetch_related("sub_goals", "values", "targets"):
        new_ind = Indicator.objects.create(
            plan=new,
            **{name: getattr(indicator, name) for name in PART_FIELDS[Indicator]},
            order=indicator.order,
        )
        new_ind.sub_goals.set([sub_goal_map[s.pk] for s in indicator.sub_goals.all()])
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=new_ind,
                year=v.year,
                organisation_id=v.organisation_id,
                value=v.value,
                note=v.note,
            )
            for v in indicator.values.all()
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=new_ind, year=t.year, value=t.value)
            for t in indicator.targets.all()
        )
