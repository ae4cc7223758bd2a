from django.urls import path  # noqa: F401

from agreements import views  # noqa: F401

app_name = "agreements"
urlpatterns: list = []
