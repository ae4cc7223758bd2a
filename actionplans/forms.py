"""Forms of the plan editor. They validate input only; views hand ``cleaned_data`` to services."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)
from actionplans.strategies import strategy_for_year
from actionplans.targets import format_targets, parse_targets
from agreements.models import Agreement
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
            "strategy",
            "agreement",
        ]
        field_classes = {"strategy": SafeModelChoiceField, "agreement": SafeModelChoiceField}
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("vision", "purpose", "target_groups", "perspectives", "areas")
        }

    def __init__(self, *args: Any, county: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if county is None and self.instance.county_id:
            county = self.instance.county
        # issue 14: the plan names its strategy frame and (optionally) the county's agreement
        strategy = model_choice_field(self, "strategy")
        strategy.queryset = NationalStrategy.objects.order_by("-valid_from", "name")
        strategy.required = True
        strategy.label = _("Nationell strategi eller åtgärdsprogram")
        strategy.help_text = _("Planens mål kopplas till den valda ramens nationella mål.")
        if self.instance.pk is None and "strategy" not in self.initial:
            current = strategy_for_year(timezone.localdate().year)
            self.initial["strategy"] = current.pk if current else None
        agreement = model_choice_field(self, "agreement")
        agreement.queryset = (
            Agreement.objects.filter(county=county).order_by("-valid_from", "-id")
            if county is not None
            else Agreement.objects.none()
        )
        agreement.label = _("Regional överenskommelse")
        agreement.empty_label = _("Ingen")

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
        # issue 14: only the plan's own frame's goals, labelled with the frame
        field = model_choice_field(self, "national_goals")
        field.queryset = NationalGoal.objects.filter(strategy_id=plan.strategy_id).order_by(
            "number"
        )
        if plan.strategy is not None:
            field.label = _("Nationella målsättningar i %(frame)s") % {"frame": plan.strategy.name}
            field.help_text = _("Vilka av ramens målsättningar målet bidrar till.")
        else:
            field.help_text = _("Välj först planens nationella strategi under Planens uppgifter.")


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
            "targets",
            "sub_goals",
        ]
        field_classes = {"sub_goals": SubGoalChoiceField}
        widgets = {"sub_goals": forms.CheckboxSelectMultiple}

    targets = forms.CharField(
        label=_("Målvärden per år"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_(
            "Ett år och dess målvärde per rad, med kolon emellan, t.ex. ”2025: 30” och "
            "”2026: 40”. Lämna tomt om indikatorn saknar målvärden."
        ),
    )

    def __init__(self, *args: Any, plan: ActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "sub_goals").queryset = (
            SubGoal.objects.filter(goal__plan=plan)
            .select_related("goal")
            .order_by("goal__order", "order", "id")
        )
        if self.instance.pk and not self.is_bound:
            self.initial["targets"] = format_targets(
                self.instance.targets.values_list("year", "value")
            )

    def clean_targets(self) -> list[tuple[int, Decimal]]:
        """The targets as ``(year, value)`` pairs; a bad line is refused with its number."""
        return parse_targets(self.cleaned_data.get("targets") or "")


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
