"""Rich report texts in templates.

``{% rich_text value "resurser" %}`` renders a user's Markdown text through
``kvinnofrid.core.richtext`` (the same function the editor's live preview uses). The second
argument prefixes the footnote ids, so several texts on one page never share an id; footnote
numbers run on across all texts rendered into one document (one template render), as the PDF's
page footnotes do. ``heading=4`` starts the text's headings at h4 (a text under an h3).

``{% rich_text_field form.field %}`` is the editor's field: the toolbar, the field itself and
its live preview.
"""

from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kvinnofrid.core.richtext import render_markdown

register = template.Library()

_STATE_KEY = "_rich_text_footnotes"


class _Counter:
    def __init__(self) -> None:
        self.next = 1


def _counter(context: template.Context) -> _Counter:
    # dicts[0] lives as long as the Context object, which every include of one render shares.
    root = context.dicts[0]
    counter = root.get(_STATE_KEY)
    if not isinstance(counter, _Counter):
        counter = root[_STATE_KEY] = _Counter()
    return counter


def labels() -> dict[str, str]:
    return {
        "ref": _("Fotnot %(n)s"),
        "back": _("Tillbaka till fotnot %(n)s i texten"),
        "notes": _("Fotnoter"),
    }


@register.simple_tag(takes_context=True)
def rich_text(
    context: template.Context, value: Any, *prefix: Any, heading: int = 3, inline: bool = False
) -> str:
    """The text as sanitised HTML; an empty value gives an empty string. The positional
    arguments after the value make the footnote id prefix (``"mal" goal.id``); ``inline=True``
    gives phrasing content for a text inside a paragraph."""
    text = "" if value is None else str(value)
    if not text.strip():
        return ""
    counter = _counter(context)
    result = render_markdown(
        text,
        prefix="-".join(str(p) for p in prefix) or "t",
        number_from=counter.next,
        heading=heading,
        labels=labels(),
        inline=inline,
    )
    counter.next += result.footnotes
    # The HTML comes out of the nh3 allow-list in render_markdown.
    return mark_safe(result.html)  # noqa: S308


def preview_html(text: str, field_name: str) -> str:
    """One field's preview, as the editor's preview endpoint renders it: footnote ids prefixed
    with the field's name, headings from h4 for a goal's analysis (under the goal's h3)."""
    heading = 4 if field_name.startswith("analysis_") else 3
    return render_markdown(text, prefix=f"pv-{field_name}", heading=heading, labels=labels()).html


@register.inclusion_tag("core/_rich_text_field.html")
def rich_text_field(field: BoundField, preview_url: str = "") -> dict[str, Any]:
    """Toolbar + field + preview for a report text. ``preview_url`` is the endpoint that renders
    the typed text (POST, CSRF-protected); without it there is no live preview. The preview of
    the text as the page shows it is rendered here, so opening the editor sends no requests."""
    value = field.value()
    initial = preview_html(str(value), field.name) if preview_url and value else ""
    # The HTML comes out of the nh3 allow-list in render_markdown.
    return {"field": field, "preview_url": preview_url, "initial": mark_safe(initial)}  # noqa: S308
