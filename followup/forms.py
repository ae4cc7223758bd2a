"""Forms of the follow-up: they validate input only; views pass cleaned data to services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import PreventionLevel, Question, ReportedActivity, ViolenceArea
from kvinnofrid.core.forms import NoControlCharactersMixin, choice_field, model_choice_field
from kvinnofrid.directory.models import Organisation

NO_PERSONAL_DATA = _("Skriv inga uppgifter om enskilda personer.")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoundForm(NoControlCharactersMixin, forms.Form):
    plan = forms.TypedChoiceField(label=_("Handlingsplan"), coerce=int)
    year = forms.IntegerField(label=_("År som följs upp"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Rubrik"), max_length=300)
    instructions = forms.CharField(
        label=_("Instruktioner till aktörerna"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_on = forms.DateField(label=_("Öppnar"), required=False, widget=DATE_WIDGET)
    deadline = forms.DateField(label=_("Sista svarsdag"), widget=DATE_WIDGET)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Inbjudna aktörer"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plans: list[Any], organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "plan").choices = [(p.pk, f"{p.county.name}: {p}") for p in plans]
        model_choice_field(self, "organisations").queryset = organisations

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("opens_on") and data.get("deadline") and data["deadline"] < data["opens_on"]:
            self.add_error("deadline", _("Sista svarsdag kan inte vara före öppningsdagen."))
        return data


class QuestionForm(NoControlCharactersMixin, forms.ModelForm[Question]):
    class Meta:
        model = Question
        fields = ["text", "help_text", "kind", "required", "order"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "help_text": forms.Textarea(attrs={"rows": 2}),
        }


class SubmissionForm(NoControlCharactersMixin, forms.Form):
    """The actor's answers and indicator values; fields are generated from the round.

    Three kinds of field only (textarea, number, yes/partly/no radios):
    the answer_field tag (followup/templatetags/followup_tags.py) writes their widgets out and
    must follow any change.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, questions: list[Any], indicators: list[Any], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.questions = questions
        self.indicators = indicators
        for q in questions:
            name = f"q_{q.pk}"
            if q.kind == Question.Kind.NUMBER:
                field: forms.Field = forms.DecimalField(
                    label=q.text,
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                    widget=forms.NumberInput(attrs={"class": "form-control"}),
                )
            elif q.kind == Question.Kind.YES_PARTLY_NO:
                field = forms.ChoiceField(
                    label=q.text,
                    required=False,
                    choices=[("yes", _("Ja")), ("partly", _("Delvis")), ("no", _("Nej"))],
                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                )
            else:
                field = forms.CharField(
                    label=q.text,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
                    help_text=" ".join(filter(None, [q.help_text, str(NO_PERSONAL_DATA)])),
                )
            self.fields[name] = field
        for ind in indicators:
            unit = f" ({ind.unit})" if ind.unit else ""
            self.fields[f"ind_{ind.pk}_value"] = forms.DecimalField(
                label=f"{ind.name}{unit}",
                required=False,
                max_digits=14,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )
            self.fields[f"ind_{ind.pk}_note"] = forms.CharField(
                label=_("Kommentar till %(name)s") % {"name": ind.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                help_text=NO_PERSONAL_DATA,
            )

    @staticmethod
    def initial_for(data: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for qid, a in data.answers.items():
            initial[f"q_{qid}"] = a.number if a.number is not None else (a.choice or a.text)
        for iid, a in data.indicator_answers.items():
            initial[f"ind_{iid}_value"] = a.value
            initial[f"ind_{iid}_note"] = a.note
        return initial

    def answers(self) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q_{q.pk}")
            if q.kind == Question.Kind.NUMBER:
                out[q.pk] = {"number": value}
            elif q.kind == Question.Kind.YES_PARTLY_NO:
                out[q.pk] = {"choice": value or ""}
            else:
                out[q.pk] = {"text": value or ""}
        return out

    def indicator_values(self) -> dict[int, dict[str, Any]]:
        return {
            ind.pk: {
                "value": self.cleaned_data.get(f"ind_{ind.pk}_value"),
                "note": self.cleaned_data.get(f"ind_{ind.pk}_note") or "",
            }
            for ind in self.indicators
        }

    def field_rows(self) -> list[Any]:
        return [self[f"q_{q.pk}"] for q in self.questions]


class ActivityForm(NoControlCharactersMixin, forms.Form):
    title = forms.CharField(
        label=_("Aktivitet (rubrik)"), max_length=300, help_text=NO_PERSONAL_DATA
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_PERSONAL_DATA,
    )
    sub_goals = forms.TypedMultipleChoiceField(
        label=_("Delmål som aktiviteten bidrar till"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    prevention_level = forms.ChoiceField(
        label=_("Preventionsnivå"),
        required=False,
        choices=[("", _("Ej angiven")), *PreventionLevel.choices],
    )
    areas = forms.MultipleChoiceField(
        label=_("Områden"),
        required=False,
        choices=ViolenceArea.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.CharField(
        label=_("Målgrupper"), required=False, max_length=500, help_text=NO_PERSONAL_DATA
    )
    partners = forms.CharField(
        label=_("Samverkanspartner"), required=False, max_length=500, help_text=NO_PERSONAL_DATA
    )
    status = forms.ChoiceField(label=_("Status"), choices=ReportedActivity.Status.choices)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, goals: list[Any], **kwargs: Any) -> None:
        """``goals``: the plan's goals from ``selectors.plan_outline`` (delmål grouped by goal)."""
        super().__init__(*args, **kwargs)
        choice_field(self, "sub_goals").choices = [
            (
                f"{_('Mål')} {g.number} – {g.title}",
                [(sg.pk, str(sg)) for sg in g.outline_sub_goals],
            )
            for g in goals
            if g.outline_sub_goals
        ]


class ReturnForm(NoControlCharactersMixin, forms.Form):
    comment = forms.CharField(
        label=_("Kommentar till aktören: vad behöver kompletteras?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtendDeadlineForm(NoControlCharactersMixin, forms.Form):
    new_deadline = forms.DateField(
        label=_("Förlängd svarstid till"), required=False, widget=DATE_WIDGET
    )
