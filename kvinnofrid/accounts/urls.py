from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kvinnofrid.accounts import oidc, two_factor
from kvinnofrid.accounts.forms import EmailAuthenticationForm

app_name = "accounts"
urlpatterns = [
    path(
        "logga-in/",
        auth_views.LoginView.as_view(
            authentication_form=EmailAuthenticationForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "losenord/aterstall/",
        auth_views.PasswordResetView.as_view(
            success_url=reverse_lazy("accounts:password_reset_done"),
            email_template_name="registration/password_reset_email.txt",
        ),
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
