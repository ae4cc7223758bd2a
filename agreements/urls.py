from django.urls import path

from agreements import audit_views, views

app_name = "agreements"
A = "lan/<str:county_code>/overenskommelser/<int:pk>/"
ITEM = A + "<slug:kind>/<int:item_pk>/"
urlpatterns = [
    path("lan/<str:county_code>/overenskommelser/", views.agreement_list, name="agreement-list"),
    path(
        "lan/<str:county_code>/overenskommelser/ny/",
        views.agreement_create,
        name="agreement-create",
    ),
    path(A, views.agreement_detail, name="agreement-detail"),
    path(A + "redigera/", views.agreement_edit, name="agreement-edit"),
    path(A + "ny-fran-denna/", views.agreement_copy, name="agreement-copy"),
    path(A + "historik/", audit_views.agreement_history, name="agreement-history"),
    path(A + "<slug:kind>/ny/", views.item_create, name="item-create"),
    path(ITEM + "redigera/", views.item_edit, name="item-edit"),
    path(ITEM + "ta-bort/", views.item_delete, name="item-delete"),
    path(ITEM + "flytta/", views.item_move, name="item-move"),
]
