"""A county's directory of actors and people, the invitation page and the national admin's
coordinators (issue 13). Organisation-only pages are views of ``kvinnofrid.directory``."""

from django.urls import path

from kvinnofrid.accounts import audit_views
from kvinnofrid.accounts import onboarding_views as views
from kvinnofrid.directory import views as directory_views

app_name = "actors"
C = "lan/<str:county_code>/"
urlpatterns = [
    path(C + "aktorer/", directory_views.actor_list, name="list"),
    path(C + "aktorer/ny/", directory_views.actor_create, name="create"),
    path(C + "aktorer/importera/", directory_views.actor_import, name="import"),
    path(C + "logotyp/", directory_views.county_logo, name="county-logo"),
    path(C + "aktorer/<int:pk>/", views.actor_detail, name="detail"),
    path(C + "aktorer/<int:pk>/bjud-in/", views.invite, name="invite"),
    path(C + "personer/", views.people, name="people"),
    path(
        C + "inbjudningar/<int:pk>/skicka-igen/",
        views.invitation_resend,
        name="invitation-resend",
    ),
    path(C + "inbjudningar/<int:pk>/aterkalla/", views.invitation_revoke, name="invitation-revoke"),
    path(C + "medlemskap/<int:pk>/roll/", views.membership_role, name="membership-role"),
    path(C + "medlemskap/<int:pk>/titel/", views.membership_title, name="membership-title"),
    path(C + "medlemskap/<int:pk>/ta-bort/", views.membership_remove, name="membership-remove"),
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("nationellt/samordnare/", views.national_coordinators, name="national-coordinators"),
    path(C + "historik/", audit_views.county_history, name="county-history"),
    path("nationellt/historik/", audit_views.national_history, name="national-history"),
    path("nationellt/gallring/", audit_views.retention_runs, name="retention-runs"),
]
