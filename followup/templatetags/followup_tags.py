"""Template tags of the follow-up: the county start page's round panel, the actor form's fields."""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from actionplans import fragments
from followup import permissions, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def followup_panel(context: dict[str, Any], county: Any) -> SafeString:
    """The county's current round and its response figures: a cached fragment keyed by the
    county's round fingerprint (one query) and the viewer's two flags; on a miss, three or
    four queries."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may_view = permissions.can_view_county_overviews(user, county.pk)
    may_create = permissions.can_edit_county(user, county.pk)

    def panel_context() -> dict[str, Any]:
        round_ = selectors.county_current_round(county_id=county.pk)
        may_view_round = bool(round_ and may_view)
        return {
            "round": round_,
            "summary": selectors.round_summary(round_id=round_.pk) if may_view_round else None,
            "may_view": may_view_round,
            "may_create": may_create,
        }

    return fragments.cached_fragment(
        templates=("followup/_panel.html",),
        version=(selectors.county_panel_version(county_id=county.pk), may_view, may_create),
        context=panel_context,
    )


def _described_by(field: Any, field_id: str) -> str:
    ids = [f"{field_id}_helptext"] if field.help_text else []
    ids += [f"{field_id}_error_{i}" for i in range(1, len(field.errors) + 1)]
    return " ".join(ids)


@register.simple_tag
def answer_field(field: Any) -> SafeString:
    """One field of the actor's form: label (a legend for yes/partly/no), widget, errors and help
    text. Written out here rather than through Django's widget templates (one template per radio
    option, several per field): every reporter opens this page and it can hold dozens of fields.
    followup.forms.SubmissionForm makes only these three kinds of field."""
    field_id = field.auto_id
    value = field.value()
    invalid = " is-invalid" if field.errors else ""
    described = _described_by(field, field_id)
    described_by = format_html(' aria-describedby="{}"', described) if described else ""
    aria = format_html('{} aria-invalid="true"', described_by) if field.errors else described_by
    kind = field.widget_type
    if kind == "radioselect":
        options = format_html_join(
            "",
            '<div class="form-check form-check-inline"><input type="radio" name="{}" value="{}" '
            'id="{}_{}" class="form-check-input{}"{}><label class="form-check-label" '
            'for="{}_{}">{}</label></div>',
            (
                (
                    field.html_name,
                    choice,
                    field_id,
                    i,
                    invalid,
                    " checked" if str(value) == str(choice) else "",
                    field_id,
                    i,
                    label,
                )
                for i, (choice, label) in enumerate(field.field.choices)
            ),
        )
        widget = format_html(
            '<fieldset{}><legend class="form-label fs-6">{}</legend>{}</fieldset>',
            described_by,
            field.label,
            options,
        )
    else:
        label = format_html('<label for="{}" class="form-label">{}</label>', field_id, field.label)
        if kind == "textarea":
            rows = field.field.widget.attrs.get("rows", 4)
            widget = format_html(
                '{}<textarea name="{}" id="{}" rows="{}" cols="40" class="form-control{}"{}>\n'
                "{}</textarea>",
                label,
                field.html_name,
                field_id,
                rows,
                invalid,
                aria,
                "" if value is None else value,
            )
        else:
            # str(), not the template's localisation: <input type=number> wants a decimal point
            shown = "" if value in (None, "") else format_html(' value="{}"', str(value))
            widget = format_html(
                '{}<input type="number" name="{}" id="{}" step="0.01" class="form-control{}"{}{}>',
                label,
                field.html_name,
                field_id,
                invalid,
                shown,
                aria,
            )
    errors = format_html_join(
        "",
        '<div id="{}_error_{}" class="invalid-feedback d-block"><strong>{}</strong></div>',
        ((field_id, i, error) for i, error in enumerate(field.errors, start=1)),
    )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}</div>', field_id, widget, errors, help_text
    )
