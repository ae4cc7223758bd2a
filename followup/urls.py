from django.urls import URLPattern, URLResolver, path

from followup import audit_views, views
from followup.national.urls import urlpatterns as national_urlpatterns
from followup.reports.urls import urlpatterns as report_urlpatterns
from followup.views import registry as registry_views
from followup.views.documents import submission_pdf

app_name = "followup"
urlpatterns: list[URLPattern | URLResolver] = [
    path("uppfoljning/", views.index, name="index"),
    path("uppfoljning/omgang/ny/", views.round_create, name="round-create"),
    path("uppfoljning/omgang/<int:pk>/", views.round_detail, name="round-detail"),
    path("uppfoljning/omgang/<int:pk>/andra/", views.round_edit, name="round-edit"),
    path("uppfoljning/omgang/<int:pk>/fragor/", views.round_questions, name="round-questions"),
    path(
        "uppfoljning/omgang/<int:pk>/status/<str:action>/",
        views.round_transition,
        name="round-transition",
    ),
    path("uppfoljning/omgang/<int:pk>/paminn/", views.round_remind_all, name="round-remind-all"),
    path("uppfoljning/omgang/<int:pk>/export.xlsx", views.round_export, name="round-export"),
    path("uppfoljning/yttrande/<int:pk>/", views.submission_edit, name="submission-edit"),
    path("uppfoljning/yttrande/<int:pk>/visa/", views.submission_detail, name="submission-detail"),
    path("uppfoljning/yttrande/<int:pk>/yttrande.pdf", submission_pdf, name="submission-pdf"),
    path(
        "uppfoljning/yttrande/<int:pk>/skicka-in/",
        views.submission_submit,
        name="submission-submit",
    ),
    path(
        "uppfoljning/yttrande/<int:pk>/paminn/", views.submission_remind, name="submission-remind"
    ),
    path(
        "uppfoljning/yttrande/<int:pk>/fran-forra-aret/",
        views.submission_copy_last_year,
        name="submission-copy-last-year",
    ),
    path(
        "uppfoljning/yttrande/<int:pk>/granska/<str:action>/",
        views.submission_review,
        name="submission-review",
    ),
    path("uppfoljning/yttrande/<int:pk>/aktivitet/ny/", views.activity_edit, name="activity-add"),
    path(
        "uppfoljning/yttrande/<int:pk>/aktivitet/<int:activity_id>/",
        views.activity_edit,
        name="activity-edit",
    ),
    path(
        "uppfoljning/yttrande/<int:pk>/aktivitet/<int:activity_id>/ta-bort/",
        views.activity_delete,
        name="activity-delete",
    ),
    path("lan/<str:county_code>/diarium/", registry_views.registry_edit, name="registry-edit"),
    path(
        "uppfoljning/yttrande/<int:pk>/diarienummer/",
        registry_views.submission_register,
        name="submission-register",
    ),
    path(
        "uppfoljning/lagesrapport/<int:pk>/diarienummer/",
        registry_views.report_register,
        name="report-register",
    ),
    path("uppfoljning/omgang/<int:pk>/historik/", audit_views.round_history, name="round-history"),
    path(
        "uppfoljning/yttrande/<int:pk>/historik/",
        audit_views.submission_history,
        name="submission-history",
    ),
    path(
        "uppfoljning/lagesrapport/<int:pk>/historik/",
        audit_views.report_history,
        name="report-history",
    ),
    *report_urlpatterns,
    *national_urlpatterns,
]
