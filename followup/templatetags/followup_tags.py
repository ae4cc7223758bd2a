"""Template tags of the follow-up: the county start page's round panel, the actor form's fields."""

import html
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from followup import permissions, selectors
from kvinnofrid.core import fragments
from kvinnofrid.core.templatetags.richtext import rich_text

register = template.Library()


@register.simple_tag(takes_context=True)
def followup_panel(context: dict[str, Any], county: Any) -> SafeString:
    """The county's current round and its response figures: a cached fragment keyed by the
    county's version and the viewer's two flags; on a miss, one query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    may_view = permissions.can_view_county_overviews(user, county.pk)
    may_create = permissions.can_edit_county(user, county.pk)

    def panel_context() -> dict[str, Any]:
        current = selectors.county_current_round(county_id=county.pk)
        round_, responses = current if current is not None else (None, None)
        may_view_round = bool(round_ and may_view)
        return {
            "round": round_,
            "summary": responses if may_view_round else None,
            "may_view": may_view_round,
            "may_create": may_create,
        }

    return fragments.cached_fragment(
        template="followup/_panel.html",
        county_id=county.pk,
        flags=(may_view, may_create),
        context=panel_context,
    )


def _described_by(field: Any, field_id: str) -> str:
    ids = [f"{field_id}_helptext"] if field.help_text else []
    ids += [f"{field_id}_error_{i}" for i in range(1, len(field.errors) + 1)]
    return " ".join(ids)


def _e(value: Any) -> str:
    """Escaped text for markup (what Django's ``escape`` does, without its lazy-string check,
    which cost more than the escaping itself at ~15 values per field)."""
    return html.escape(str(value))


@register.simple_tag
def answer_field(field: Any, required: bool = False) -> SafeString:
    """One field of the actor's form: label (a legend for yes/partly/no), widget, errors and help
    text. Written out here rather than through Django's widget templates (one template per radio
    option, several per field): every reporter opens this page and it can hold dozens of fields.
    Every value put into the markup goes through ``_e``; tests/followup/test_answer_field.py
    checks the escaping. followup.forms.SubmissionForm makes only these three kinds of field.

    ``required`` marks a question that must be answered before submitting (drafts may leave it
    empty, so the form field itself is not required): the label says "(obligatorisk)" and the
    widget carries ``aria-required="true"`` (a radio group as a ``radiogroup``)."""
    field_id = _e(field.auto_id)
    name = _e(field.html_name)
    value = field.value()
    errors = field.errors
    invalid = " is-invalid" if errors else ""
    described = _described_by(field, field_id)
    described_by = f' aria-describedby="{described}"' if described else ""
    aria = f'{described_by} aria-invalid="true"' if errors else described_by
    kind = field.widget_type
    label_text = _e(field.label)
    if required:
        label_text += f' <span class="required-note">{_e(gettext("(obligatorisk)"))}</span>'
        aria += ' aria-required="true"'
    if kind == "radioselect":
        checked = str(value)
        options = "".join(
            f'<div class="form-check form-check-inline"><input type="radio" name="{name}" '
            f'value="{_e(choice)}" id="{field_id}_{i}" class="form-check-input{invalid}"'
            f'{" checked" if checked == str(choice) else ""}><label class="form-check-label" '
            f'for="{field_id}_{i}">{_e(label)}</label></div>'
            for i, (choice, label) in enumerate(field.field.choices)
        )
        group = ' role="radiogroup" aria-required="true"' if required else ""
        widget = (
            f'<fieldset{group}{described_by}><legend class="form-label fs-6">{label_text}'
            f"</legend>{options}</fieldset>"
        )
    else:
        label = f'<label for="{field_id}" class="form-label">{label_text}</label>'
        if kind == "textarea":
            rows = _e(field.field.widget.attrs.get("rows", 4))
            text = "" if value is None else _e(value)
            widget = (
                f'{label}<textarea name="{name}" id="{field_id}" rows="{rows}" cols="40" '
                f'class="form-control{invalid}"{aria}>\n{text}</textarea>'
            )
        else:
            # str(), not the template's localisation: <input type=number> wants a decimal point
            shown = "" if value in (None, "") else f' value="{_e(value)}"'
            widget = (
                f'{label}<input type="number" name="{name}" id="{field_id}" step="0.01" '
                f'class="form-control{invalid}"{shown}{aria}>'
            )
    error_html = "".join(
        f'<div id="{field_id}_error_{i}" class="invalid-feedback d-block">'
        f"<strong>{_e(error)}</strong></div>"
        for i, error in enumerate(errors, start=1)
    )
    help_text = (
        f'<div id="{field_id}_helptext" class="form-text">{_e(field.help_text)}</div>'
        if field.help_text
        else ""
    )
    return mark_safe(  # noqa: S308 - every value above is escaped by _e
        f'<div id="div_{field_id}" class="mb-3">{widget}{error_html}{help_text}</div>'
    )


@register.simple_tag
def answer_fields(question_fields: list[tuple[Any, Any]]) -> SafeString:
    """The questions' fields, each as ``answer_field`` writes it (required as the question
    says), on the lines the template's loop put them."""
    return mark_safe(  # noqa: S308 - answer_field escapes every value
        "".join(
            f"\n      {answer_field(field, required=q.required)}\n    "
            for q, field in question_fields
        )
    )


@register.simple_tag
def indicator_fieldsets(indicator_fields: list[tuple[Any, Any, Any]]) -> SafeString:
    """A fieldset per indicator: its name, the value's field and the note's."""
    return mark_safe(  # noqa: S308 - the name goes through _e, answer_field escapes the rest
        "".join(
            f'\n      <fieldset class="mb-3 border rounded p-2"><legend class="h6">'
            f"{_e(ind.name)}</legend>{answer_field(value)}{answer_field(note)}</fieldset>\n    "
            for ind, value, note in indicator_fields
        )
    )


@register.simple_tag
def sub_goal_items(sub_goals: list[Any]) -> SafeString:
    """A ``<li>`` per delmål of the plan's outline: the code in bold (if any), then the text."""
    return mark_safe(  # noqa: S308 - every value goes through _e
        "".join(
            f"<li>{f'<strong>{_e(sg.code)}</strong> ' if sg.code else ''}{_e(sg.text)}</li>"
            for sg in sub_goals
        )
    )


@register.simple_tag(takes_context=True)
def plan_goal_details(context: template.Context, goals: list[Any]) -> SafeString:
    """A ``<details>`` per goal of the plan's outline (the first open): "Mål N – title", the
    description as rich text (its footnotes numbered on from the page's other rich texts), the
    delmål; or the sentence that the plan has none."""
    if not goals:
        return mark_safe(f"<p>{_e(gettext('Planen har inga mål ännu.'))}</p>\n  ")  # noqa: S308 - escaped
    goal_label = _e(gettext("Mål"))
    parts = []
    for i, goal in enumerate(goals):
        description = (
            '<div class="rich-text small mb-2">'
            f"{rich_text(context, goal.description, 'mal', goal.number)}</div>"
            if goal.description
            else ""
        )
        parts.append(
            f'\n  <details class="mb-2"{" open" if i == 0 else ""}>\n    <summary><strong>'
            f"{goal_label} {_e(goal.number)} – {_e(goal.title)}</strong></summary>\n    "
            f"{description}\n    <ul>{sub_goal_items(goal.outline_sub_goals)}</ul>\n  </details>\n  "
        )
    # every value goes through _e; rich_text is nh3's allow-list (kvinnofrid.core.richtext)
    return mark_safe("".join(parts))  # noqa: S308
