"""Forms of the national strategy frame pages (issue 14). They validate input only; the views
hand ``cleaned_data`` to ``actionplans.strategies``."""

import unicodedata
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.models import NationalGoal, NationalStrategy
from kvinnofrid.core.forms import (
    CrispyNoTagMixin,
    SafeModelMultipleChoiceField,
    date_widget,
    model_choice_field,
)

MAX_SUB_GOAL_LINES = 100


def no_control_characters(value: str) -> None:
    """Titles are shown in tables, PDFs and Word headings: refuse control characters (as the
    file import does). Line breaks are allowed only where a field splits lines itself."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\r\n" for ch in value):
        raise forms.ValidationError(_("Texten innehåller ett otillåtet tecken."))


class StrategyForm(CrispyNoTagMixin, forms.Form):
    name = forms.CharField(label=_("Titel"), max_length=300, validators=[no_control_characters])
    valid_from = forms.DateField(label=_("Gäller från"), widget=date_widget())
    valid_until = forms.DateField(label=_("Gäller till och med"), widget=date_widget())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("valid_from"), data.get("valid_until")
        for name in ("valid_from", "valid_until"):
            value = data.get(name)
            if value is not None and not 1900 <= value.year <= 2200:
                self.add_error(name, _("Ange ett datum mellan år 1900 och 2200."))
        if start and end and end < start:
            self.add_error("valid_until", _("Perioden kan inte sluta före den börjar."))
        return data


class _GoalWithFrameField(SafeModelMultipleChoiceField):
    """National goals labelled with their frame."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.strategy.name}: {obj}"


class NationalGoalForm(CrispyNoTagMixin, forms.Form):
    number = forms.IntegerField(label=_("Nummer"), min_value=1, max_value=999)
    title = forms.CharField(
        label=_("Målsättning"), max_length=300, validators=[no_control_characters]
    )
    short_title = forms.CharField(
        label=_("Kort namn"),
        max_length=100,
        required=False,
        validators=[no_control_characters],
        help_text=_("Visas i tabeller. Lämnas det tomt används början av målsättningen."),
    )
    sub_goals = forms.CharField(
        label=_("Delmål"),
        required=False,
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ett delmål per rad. Får vara tomt."),
    )
    continues_in = _GoalWithFrameField(
        label=_("Fortsätter i andra ramars målsättningar"),
        queryset=NationalGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Översättningen används för att jämföra aktiviteter när ramen byts."),
    )

    def __init__(self, *args: Any, strategy: NationalStrategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "continues_in").queryset = (
            NationalGoal.objects.exclude(strategy=strategy)
            .select_related("strategy")
            .order_by("strategy__valid_from", "strategy__name", "number")
        )

    def clean_sub_goals(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["sub_goals"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_SUB_GOAL_LINES:
            raise forms.ValidationError(_("Högst 100 delmål."))
        for line in lines:
            if len(line) > 500:
                raise forms.ValidationError(_("Ett delmål får vara högst 500 tecken."))
        return lines
