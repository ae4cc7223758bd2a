"""National URLs; included into the ``followup`` namespace by followup/urls.py."""

from django.urls import path

from followup.national import views

urlpatterns: list = [
    path("nationellt/", views.overview, name="national-overview"),
    path("nationellt/export.xlsx", views.export, name="national-export"),
]
