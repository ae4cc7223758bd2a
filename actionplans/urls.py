from django.urls import path

from actionplans import views

app_name = "actionplans"
urlpatterns = [
    path("lan/<str:county_code>/", views.county_start, name="county-start"),
]
