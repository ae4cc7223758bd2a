from django.contrib import admin

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)


class NationalGoalInline(admin.TabularInline[NationalGoal, NationalStrategy]):
    model = NationalGoal
    extra = 0


@admin.register(NationalStrategy)
class NationalStrategyAdmin(admin.ModelAdmin[NationalStrategy]):
    list_display = ["name", "valid_from", "valid_until"]
    inlines = [NationalGoalInline]


class GoalInline(admin.StackedInline[Goal, ActionPlan]):
    model = Goal
    extra = 0
    filter_horizontal = ["national_goals"]


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin[ActionPlan]):
    list_display = ["title", "county", "kind", "status", "version", "period_start", "period_end"]
    list_filter = ["county", "status", "kind"]
    inlines = [GoalInline]


class SubGoalInline(admin.TabularInline[SubGoal, Goal]):
    model = SubGoal
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin[Goal]):
    list_display = ["__str__", "plan"]
    list_filter = ["plan__county"]
    inlines = [SubGoalInline]


@admin.register(SubGoal)
class SubGoalAdmin(admin.ModelAdmin[SubGoal]):
    list_display = ["code", "text", "goal"]
    search_fields = ["text", "code"]


@admin.register(PlannedActivity)
class PlannedActivityAdmin(admin.ModelAdmin[PlannedActivity]):
    list_display = ["text", "sub_goal"]
    filter_horizontal = ["responsible"]


class IndicatorTargetInline(admin.TabularInline[IndicatorTarget, Indicator]):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["name", "kind", "plan"]
    list_filter = ["kind", "plan__county"]
    filter_horizontal = ["sub_goals"]
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin[IndicatorValue]):
    list_display = ["indicator", "year", "organisation", "value"]
