"""The report editor form: the coordinator's texts, one analysis per goal, highlighted activities.

The form validates input only; ``views.report_edit`` hands ``cleaned_data`` to
``services.report_update``.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.models import StatusReport
from followup.personal_data import validate_no_personal_data
from followup.reports.guards import TEXT_FIELDS
from kvinnofrid.accounts.models import Membership
from kvinnofrid.core.forms import NoControlCharactersMixin, validate_no_control_characters


@dataclass(frozen=True)
class Person:
    """Someone who may sign the report: a person with a membership in the county."""

    key: str
    name: str
    title: str
    organisation: str

    @property
    def line(self) -> str:
        """The person as a line of the signatures field: name, title, organisation."""
        return f"{self.name}, {self.title}, {self.organisation}"


def county_people(*, county_id: int) -> list[Person]:
    """The active people with a membership at an organisation of the county, one per person and
    organisation (the membership with a title first), by organisation and name. One query."""
    people: dict[tuple[int, int], Person] = {}
    for m in (
        Membership.objects.filter(organisation__county_id=county_id, user__is_active=True)
        .select_related("user", "organisation")
        .only("title", "user__full_name", "user__email", "organisation__name")
        .order_by("organisation__name", "user__full_name", "-title", "id")
    ):
        people.setdefault(
            (m.user_id, m.organisation_id),
            Person(
                key=f"{m.user_id}-{m.organisation_id}",
                name=m.user.full_name or m.user.email,
                title=m.title,
                organisation=m.organisation.name,
            ),
        )
    return list(people.values())


class StatusReportEditForm(NoControlCharactersMixin, forms.ModelForm[StatusReport]):
    """Texts of the report plus dynamic ``analysis_<goal id>`` and, per goal an activity serves,
    ``highlight_<goal id>_<activity id>`` and ``position_<goal id>_<activity id>`` fields built
    from ``goals`` (plain data from the view)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = StatusReport
        fields = list(TEXT_FIELDS)
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 6}),
            "method_text": forms.Textarea(attrs={"rows": 5}),
            "usage_text": forms.Textarea(attrs={"rows": 5}),
            "resources_text": forms.Textarea(attrs={"rows": 6}),
            "strategy_work_text": forms.Textarea(attrs={"rows": 6}),
            "closing_words": forms.Textarea(attrs={"rows": 6}),
            "signatures": forms.Textarea(attrs={"rows": 4}),
            "signed_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "signatures": _("En underskrift per rad: namn, titel, organisation."),
            "introduction": _(
                "Visas efter den genererade texten om planens period, vision och målgrupper."
            ),
            "method_text": _(
                "Meningen om hur många aktörer som svarat och svarstabellen läggs till automatiskt."
            ),
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        # The hidden version field has no place to show an error: say it above the form.
        if "lock_version" in self.errors:
            del self.errors["lock_version"]
            self.add_error(
                None,
                _(
                    "Formuläret saknar uppgift om vilken version du redigerar. Det du skrev finns "
                    "kvar nedan; spara igen."
                ),
            )
        return data

    def __init__(
        self,
        *args: Any,
        goals: list[dict[str, Any]],
        people: list[Person] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.goals = goals
        self.people = people or []
        if self.people:
            self._add_signatories()
        # The report is published: no text of it may hold personnummer, phone numbers or
        # e-mail addresses (the analyses below get the same validator).
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(validate_no_personal_data)
        for goal in goals:
            self.fields[f"analysis_{goal['id']}"] = forms.CharField(
                label=_("Analys och förbättringsområden – mål %(n)s") % {"n": goal["number"]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 6}),
                initial=goal["analysis"],
                validators=[validate_no_control_characters, validate_no_personal_data],
            )
            for act in goal["activities"]:
                key = f"{goal['id']}_{act['id']}"
                self.fields[f"highlight_{key}"] = forms.BooleanField(
                    label=_("Lyft fram under mål %(n)s: %(org)s – %(title)s")
                    % {"n": goal["number"], "org": act["organisation"], "title": act["title"]},
                    required=False,
                    initial=act["highlighted"],
                )
                self.fields[f"position_{key}"] = forms.IntegerField(
                    label=_("Ordning för %(title)s") % {"title": act["title"]},
                    required=False,
                    min_value=1,
                    max_value=9999,
                    initial=act["position"] or None,
                )

    def _add_signatories(self) -> None:
        """Signatories picked among the county's people; the free-text field keeps the lines
        that are not one of them (a fallback for anyone else)."""
        lines = [line.strip() for line in (self.instance.signatures or "").splitlines()]
        chosen = [p.key for p in self.people if p.line in lines]
        known = {p.line for p in self.people}
        self.fields["signatories"] = forms.MultipleChoiceField(
            label=_("Underskrifter"),
            help_text=_(
                "Välj bland personerna med ett konto i länet: namn, titel, organisation. "
                "Titlarna anges på sidan Personer."
            ),
            required=False,
            choices=[(p.key, p.line.replace(", , ", ", ")) for p in self.people],
            widget=forms.CheckboxSelectMultiple,
            initial=chosen,
        )
        self.fields["signatures"].label = _("Andra underskrifter")
        self.fields["signatures"].help_text = _(
            "För den som inte finns i listan: en underskrift per rad, namn, titel, organisation."
        )
        if not self.is_bound:
            self.initial["signatures"] = "\n".join(line for line in lines if line not in known)

    def goal_blocks(self) -> list[dict[str, Any]]:
        """Bound fields grouped per goal, for the template."""
        blocks = []
        for goal in self.goals:
            blocks.append(
                {
                    "goal": goal,
                    "analysis": self[f"analysis_{goal['id']}"],
                    "activities": [
                        {
                            "activity": act,
                            "highlight": self[f"highlight_{goal['id']}_{act['id']}"],
                            "position": self[f"position_{goal['id']}_{act['id']}"],
                        }
                        for act in goal["activities"]
                    ],
                }
            )
        return blocks

    def service_arguments(self) -> dict[str, Any]:
        """``fields``, ``analyses`` and ``highlights`` for ``report_update``."""
        data = self.cleaned_data
        fields = {name: data[name] for name in TEXT_FIELDS}
        if self.people:
            signatories = set(data.get("signatories") or [])
            lines = [p.line for p in self.people if p.key in signatories]
            lines += [line for line in (data["signatures"] or "").splitlines() if line.strip()]
            fields["signatures"] = "\n".join(lines)
        analyses = {goal["id"]: data.get(f"analysis_{goal['id']}", "") for goal in self.goals}
        # activity id → {goal id → position}; an empty mapping is "highlighted nowhere"
        highlights: dict[int, dict[int, int]] = {}
        for goal in self.goals:
            for i, act in enumerate(goal["activities"], start=1):
                key = f"{goal['id']}_{act['id']}"
                under = highlights.setdefault(act["id"], {})
                if data.get(f"highlight_{key}"):
                    under[goal["id"]] = data.get(f"position_{key}") or (1000 + i)
        return {"fields": fields, "analyses": analyses, "highlights": highlights}
