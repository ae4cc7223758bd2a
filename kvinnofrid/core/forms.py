"""Reusable form pieces that turn hostile input into a Swedish message instead of a 500.

PostgreSQL refuses NUL characters in text, and a number too large for the column (or a
model-choice id like ``99999999999999999999``) raises OverflowError/DataError deep in the
database layer. Three ways to guard against that, pick one:

* ``class MyForm(NoControlCharactersMixin, forms.ModelForm)`` (alias ``SafeInputMixin``) —
  every ``CharField`` (and subclass) of the form rejects control characters with a Swedish
  message on the field; integer fields without limits get the 32-bit range; model-choice fields
  refuse ids outside the 64-bit range as an invalid choice instead of crashing.
* ``forms.CharField(validators=[validate_no_control_characters])`` for a single field.
* ``clean_text(value)`` in a ``clean_<field>`` or in a service, which raises ``ValidationError``.

Tab, line feed and carriage return are allowed (textareas need them); everything else below
U+0020, DEL and the C1 range U+0080–U+009F are refused, as are unpaired surrogates.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

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


def has_control_characters(value: Any) -> bool:
    """True if ``value`` is a string with a character the database or the PDF would choke on."""
    return isinstance(value, str) and bool(CONTROL_CHARACTERS.search(value))


INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1
INT64_MAX = 2**63 - 1


def _out_of_id_range(value: Any) -> bool:
    values = value if isinstance(value, list | tuple) else [value]
    for v in values:
        text = str(v).strip() if v is not None else ""
        if text.lstrip("+-").isdigit() and abs(int(text)) > INT64_MAX:
            return True
    return False


def _guard_model_choice(field: forms.ModelChoiceField) -> None:
    """Make ``field.clean`` refuse ids no database column can hold (instead of OverflowError)."""
    original = field.clean

    def clean(value: Any) -> Any:
        if _out_of_id_range(value):
            raise ValidationError(
                _("Välj ett giltigt alternativ. Det valda alternativet finns inte."),
                code="invalid_choice",
            )
        return original(value)

    field.clean = clean  # type: ignore[method-assign]


def harden_fields(form_fields: dict[str, forms.Field]) -> None:
    """Apply the guards of :class:`NoControlCharactersMixin` to a form's ``fields`` dict."""
    for field in form_fields.values():
        if (
            isinstance(field, forms.CharField)
            and validate_no_control_characters not in field.validators
        ):
            field.validators.append(validate_no_control_characters)
        elif isinstance(field, forms.IntegerField) and not getattr(field, "_kf_ranged", False):
            if field.max_value is None:
                field.validators.append(MaxValueValidator(INT32_MAX))
            if field.min_value is None:
                field.validators.append(MinValueValidator(INT32_MIN))
            field._kf_ranged = True  # type: ignore[attr-defined]
        elif isinstance(field, forms.ModelChoiceField) and not getattr(field, "_kf_guarded", False):
            _guard_model_choice(field)
            field._kf_guarded = True  # type: ignore[attr-defined]


class NoControlCharactersMixin:
    """Guard every field of the form against input that would crash the database layer.

    Text fields refuse control characters, integer fields without limits get the 32-bit range,
    model-choice fields refuse out-of-range ids — each with a Swedish message on the field.
    Put it first in the bases: ``class PlanForm(NoControlCharactersMixin, forms.ModelForm)``.
    Also applies to the fields of formset forms built from the class.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        harden_fields(self.fields)  # type: ignore[attr-defined]


SafeInputMixin = NoControlCharactersMixin


class NoControlCharactersForm(NoControlCharactersMixin, forms.Form):
    """Base class for plain forms."""


class NoControlCharactersModelForm(NoControlCharactersMixin, forms.ModelForm):
    """Base class for model forms."""
