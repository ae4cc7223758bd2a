from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kvinnofrid.accounts import oidc, two_factor
from kvinnofrid.accounts.views import LoginView, PasswordResetView

app_name = "accounts"
urlpatterns = [
    path(
        "logga-in/",
        LoginView.as_view(),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/aterstall/",
        PasswordResetView.as_view(success_url=reverse_lazy("accounts:password_reset_done")),
        name="password_reset",
    ),
    path(
        "losenord/aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("accounts:password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        "losenord/aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("e-legitimation/", oidc.start, name="oidc_login"),
    path("e-legitimation/retur/", oidc.callback, name="oidc_callback"),
    path("tvastegsverifiering/", two_factor.verify, name="two_factor"),
    path(
        "tvastegsverifiering/aterstall/<int:user_id>/",
        two_factor.reset_device,
        name="two_factor_reset",
    ),
]
