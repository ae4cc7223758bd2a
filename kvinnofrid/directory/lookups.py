"""The county of a county-scoped page, read by its code for the request's user.

Every county page starts with it, hit or miss; the ORM's compilation of the scoped filter cost
more than the query itself, so the query is written out and the scope checked on the id
(tests/directory/test_lookups.py checks it against ``County.objects.visible_to(user)``).
"""

import functools

from django.db import connection
from django.http import Http404

from kvinnofrid.directory.models import County
from kvinnofrid.directory.scopes import Reader, visible_county_ids


@functools.cache
def _columns() -> list[str]:
    return [f.attname for f in County._meta.concrete_fields]


@functools.cache
def _county_sql() -> str:
    q = connection.ops.quote_name
    columns = ", ".join(q(c) for c in _columns())
    return f"SELECT {columns} FROM {q(County._meta.db_table)} WHERE {q('code')} = %s"  # noqa: S608 - names from model metadata, values are parameters


def visible_county_or_404(user: Reader, code: str) -> County:
    """The county with ``code`` if ``user`` may read it, else Http404 (as
    ``get_object_or_404(County.objects.visible_to(user), code=code)``, in one query, none when
    the user reads no county)."""
    ids = visible_county_ids(user)
    row = None
    if ids is None or ids:
        with connection.cursor() as cursor:
            cursor.execute(_county_sql(), [code])
            row = cursor.fetchone()
    if row is None or (ids is not None and row[_columns().index("id")] not in ids):
        raise Http404("No County matches the given query.")
    return County.from_db(connection.alias, _columns(), row)
