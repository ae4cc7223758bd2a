"""Helpers shared by the follow-up pages."""

from typing import Any

from django.http import HttpRequest


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _version(form: Any) -> int | None:
    value = form.cleaned_data.get("lock_version") if hasattr(form, "cleaned_data") else None
    return value if value is not None else None
