from django.urls import path  # noqa: F401

from followup import views  # noqa: F401
from followup.reports.urls import urlpatterns as report_urlpatterns

app_name = "followup"
urlpatterns: list = [
    *report_urlpatterns,
]
