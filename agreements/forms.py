"""Forms for agreements, plus the optimistic-locking pieces every edit form shares."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Commitment, Meeting, Party
from kvinnofrid.directory.models import Organisation

MAX_PK = 2**31 - 1


def _pk_ok(value: Any) -> bool:
    """A submitted id must be a small positive integer before it reaches the database
    (a huge number would overflow SQLite/PostgreSQL integer parameters and crash)."""
    if hasattr(value, "pk"):
        return True
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= MAX_PK


class SafeModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _pk_ok(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        for item in value:
            if not _pk_ok(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:50]},
                )
        return super()._check_values(value)


class CrispyNoTagMixin:
    """Crispy renders the fields only; the template writes the <form> tag and buttons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class LockVersionFormMixin(forms.Form):
    """Carries the ``lock_version`` the form was rendered with (hidden)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            # Editing an existing row: the version seen is mandatory, so no save skips the check.
            self.fields["lock_version"].required = True
            if not self.is_bound:
                self.initial.setdefault("lock_version", getattr(instance, "lock_version", 0))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgreementForm(LockVersionFormMixin, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = [
            "title",
            "governing_body",
            "meetings_per_year",
            "purpose",
            "vision",
            "scope_text",
            "signed_on",
            "signed_place",
            "valid_from",
            "valid_until",
            "diarienummer",
        ]
        widgets = {
            "signed_on": date_widget(),
            "valid_from": date_widget(),
            "valid_until": date_widget(),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "vision": forms.Textarea(attrs={"rows": 3}),
            "scope_text": forms.Textarea(attrs={"rows": 3}),
        }


class PartyForm(LockVersionFormMixin, forms.ModelForm):
    """A signatory; ``lock_version`` is the agreement's."""

    class Meta:
        model = Party
        fields = ["organisation", "signatory_name", "signatory_title"]
        field_classes = {"organisation": SafeModelChoiceField}

    def __init__(self, *args: Any, county_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(county_id=county_id)


class CommitmentForm(LockVersionFormMixin, forms.ModelForm):
    class Meta:
        model = Commitment
        fields = ["heading", "text", "national_goal", "indicator_hint"]
        field_classes = {"national_goal": SafeModelChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        national_goal = Commitment._meta.get_field("national_goal").related_model
        self.fields["national_goal"].queryset = national_goal.objects.select_related("strategy")
        self.fields["national_goal"].required = False


class MeetingForm(LockVersionFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["date", "title", "notes", "decisions"]
        widgets = {
            "date": date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class ConfirmForm(LockVersionFormMixin):
    """A confirmation (delete, adopt, new version) that still carries the version seen."""


DIRECTION_CHOICES = [("up", _("Upp")), ("down", _("Ned"))]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=DIRECTION_CHOICES)
