"""Model objects from the rows of a written-out query, without ``raw()``'s machinery: the
model's columns are listed from its metadata, converted as the ORM converts them on this
database, and handed to ``Model.from_db``; the caller reads the columns after them."""

import functools
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model


@functools.cache
def _attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def model_columns(model: type[Model], alias: str) -> str:
    """Every column of ``model`` as ``alias.column``, in the order :func:`from_row` reads them."""
    return ", ".join(
        f"{alias}.{connection.ops.quote_name(str(f.column))}" for f in model._meta.concrete_fields
    )


@functools.cache
def _converters(model: type[Model]) -> tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]:
    """The columns of ``model`` the ORM converts on this database (a naive SQLite datetime made
    aware, a JSON text parsed): (position, converters, column expression)."""
    found = []
    for i, f in enumerate(model._meta.concrete_fields):
        col = f.get_col(model._meta.db_table)
        converters = (*connection.ops.get_db_converters(col), *f.get_db_converters(connection))
        if converters:
            found.append((i, converters, col))
    return tuple(found)


def from_row[M: Model](model: type[M], row: Sequence[Any]) -> M:
    """A ``model`` object from the first columns of ``row`` (see :func:`model_columns`)."""
    names = _attnames(model)
    values = list(row[: len(names)])
    for i, converters, col in _converters(model):
        for convert in converters:
            values[i] = convert(values[i], col, connection)
    return model.from_db(connection.alias, names, values)
