"""Forms for the county's directory of actors: validate input only (services write)."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from kvinnofrid.core.forms import NoControlCharactersForm, choice_field
from kvinnofrid.directory.actor_import import MAX_FILE_BYTES
from kvinnofrid.directory.logo import MAX_BYTES as LOGO_MAX_BYTES
from kvinnofrid.directory.models import County, Municipality, OrganisationKind
from kvinnofrid.directory.validation import check_organisation_fields


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _NoTag:
    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        return helper


class OrganisationForm(_NoTag, NoControlCharactersForm):
    """An organisation of ``county``; the municipality is picked from the county's own."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ av aktör"), choices=OrganisationKind.choices)
    municipality_code = forms.ChoiceField(
        label=_("Kommun"),
        required=False,
        help_text=_("Fyll i för kommunen själv (kommunkod enligt SCB)."),
    )
    organisation_number = forms.CharField(
        label=_("Organisationsnummer"),
        required=False,
        max_length=20,
        help_text=_("Tio siffror, till exempel 212000-0142."),
    )
    email = forms.EmailField(
        label=_("Funktionsadress (e-post)"),
        required=False,
        help_text=_("Organisationens gemensamma adress, dit inbjudan till yttrandet skickas."),
    )
    active_from = forms.DateField(label=_("Aktiv från"), required=False, widget=_date_widget())
    active_until = forms.DateField(
        label=_("Aktiv till"),
        required=False,
        widget=_date_widget(),
        help_text=_(
            "Ange ett datum när aktören upphör eller går samman med en annan. Aktören tas "
            "aldrig bort, så tidigare yttranden finns kvar."
        ),
    )

    def __init__(self, *args: Any, county: County, exclude_pk: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.county = county
        self.exclude_pk = exclude_pk
        choice_field(self, "municipality_code").choices = [("", _("– ingen –"))] + [
            (m.code, f"{m.code} {m.name}")
            for m in Municipality.objects.filter(county=county).order_by("name")
        ]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.helper = self._helper()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean returns (typed there as possibly None)
        if self.errors:
            return data
        cleaned, errors = check_organisation_fields(
            county=self.county, data=data, exclude_pk=self.exclude_pk
        )
        for field, message in errors.items():
            self.add_error(field, message)
        data.update(cleaned)
        start, end = data.get("active_from"), data.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", _("Aktiv till kan inte vara före aktiv från."))
        return data


class ActorImportForm(_NoTag, forms.Form):
    file = forms.FileField(
        label=_("Fil (CSV eller XLSX)"),
        help_text=_(
            "Första raden: name, kind, municipality_code, organisation_number, email. "
            "Högst 2 MB och 2 000 rader."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
        self.helper = self._helper()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Filen är för stor (högst 2 MB)."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Välj en CSV- eller XLSX-fil."))
        return upload


class CountyLogoForm(_NoTag, forms.Form):
    """The county's logo file; ``services.county_logo_set`` checks its content."""

    file = forms.FileField(
        label=_("Logotyp (SVG eller PNG)"),
        help_text=_(
            "Visas på lägesrapportens försättsblad. SVG eller PNG, högst 2 MB (SVG högst 512 kB) "
            "och 4 000 × 4 000 bildpunkter. SVG-filer får inte innehålla skript eller "
            "hänvisningar till andra filer."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".svg,.png,image/svg+xml,image/png"
        self.helper = self._helper()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Logotypen får vara högst 2 MB."))
        return upload
