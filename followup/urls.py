from django.urls import path  # noqa: F401

from followup import views  # noqa: F401

app_name = "followup"
urlpatterns: list = []
