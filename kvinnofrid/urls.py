from django.contrib import admin
from django.urls import include, path

from agreements.views import home

admin.site.site_header = "Kvinnofrid – administration"
admin.site.site_title = "Kvinnofrid"

urlpatterns = [
    path("", home, name="home"),
    path("konto/", include("kvinnofrid.accounts.urls")),
    path("", include("kvinnofrid.core.urls")),
    path("", include("agreements.urls")),
    path("", include("actionplans.urls")),
    path("", include("followup.urls")),
    path("admin/", admin.site.urls),
]
