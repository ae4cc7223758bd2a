"""Reusable form pieces: reject control characters (PostgreSQL refuses NUL in text) with a message.

Three ways to use it, pick one:

* ``class MyForm(NoControlCharactersMixin, forms.ModelForm)`` — every ``CharField`` (and subclass)
  of the form rejects control characters with a Swedish message on the field.
* ``forms.CharField(validators=[validate_no_control_characters])`` for a single field.
* ``clean_text(value)`` in a ``clean_<field>`` or in a service, which raises ``ValidationError``.

Tab, line feed and carriage return are allowed (textareas need them); everything else below
U+0020, DEL and the C1 range U+0080–U+009F are refused, as are unpaired surrogates.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
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


class NoControlCharactersMixin:
    """Add :func:`validate_no_control_characters` to every text field of the form.

    Put it first in the bases: ``class PlanForm(NoControlCharactersMixin, forms.ModelForm)``.
    Also applies to the fields of formset forms built from the class.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            if (
                isinstance(field, forms.CharField)
                and validate_no_control_characters not in field.validators
            ):
                field.validators.append(validate_no_control_characters)


class NoControlCharactersForm(NoControlCharactersMixin, forms.Form):
    """Base class for plain forms."""


class NoControlCharactersModelForm(NoControlCharactersMixin, forms.ModelForm):
    """Base class for model forms."""
