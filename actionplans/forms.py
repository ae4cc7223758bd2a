"""Forms of the plan editor. They validate input only; views hand ``cleaned_data`` to services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, Goal, Indicator, NationalGoal, PlannedActivity, SubGoal
from kvinnofrid.core.forms import (
    CrispyNoTagMixin,
    LockVersionFormMixin,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    model_choice_field,
)
from kvinnofrid.directory.models import Organisation

MAX_FILE_BYTES = 5 * 1024 * 1024


class ActionPlanForm(LockVersionFormMixin, forms.ModelForm[ActionPlan]):
    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "kind",
            "period_start",
            "period_end",
            "vision",
            "purpose",
            "target_groups",
            "perspectives",
            "areas",
            "diarienummer",
            "serial_number",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("vision", "purpose", "target_groups", "perspectives", "areas")
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Planperioden kan inte sluta före den börjar."))
        for name in ("period_start", "period_end"):
            value = data.get(name)
            if value is not None and not 1990 <= value <= 2100:
                self.add_error(name, _("Ange ett årtal mellan 1990 och 2100."))
        return data


class GoalForm(LockVersionFormMixin, forms.ModelForm[Goal]):
    class Meta:
        model = Goal
        fields = ["number", "title", "description", "national_goals"]
        field_classes = {"national_goals": SafeModelMultipleChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "national_goals": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "national_goals").queryset = NationalGoal.objects.filter(
            strategy__valid_from__lte=plan.period_end
        ).select_related("strategy")
        self.fields["national_goals"].help_text = _(
            "Vilka av de nationella målsättningarna målet bidrar till."
        )


class SubGoalForm(LockVersionFormMixin, forms.ModelForm[SubGoal]):
    class Meta:
        model = SubGoal
        fields = ["code", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("T.ex. 1:1. Får vara tom.")


class PlannedActivityForm(LockVersionFormMixin, forms.ModelForm[PlannedActivity]):
    class Meta:
        model = PlannedActivity
        fields = ["text", "responsible"]
        field_classes = {"responsible": SafeModelMultipleChoiceField}
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "responsible": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "responsible").queryset = Organisation.objects.filter(
            county_id=plan.county_id
        )


class SubGoalChoiceField(forms.ModelMultipleChoiceField[SubGoal]):
    """Delmål labelled with the number of their goal."""

    def label_from_instance(self, obj: SubGoal) -> str:
        return f"Mål {obj.goal.number}: {obj}"


class IndicatorForm(LockVersionFormMixin, forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "kind",
            "source",
            "unit",
            "baseline",
            "target",
            "target_year",
            "sub_goals",
        ]
        field_classes = {"sub_goals": SubGoalChoiceField}
        widgets = {"sub_goals": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "sub_goals").queryset = (
            SubGoal.objects.filter(goal__plan=plan)
            .select_related("goal")
            .order_by("goal__order", "order", "id")
        )


class IndicatorValueForm(CrispyNoTagMixin, forms.Form):
    year = forms.IntegerField(label=_("År"), min_value=1990, max_value=2100)
    organisation = SafeModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Hela länet"),
    )
    value = forms.DecimalField(label=_("Värde"), max_digits=14, decimal_places=2)
    note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "organisation").queryset = Organisation.objects.filter(
            county_id=plan.county_id
        )


class PlanImportForm(CrispyNoTagMixin, forms.Form):
    file = forms.FileField(
        label=_("Fil (JSON eller XLSX)"),
        help_text=_("En plan i formatet kvinnofrid-plan/1, högst 5 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 5 MB)."))
        name = upload.name.lower()
        if not name.endswith((".json", ".xlsx")):
            raise forms.ValidationError(_("Filen måste vara en .json- eller .xlsx-fil."))
        return upload
