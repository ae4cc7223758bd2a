from django.urls import path

from actionplans import audit_views, views, views_strategy

app_name = "actionplans"
P = "lan/<str:county_code>/planer/<int:pk>/"
PART = P + "<slug:kind>/<int:part_pk>/"
urlpatterns = [
    path("lan/<str:county_code>/", views.county_start, name="county-start"),
    path("lan/<str:county_code>/planer/", views.plan_list, name="plan-list"),
    path("lan/<str:county_code>/planer/ny/", views.plan_create, name="plan-create"),
    path("lan/<str:county_code>/planer/importera/", views.plan_import, name="plan-import"),
    path(P, views.plan_detail, name="plan-detail"),
    path(P + "redigera/", views.plan_editor, name="plan-editor"),
    path(P + "uppgifter/", views.plan_edit, name="plan-edit"),
    path(P + "anta/", views.plan_adopt, name="plan-adopt"),
    path(P + "revidera/", views.plan_revise, name="plan-revise"),
    path(P + "ta-bort/", views.plan_delete, name="plan-delete"),
    path(P + "historik/", audit_views.plan_history, name="plan-history"),
    path(P + "jamfor/", views.plan_compare, name="plan-compare"),
    path(P + "export.<slug:fmt>", views.plan_export, name="plan-export"),
    path(P + "indikator/<int:part_pk>/varden/", views.indicator_values, name="indicator-values"),
    path(
        P + "indikator/<int:part_pk>/varden/<int:value_pk>/ta-bort/",
        views.indicator_value_delete,
        name="indicator-value-delete",
    ),
    path(P + "<slug:kind>/ny/", views.part_create, name="part-create"),
    path(PART + "redigera/", views.part_edit, name="part-edit"),
    path(PART + "ta-bort/", views.part_delete, name="part-delete"),
    path(PART + "flytta/", views.part_move, name="part-move"),
    # national strategy frames (issue 14)
    path("nationellt/ramar/", views_strategy.strategy_list, name="strategy-list"),
    path("nationellt/ramar/ny/", views_strategy.strategy_create, name="strategy-create"),
    path("nationellt/ramar/<int:pk>/", views_strategy.strategy_detail, name="strategy-detail"),
    path(
        "nationellt/ramar/<int:pk>/redigera/",
        views_strategy.strategy_edit,
        name="strategy-edit",
    ),
    path(
        "nationellt/ramar/<int:pk>/mal/ny/",
        views_strategy.national_goal_create,
        name="strategy-goal-create",
    ),
    path(
        "nationellt/ramar/<int:pk>/mal/<int:goal_pk>/redigera/",
        views_strategy.national_goal_edit,
        name="strategy-goal-edit",
    ),
    path(
        "nationellt/ramar/<int:pk>/mal/<int:goal_pk>/ta-bort/",
        views_strategy.national_goal_delete,
        name="strategy-goal-delete",
    ),
]
