"""Reusable form pieces that turn hostile input into a Swedish message instead of a 500.

PostgreSQL refuses NUL characters in text, and a number too large for the column (or a
model-choice id like ``99999999999999999999``) raises OverflowError/DataError deep in the
database layer. Three ways to guard against that, pick one:

* ``class MyForm(NoControlCharactersMixin, forms.ModelForm)`` (or ``LockVersionFormMixin`` /
  ``CrispyNoTagMixin``, which include it) —
  every ``CharField`` (and subclass) of the form rejects control characters with a Swedish
  message on the field; integer fields without limits get the 32-bit range; model-choice fields
  refuse ids outside the 64-bit range as an invalid choice instead of crashing.
* ``forms.CharField(validators=[validate_no_control_characters])`` for a single field.
* ``clean_text(value)`` in a ``clean_<field>`` or in a service, which raises ``ValidationError``.

Tab, line feed and carriage return are allowed in textareas; one-line fields (titles, names)
refuse line breaks too. Everything else below U+0020, DEL and the C1 range U+0080–U+009F are
refused, as are unpaired surrogates.
"""

import re
from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kvinnofrid.core.parsing import INT32_MAX, parse_id

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CONTROL_CHARACTER_MESSAGE = _(
    "Texten innehåller otillåtna tecken (styrtecken). Ta bort dem och försök igen."
)


def validate_no_control_characters(value: Any) -> None:
    """Field validator: raise ``ValidationError`` if ``value`` holds a control character."""
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_characters")


def clean_text(value: Any) -> Any:
    """Return ``value`` unchanged if it is safe text; raise ``ValidationError`` otherwise."""
    validate_no_control_characters(value)
    return value


LINE_BREAKS = re.compile(r"[\r\n\x85\u2028\u2029]")
LINE_BREAK_MESSAGE = _("Skriv texten på en rad, utan radbrytningar.")


def validate_single_line(value: Any) -> None:
    """Field validator for one-line fields (titles, names): no line breaks, which would also
    break an e-mail subject built from the value."""
    if isinstance(value, str) and LINE_BREAKS.search(value):
        raise ValidationError(LINE_BREAK_MESSAGE, code="line_break")


def has_control_characters(value: Any) -> bool:
    """True if ``value`` is a string with a character the database or the PDF would choke on."""
    return isinstance(value, str) and bool(CONTROL_CHARACTERS.search(value))


INT32_MIN = -(2**31)


def _refuse_out_of_range_ids(value: Any) -> None:
    """Raise the field's "invalid choice" error for an id no database column can hold."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if item in (None, "") or hasattr(item, "pk"):
            continue
        if parse_id(item) is None:
            raise ValidationError(
                _("Välj ett giltigt alternativ. Det valda alternativet finns inte."),
                code="invalid_choice",
            )


class SafeModelChoiceField(forms.ModelChoiceField[models.Model]):
    """A model choice that refuses ids that are not plain integers within range (no 500)."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _refuse_out_of_range_ids(value)
        return super().to_python(value)


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField[models.Model]):
    """Several model choices, each refused like :class:`SafeModelChoiceField`'s."""

    def _check_values(self, value: Any) -> Any:
        _refuse_out_of_range_ids(list(value))
        # django-stubs does not declare this private hook of ModelMultipleChoiceField.
        return super()._check_values(value)  # type: ignore[misc]


def _guard_model_choice(field: forms.ModelChoiceField[models.Model]) -> None:
    """Make ``field.clean`` refuse ids no database column can hold (instead of a 500)."""
    original = field.clean

    def clean(value: Any) -> Any:
        if value not in field.empty_values:
            _refuse_out_of_range_ids(value)
        return original(value)

    # Replacing a bound method on one field instance is deliberate; mypy forbids it in general.
    field.clean = clean  # type: ignore[method-assign]


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[models.Model]:
    """The form's model-choice field ``name``, typed so its ``queryset`` can be narrowed."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model-choice field")
    return field


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's choice field ``name``, typed so its ``choices`` can be set."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def harden_fields(form_fields: dict[str, forms.Field]) -> None:
    """Apply the guards of :class:`NoControlCharactersMixin` to a form's ``fields`` dict."""
    for field in form_fields.values():
        if (
            isinstance(field, forms.CharField)
            and validate_no_control_characters not in field.validators
        ):
            field.validators.append(validate_no_control_characters)
            if not isinstance(field.widget, forms.Textarea | forms.HiddenInput):
                field.validators.append(validate_single_line)
        elif isinstance(field, forms.IntegerField) and not getattr(field, "_kf_ranged", False):
            if field.max_value is None:
                field.validators.append(MaxValueValidator(INT32_MAX))
            if field.min_value is None:
                field.validators.append(MinValueValidator(INT32_MIN))
            # A marker on the field (copied with it into each form instance); Field has no slot.
            field._kf_ranged = True  # type: ignore[attr-defined]
        elif (
            isinstance(field, forms.ModelChoiceField)
            and not isinstance(field, SafeModelChoiceField | SafeModelMultipleChoiceField)
            and not getattr(field, "_kf_guarded", False)
        ):
            _guard_model_choice(field)
            # The same kind of marker as ``_kf_ranged`` above.
            field._kf_guarded = True  # type: ignore[attr-defined]


class NoControlCharactersMixin:
    """Guard every field of the form against input that would crash the database layer.

    Text fields refuse control characters, integer fields without limits get the 32-bit range,
    model-choice fields refuse out-of-range ids — each with a Swedish message on the field.
    Put it first in the bases: ``class PlanForm(NoControlCharactersMixin, forms.ModelForm)``.
    Also applies to the fields of formset forms built from the class.
    """

    fields: dict[str, forms.Field]  # provided by the form class this is mixed into

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden_fields(self.fields)


class NoControlCharactersForm(NoControlCharactersMixin, forms.Form):
    """Base class for plain forms: every field guarded."""


class CrispyNoTagMixin(NoControlCharactersMixin):
    """Crispy renders the fields only; the template writes the <form> tag and buttons."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class LockVersionFormMixin(CrispyNoTagMixin, forms.Form):
    """Carries the ``lock_version`` the form was rendered with (hidden), and guards every field.

    Every edit form of agreements and plans builds on it, so each of them refuses control
    characters, out-of-range numbers and ids with a Swedish message on the field.
    """

    lock_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=INT32_MAX
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is not None:
            # Editing an existing row: the version seen is mandatory, so no save skips the check.
            self.fields["lock_version"].required = True
            if not self.is_bound:
                self.initial.setdefault("lock_version", getattr(instance, "lock_version", 0))


class ConfirmForm(LockVersionFormMixin):
    """A confirmation (delete, adopt, new version) that still carries the version seen."""


DIRECTION_CHOICES = [("up", _("Upp")), ("down", _("Ned"))]


class MoveForm(NoControlCharactersMixin, forms.Form):
    """Move an ordered row one step up or down among its siblings."""

    direction = forms.ChoiceField(choices=DIRECTION_CHOICES)


def date_widget() -> forms.DateInput:
    """An ISO date input the browser shows as a date picker."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
