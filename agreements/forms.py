"""Forms for agreements; the shared locking and guarding pieces are in ``kvinnofrid.core.forms``."""

from typing import Any

from django import forms

from agreements.models import Agreement, Commitment, Meeting, Party
from kvinnofrid.core.forms import LockVersionFormMixin, SafeModelChoiceField, date_widget
from kvinnofrid.directory.models import Organisation


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
