from django.urls import path

from kvinnofrid.core import views

app_name = "core"
urlpatterns = [
    path("tillganglighet/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("session/fortsatt/", views.session_keepalive, name="session-keepalive"),
]
