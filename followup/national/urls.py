"""National URLs; included into the ``followup`` namespace by followup/urls.py."""

from django.urls import URLPattern, URLResolver, path

from followup.national import report_back_views, views

urlpatterns: list[URLPattern | URLResolver] = [
    path("nationellt/", views.overview, name="national-overview"),
    path("nationellt/export.xlsx", views.export, name="national-export"),
]

RB = "lan/<str:county_code>/aterrapportering/<int:year>/"

urlpatterns += [
    path(
        "lan/<str:county_code>/aterrapportering/",
        report_back_views.report_back_latest,
        name="report-back-latest",
    ),
    path(RB, report_back_views.report_back_edit, name="report-back"),
    path(RB + "faststall/", report_back_views.report_back_finalise, name="report-back-finalise"),
    path(
        RB + "ladda-ner/<str:fmt>/",
        report_back_views.report_back_download,
        name="report-back-download",
    ),
]
