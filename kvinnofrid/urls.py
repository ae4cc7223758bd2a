from django.contrib import admin
from django.urls import include, path

from agreements.views import home
from kvinnofrid.language import set_language

admin.site.site_header = "Kvinnofrid – administration"
admin.site.site_title = "Kvinnofrid"

urlpatterns = [
    path("", home, name="home"),
    path("konto/", include("kvinnofrid.accounts.urls")),
    path("", include("kvinnofrid.accounts.onboarding_urls")),
    path("", include("kvinnofrid.core.urls")),
    path("", include("agreements.urls")),
    path("", include("actionplans.urls")),
    path("", include("followup.urls")),
    path("admin/", admin.site.urls),
    # the language switch works before logging in too (the login page offers it)
    path("i18n/setlang/", set_language, name="set_language"),
]
