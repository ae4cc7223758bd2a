"""The rules an organisation's fields must meet, shared by the form, the import and services.

Each check returns ``{field: Swedish message}`` instead of raising, so a bulk import can name
every bad field of every row at once.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.se import orgnr

from kvinnofrid.core.forms import has_control_characters
from kvinnofrid.directory.models import County, Municipality, Organisation, OrganisationKind

FIELDS = ("name", "kind", "municipality_code", "organisation_number", "email")
NAME_MAX = Organisation._meta.get_field("name").max_length or 200
EMAIL_MAX = Organisation._meta.get_field("email").max_length or 254


def normalise_organisation_number(value: str) -> str:
    """``value`` as ``NNNNNN-NNNN`` if it is a valid Swedish organisationsnummer (format and
    check digit, python-stdnum's ``se.orgnr``); "" stays "". Raises ``ValidationError``."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return orgnr.format(orgnr.validate(value))
    except StdnumError:
        raise ValidationError(
            _(
                "Organisationsnumret %(value)s är inte giltigt (tio siffror med rätt "
                "kontrollsiffra, till exempel 212000-0142)."
            )
            % {"value": value[:20]},
            code="organisation_number",
        ) from None


def kind_values() -> str:
    return ", ".join(OrganisationKind.values)


def _name_error(county: County, name: str, exclude_pk: int | None) -> str | None:
    """Why ``name`` cannot be an organisation of the county (missing, too long, taken)."""
    if not name:
        return _("Namn saknas.")
    if len(name) > NAME_MAX:
        return _("Namnet är längre än %(max)d tecken.") % {"max": NAME_MAX}
    taken = Organisation.objects.filter(county=county, name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return _("Det finns redan en aktör med namnet %(name)s i länet.") % {"name": name}
    return None


def _municipality_error(county: County, code: str, exclude_pk: int | None) -> str | None:
    """Why ``code`` cannot be the organisation's municipality (unknown, another county's, taken)."""
    municipality = Municipality.objects.filter(code=code).select_related("county").first()
    if municipality is None:
        return _("Kommunkoden %(code)s finns inte.") % {"code": code[:10]}
    if municipality.county_id != county.pk:
        return _("Kommunkoden %(code)s (%(name)s) hör till %(county)s, inte %(this)s.") % {
            "code": code,
            "name": municipality.name,
            "county": municipality.county.name,
            "this": county.name,
        }
    holders = Organisation.objects.filter(municipality_code=code)
    if exclude_pk is not None:
        holders = holders.exclude(pk=exclude_pk)
    holder = holders.first()
    if holder is not None:
        return _("Kommunkoden %(code)s används redan av %(name)s.") % {
            "code": code,
            "name": holder.name,
        }
    return None


def check_organisation_fields(
    *, county: County, data: dict[str, Any], exclude_pk: int | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean one organisation's fields for ``county``.

    Returns (cleaned values, {field: message}). Checks: no control characters; a name (unique
    in the county); a kind among ``OrganisationKind``; a municipality code of a municipality in
    the same county and not already held by another organisation; a valid organisationsnummer;
    a valid e-mail address. ``exclude_pk`` is the organisation being edited.
    """
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for field in FIELDS:
        raw = data.get(field)
        value = "" if raw is None else str(raw).strip()
        if has_control_characters(value):
            errors[field] = _("Fältet innehåller otillåtna tecken (styrtecken).")
        cleaned[field] = value

    if "name" not in errors:
        message = _name_error(county, cleaned["name"], exclude_pk)
        if message:
            errors["name"] = message

    kind = cleaned["kind"]
    if "kind" not in errors and kind not in OrganisationKind.values:
        errors["kind"] = _("Okänd typ av aktör %(value)s. Tillåtna värden: %(values)s.") % {
            "value": kind[:40],
            "values": kind_values(),
        }

    code = cleaned["municipality_code"]
    if "municipality_code" not in errors and code:
        message = _municipality_error(county, code, exclude_pk)
        if message:
            errors["municipality_code"] = message

    if "organisation_number" not in errors:
        try:
            cleaned["organisation_number"] = normalise_organisation_number(
                cleaned["organisation_number"]
            )
        except ValidationError as exc:
            errors["organisation_number"] = exc.messages[0]

    email = cleaned["email"]
    if "email" not in errors and email:
        try:
            if len(email) > EMAIL_MAX:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors["email"] = _("E-postadressen %(value)s är inte giltig.") % {"value": email[:80]}
        else:
            cleaned["email"] = email.lower()
    return cleaned, errors


def duplicates(values: Iterable[str]) -> set[str]:
    """The non-empty values that occur more than once (case-insensitive)."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for value in values:
        key = value.casefold()
        if not key:
            continue
        if key in seen:
            repeated.add(key)
        seen.add(key)
    return repeated
