"""The actor's form's submission, with its round, plan and organisation: one written-out query.

Built with the ORM (``Submission.objects.visible_to(user).select_related(...)``), the lookup
every view of the form makes costs more CPU to compile than to run. Written out it reads what
the form shows by primary key, the values converted as the ORM converts them; the view checks
``followup.permissions.can_view_submission`` (the scope's rules in Python).
tests/followup/test_submission_page.py checks it against the ORM's reading."""

import functools
from collections.abc import Callable
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model

from actionplans.models import ActionPlan
from followup.models import FollowUpRound, Submission
from kvinnofrid.core.sql import table
from kvinnofrid.directory.models import Organisation

# every field but the personal-data findings (shown on the read-only page, not the form)
SUBMISSION_FIELDS = tuple(
    f.attname for f in Submission._meta.concrete_fields if f.name != "personal_data_findings"
)
ROUND_FIELDS = tuple(f.attname for f in FollowUpRound._meta.concrete_fields)
PLAN_FIELDS = ("id", "county_id")
ORGANISATION_FIELDS = ("id", "county_id", "name", "kind")
_PARTS: tuple[tuple[type[Model], str, tuple[str, ...]], ...] = (
    (Submission, "s", SUBMISSION_FIELDS),
    (FollowUpRound, "r", ROUND_FIELDS),
    (ActionPlan, "p", PLAN_FIELDS),
    (Organisation, "o", ORGANISATION_FIELDS),
)


def _field(model: type[Model], attname: str) -> "Field[Any, Any]":
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


@functools.cache
def _submission_page_sql() -> str:
    columns = ", ".join(
        f"{alias}.{connection.ops.quote_name(str(_field(model, name).column))}"
        for model, alias, names in _PARTS
        for name in names
    )
    return (
        f"SELECT {columns} FROM {table(Submission)} s "  # noqa: S608 - names from model metadata, values are parameters
        f"JOIN {table(FollowUpRound)} r ON r.id = s.round_id "
        f"JOIN {table(ActionPlan)} p ON p.id = r.plan_id "
        f"JOIN {table(Organisation)} o ON o.id = s.organisation_id WHERE s.id = %s"
    )


@functools.cache
def _converters() -> list[tuple[int, list[Callable[..., Any]], Any]]:
    """The columns the ORM converts on this database (a naive SQLite datetime made aware, say):
    (position, converters, column expression)."""
    found = []
    position = 0
    for model, _alias, names in _PARTS:
        for name in names:
            col = _field(model, name).get_col(model._meta.db_table)
            converters = [
                *connection.ops.get_db_converters(col),
                *col.output_field.get_db_converters(connection),
            ]
            if converters:
                found.append((position, converters, col))
            position += 1
    return found


def submission_page(*, submission_id: int) -> Submission | None:
    """The submission (the fields above) with its round, its plan (id and county) and its
    organisation (id, county, name and kind), in one query; None if there is none. The caller
    checks that the user may see it."""
    with connection.cursor() as cursor:
        cursor.execute(_submission_page_sql(), [submission_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, converters, col in _converters():
        for convert in converters:
            values[i] = convert(values[i], col, connection)
    objects: list[Any] = []
    start = 0
    for model, _alias, names in _PARTS:
        objects.append(model.from_db(connection.alias, names, values[start : start + len(names)]))
        start += len(names)
    submission, round_, plan, organisation = objects
    round_.plan = plan
    submission.round = round_
    submission.organisation = organisation
    return cast("Submission", submission)
