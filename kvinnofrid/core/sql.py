"""Names for written-out SQL, from model metadata (the reader modules that replace ORM queries
whose compilation cost more than the query: each statement is pinned to the ORM by a test)."""

from typing import Any

from django.db import connection


def table(model: Any) -> str:
    """The quoted table name of ``model``."""
    return connection.ops.quote_name(model._meta.db_table)


def m2m_columns(model: Any, name: str) -> tuple[str, str, str]:
    """(quoted through table, column of ``model``, column of the other side) of an m2m field."""
    f = model._meta.get_field(name)
    return table(f.remote_field.through), f.m2m_column_name(), f.m2m_reverse_name()
