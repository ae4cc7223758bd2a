"""How the action plans' audit keys read (see ``kvinnofrid.core.audit_catalogue``)."""

from django.utils.translation import gettext_lazy as _

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorValue,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)
from kvinnofrid.core.audit_catalogue import register

# (model, action prefix as in services.PART_ACTION, phrases for create/update/delete/move)
_PARTS = (
    (
        Goal,
        "goal",
        (
            _("lade till målet ”%(object)s”"),
            _("ändrade målet ”%(object)s”"),
            _("tog bort målet ”%(object)s”"),
            _("flyttade målet ”%(object)s”"),
        ),
    ),
    (
        SubGoal,
        "subgoal",
        (
            _("lade till delmålet ”%(object)s”"),
            _("ändrade delmålet ”%(object)s”"),
            _("tog bort delmålet ”%(object)s”"),
            _("flyttade delmålet ”%(object)s”"),
        ),
    ),
    (
        PlannedActivity,
        "activity",
        (
            _("lade till aktiviteten ”%(object)s”"),
            _("ändrade aktiviteten ”%(object)s”"),
            _("tog bort aktiviteten ”%(object)s”"),
            _("flyttade aktiviteten ”%(object)s”"),
        ),
    ),
    (
        Indicator,
        "indicator",
        (
            _("lade till indikatorn ”%(object)s”"),
            _("ändrade indikatorn ”%(object)s”"),
            _("tog bort indikatorn ”%(object)s”"),
            _("flyttade indikatorn ”%(object)s”"),
        ),
    ),
)


def register_actions() -> None:
    plan_labels = {"supersedes": _("ersätter version (id)"), "previous": _("tidigare plan (id)")}
    for key, phrase in (
        ("plan_create", _("skapade planen")),
        ("plan_update", _("ändrade planens uppgifter")),
        ("plan_delete", _("tog bort utkastet")),
        ("plan_archive", _("arkiverade planen %(object)s")),
        ("plan_adopt", _("antog planen")),
        ("plan_revise", _("påbörjade en ny version av planen")),
        ("plan_import", _("importerade planen från fil")),
    ):
        register(f"actionplans.{key}", phrase, model=ActionPlan, labels=plan_labels)
    register(
        "actionplans.indicator_value_set",
        _("förde in ett värde för indikatorn %(object)s"),
        model=IndicatorValue,
        object_from_message=True,
    )
    register(
        "actionplans.indicator_value_delete",
        _("tog bort ett värde för indikatorn %(object)s"),
        model=IndicatorValue,
        object_from_message=True,
    )
    for model, prefix, phrases in _PARTS:
        for suffix, phrase in zip(("create", "update", "delete", "move"), phrases, strict=True):
            register(
                f"actionplans.{prefix}_{suffix}",
                phrase,
                model=model,
                object_from_message=True,
                labels={"order": _("plats")},
            )
    register("actionplans.strategy_create", _("skapade ramen %(object)s"), model=NationalStrategy)
    register("actionplans.strategy_update", _("ändrade ramen %(object)s"), model=NationalStrategy)
    register(
        "actionplans.strategy_import",
        _("importerade ramen %(object)s"),
        model=NationalStrategy,
        labels={"goals": _("antal mål"), "crosswalk": _("kopplingar till tidigare mål")},
    )
    register(
        "actionplans.national_goal_create",
        _("lade till det nationella målet %(object)s"),
        model=NationalGoal,
    )
    register(
        "actionplans.national_goal_update",
        _("ändrade det nationella målet %(object)s"),
        model=NationalGoal,
    )
    register(
        "actionplans.national_goal_delete",
        _("tog bort det nationella målet %(object)s"),
        model=NationalGoal,
    )
