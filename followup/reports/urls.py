"""Report URLs; included into the ``followup`` namespace by followup/urls.py."""

from django.urls import URLPattern, URLResolver, path

from followup.reports import text_preview, views

R = "uppfoljning/lagesrapport/<int:pk>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("lan/<str:county_code>/lagesrapporter/", views.report_list, name="report-list"),
    path(
        "uppfoljning/omgang/<int:round_pk>/lagesrapport/ny/",
        views.report_create,
        name="report-create",
    ),
    path(R, views.report_detail, name="report-detail"),
    path(R + "redigera/", views.report_edit, name="report-edit"),
    path(R + "forhandsvisning/", views.report_preview, name="report-preview"),
    path(
        R + "forhandsvisning/text/",
        text_preview.report_text_preview,
        name="report-text-preview",
    ),
    path(R + "bygg/", views.report_build, name="report-build"),
    path(R + "bygg/<int:build_pk>/", views.report_build_status, name="report-build-status"),
    path(R + "faststall/", views.report_finalise, name="report-finalise"),
    path(R + "ladda-ner/", views.report_download, name="report-download"),
    path(R + "webbversion/", views.report_web_version, name="report-web-version"),
]
