"""The conflict page shown when a save is refused because someone else saved first (DESIGN §6).

It shows the user's own typed values beside the saved ones and a form pre-filled with the
user's values and the *current* ``lock_version``, so saving again re-applies them knowingly.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _display(field: forms.Field, value: Any) -> str:
    if value in (None, "", []):
        return "–"
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(k): str(v) for k, v in choices if k not in ("", None)}
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(getattr(v, "pk", v)), str(v)) for v in values) or "–"
    if isinstance(field.widget, forms.CheckboxInput):
        return "Ja" if value else "Nej"
    return str(value)


def conflict_response(
    request: HttpRequest,
    *,
    form_class: Callable[..., forms.BaseForm],
    form_kwargs: dict[str, Any],
    current: Any,
    title: str,
    back_url: str,
    lock_version: int | None = None,
) -> HttpResponse:
    """Render the 409 conflict page for a stale POST of ``form_class`` against ``current``.

    ``lock_version`` overrides the version put into the re-apply form (for items guarded by their
    parent's version, e.g. an agreement's parties).
    """
    data = request.POST.copy()
    if lock_version is None:
        lock_version = getattr(current, "lock_version", 0)
    data["lock_version"] = str(lock_version)
    mine = form_class(data=data, **form_kwargs)
    saved = form_class(instance=current, **form_kwargs) if hasattr(form_class, "_meta") else None
    rows = []
    for name, field in mine.fields.items():
        if name == "lock_version":
            continue
        mine_value = mine[name].value()
        saved_value = saved[name].value() if saved is not None else None
        rows.append(
            {
                "label": field.label,
                "mine": _display(field, mine_value),
                "saved": _display(field, saved_value),
                "differs": _display(field, mine_value) != _display(field, saved_value),
            }
        )
    reapply = form_class(data=data, instance=current, **form_kwargs) if saved is not None else mine
    reapply.is_valid()
    return render(
        request,
        "core/conflict.html",
        {
            "title": title,
            "rows": rows,
            "form": reapply,
            "action_url": request.get_full_path(),
            "back_url": back_url,
        },
        status=409,
    )
