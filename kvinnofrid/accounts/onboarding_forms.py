"""Forms for inviting people, accepting an invitation and changing a membership."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from kvinnofrid.accounts.models import Role, User
from kvinnofrid.core.forms import NoControlCharactersForm, validate_single_line
from kvinnofrid.directory.models import County

INVITE_ROLE_CHOICES = [
    (Role.REPORTER.value, _("Rapportör – fyller i organisationens yttrande")),
    (Role.MANAGEMENT.value, _("Ledningsgrupp – läser planen, svaren och rapporterna")),
    (Role.COORDINATOR.value, _("Samordnare – länsstyrelsens samordnare (endast länsstyrelsen)")),
]


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


class InvitationForm(NoControlCharactersForm):
    """Invite one person by e-mail to the organisation of the page."""

    email = forms.EmailField(label=_("E-postadress"), max_length=254)
    role = forms.ChoiceField(label=_("Roll"), choices=INVITE_ROLE_CHOICES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper()


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=[(v, label) for v, label in Role.choices if v in dict(INVITE_ROLE_CHOICES)],
    )


class MembershipTitleForm(NoControlCharactersForm):
    """The member's title at the organisation (blank: none)."""

    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        required=False,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "size": 18}),
    )


class AcceptInvitationForm(SetPasswordForm[User]):
    """Django's ``new_password1``/``new_password2``, checked by the password validators against
    the (not yet saved) user of the invitation's e-mail."""

    def __init__(self, email: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(User(email=email), *args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password1"].widget.attrs.pop("autofocus", None)
        self.helper = _helper()

    def save(self, commit: bool = True) -> User:  # the service creates the user
        raise NotImplementedError


class NationalCoordinatorForm(NoControlCharactersForm):
    """The national admin invites a county's coordinator (to the county's länsstyrelse)."""

    county = forms.ModelChoiceField(
        label=_("Län"), queryset=County.objects.order_by("code"), empty_label=_("Välj län")
    )
    email = forms.EmailField(label=_("E-postadress"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.helper = _helper()
