"""Forms for agreements; the shared locking and guarding pieces are in ``kvinnofrid.core.forms``."""

from typing import Any

from django import forms

from agreements.models import Agreement, Commitment, Meeting, Party
from kvinnofrid.core.forms import (
    LockVersionFormMixin,
    SafeModelChoiceField,
    date_widget,
    model_choice_field,
)
from kvinnofrid.directory.models import Organisation


class AgreementForm(LockVersionFormMixin, forms.ModelForm[Agreement]):
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


class PartyForm(LockVersionFormMixin, forms.ModelForm[Party]):
    """A signatory; ``lock_version`` is the agreement's."""

    class Meta:
        model = Party
        fields = ["organisation", "signatory_name", "signatory_title"]
        field_classes = {"organisation": SafeModelChoiceField}

    def __init__(self, *args: Any, county_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = Organisation.objects.filter(
            county_id=county_id
        )


class CommitmentForm(LockVersionFormMixin, forms.ModelForm[Commitment]):
    class Meta:
        model = Commitment
        fields = ["heading", "text", "national_goal", "indicator_hint"]
        field_classes = {"national_goal": SafeModelChoiceField}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The national goals live in actionplans, above this app: reach them through the field.
        field = model_choice_field(self, "national_goal")
        if field.queryset is not None:
            field.queryset = field.queryset.select_related("strategy")
        self.fields["national_goal"].required = False


class MeetingForm(LockVersionFormMixin, forms.ModelForm[Meeting]):
    class Meta:
        model = Meeting
        fields = ["date", "title", "notes", "decisions"]
        widgets = {
            "date": date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }
