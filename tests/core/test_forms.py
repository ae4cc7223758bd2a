"""The shared control-character validator."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from kvinnofrid.core.forms import NoControlCharactersMixin, clean_text, has_control_characters


class SampleForm(NoControlCharactersMixin, forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea, required=False)
    count = forms.IntegerField(required=False)


@pytest.mark.parametrize("value", ["a\x00b", "\x07", "x\x1by", "\x7f", "a\x85b", "\ud800"])
def test_control_characters_are_refused_with_a_swedish_message(value):
    form = SampleForm(data={"title": "ok", "body": value})
    assert not form.is_valid()
    assert "styrtecken" in str(form.errors["body"])


@pytest.mark.parametrize("value", ["Rad ett\r\nRad två\tmed tabb", "åäö ÅÄÖ é – “”", "<script>"])
def test_ordinary_text_passes(value):
    form = SampleForm(data={"title": "ok", "body": value})
    assert form.is_valid(), form.errors


def test_clean_text_helper():
    assert clean_text("hej") == "hej"
    assert has_control_characters("a\x00")
    with pytest.raises(ValidationError):
        clean_text("a\x00")


def test_huge_ids_and_numbers_are_refused_not_crashing(db):
    from kvinnofrid.directory.models import County

    class ChoiceForm(NoControlCharactersMixin, forms.Form):
        county = forms.ModelChoiceField(queryset=County.objects.all())
        counties = forms.ModelMultipleChoiceField(queryset=County.objects.all(), required=False)
        number = forms.IntegerField(required=False)

    form = ChoiceForm(data={"county": "9" * 40, "counties": ["9" * 40], "number": "9" * 40})
    assert not form.is_valid()
    assert set(form.errors) == {"county", "counties", "number"}
    assert "giltigt alternativ" in str(form.errors["county"])
    valid = ChoiceForm(data={"county": County.objects.first().pk, "number": "12"})
    assert valid.is_valid(), valid.errors
