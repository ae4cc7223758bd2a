"""The county start page's agreements and plans, read with written-out queries: every miss of
the page reads them, and the ORM's compilation cost more than the queries (the plans' default
order joins the county). They give the rows the ORM's ``only()`` gave, with the same columns
loaded and the rest deferred; tests/actionplans/test_start_readers.py checks them against it."""

import functools
from typing import Any

from django.db import connection

from actionplans.models import ActionPlan
from agreements.models import Agreement
from kvinnofrid.core.sql import table

_AGREEMENT = ("id", "county_id", "title", "signed_on", "valid_from", "valid_until")
_PLAN = (
    "id", "county_id", "supersedes_id", "title", "status", "version", "period_start",
    "period_end",
)  # fmt: skip


@functools.cache
def _fields(model: Any, shown: tuple[str, ...]) -> list[str]:
    """``shown`` in the model's field order (``from_db`` reads the values so)."""
    return [f.attname for f in model._meta.concrete_fields if f.attname in shown]


@functools.cache
def _sql(model: Any, shown: tuple[str, ...], order: str) -> str:
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in _fields(model, shown))
    return f"SELECT {columns} FROM {table(model)} WHERE county_id = %s ORDER BY {order}"  # noqa: S608 - names from model metadata, values are parameters


def _rows(model: Any, shown: tuple[str, ...], order: str, county_id: int) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(_sql(model, shown, order), [county_id])
        rows = cursor.fetchall()
    fields, alias = _fields(model, shown), connection.alias
    return [model.from_db(alias, fields, row) for row in rows]


def county_agreements(*, county_id: int) -> list[Agreement]:
    """The county's agreements, newest first, with what the page and the expiry warnings read
    (as ``.order_by("-valid_from", "-id").only(...)``)."""
    return _rows(Agreement, _AGREEMENT, "valid_from DESC, id DESC", county_id)


def county_plans(*, county_id: int) -> list[ActionPlan]:
    """The county's plans in the model's order (its county's code is the same for all), with
    what the page, the revision drafts and the expiry warnings read."""
    return _rows(ActionPlan, _PLAN, "period_start DESC, version DESC", county_id)
