from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with e-mail; the field keeps the name ``username`` that django-axes watches."""

    username = forms.EmailField(
        label=_("E-postadress"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Fel e-postadress eller lösenord. Observera att lösenordet skiljer på stora och små bokstäver."
        ),
        "inactive": _("Kontot är inaktiverat."),
    }
