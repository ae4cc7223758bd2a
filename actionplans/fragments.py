"""Version-keyed caching of rendered fragments that many users share (the plan view, the county
start page and its follow-up panel, the response overview, the report list).

A fragment is stored under a key made of the templates it renders (name and source digest, so a
deploy never serves old markup), the active language, the viewer-dependent flags the template
branches on, and a *fingerprint* of every row it shows, read in one cheap aggregate query
(``fingerprint``): row counts, the newest ``updated_at``, sums of related ids and the plan's
newest audit entry. Every write — through a service, the admin or a bulk reorder — changes the
fingerprint, so the key changes and a stale hit cannot happen; superseded entries just expire.

Fragments must not contain CSRF tokens or anything that depends on the viewer beyond the
flags in the key. The data for a fragment is loaded only on a miss (``context`` is a callable).
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TIMEOUT = 24 * 60 * 60
# written between the parts of a fragment that the page places apart (see ``split``)
PART_BREAK = "<!-- fragment part -->"
_digests: dict[tuple[str, ...], str] = {}


def _templates_digest(names: tuple[str, ...]) -> str:
    digest = _digests.get(names)
    if digest is None:
        sha = hashlib.sha256()
        for name in names:
            sha.update(get_template(name).template.source.encode())
        digest = _digests[names] = sha.hexdigest()[:16]
    return digest


def fingerprint(sql: str, params: Sequence[Any]) -> tuple[tuple[str, ...], ...]:
    """The rows of one aggregate query as a sorted tuple of strings (stable across backends)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return tuple(sorted(tuple(str(value) for value in row) for row in rows))


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def m2m_columns(model: type[Model], name: str) -> tuple[str, str, str]:
    """(through table, column of ``model``, column of the other side) of an m2m field."""
    f = model._meta.get_field(name)
    return table(f.remote_field.through), f.m2m_column_name(), f.m2m_reverse_name()


def fingerprint_row(
    label: str, source: str, where: str, *, changed: str = "MAX(updated_at)", sum_: str = "id"
) -> str:
    """One SELECT of a fingerprint query (join several with UNION ALL): the number of rows of
    ``source`` (a table, or tables joined) matching ``where``, their newest change and a sum
    (of ids by default, so a swap changes it too). Only names from model metadata go into the
    text; values are query parameters (``%s``)."""
    return f"SELECT '{label}', COUNT(*), {changed}, SUM({sum_}) FROM {source} WHERE {where}"  # noqa: S608


def subquery(table: str, where: str, column: str = "id") -> str:
    """``SELECT column FROM table WHERE where`` for fingerprint queries. Only quoted names from
    model metadata go into the text; values are always query parameters (``%s``)."""
    return f"SELECT {column} FROM {table} WHERE {where}"  # noqa: S608


def fragment_key(*, templates: tuple[str, ...], version: Iterable[Any]) -> str:
    raw = repr((templates, _templates_digest(templates), get_language(), tuple(version)))
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_fragment(
    *,
    templates: tuple[str, ...],
    version: Iterable[Any],
    context: Callable[[], dict[str, Any]],
    request: HttpRequest | None = None,
) -> SafeString:
    """``templates[0]`` rendered with ``context()``, from the cache when ``version`` matches.

    ``templates`` lists the fragment's template first, then every template it includes.
    """
    return cached_render(templates=templates, version=version, context=context, request=request)[0]


def cached_render(
    *,
    templates: tuple[str, ...],
    version: Iterable[Any],
    context: Callable[[], dict[str, Any]],
    request: HttpRequest | None = None,
) -> tuple[SafeString, Any]:
    """:func:`cached_fragment` plus ``context()["live"]``, cached with it: plain data (ids,
    titles) for parts the page must render per request, such as forms with a CSRF token."""
    key = fragment_key(templates=templates, version=version)
    entry = cache.get(key)
    if entry is None:
        data = context()
        html = render_to_string(templates[0], data, request=request)
        entry = (str(html), data.get("live"))
        cache.set(key, entry, TIMEOUT)
    return mark_safe(entry[0]), entry[1]  # noqa: S308 - our own template's output, escaped


def split(html: SafeString, parts: int) -> list[SafeString]:
    """The ``parts`` pieces of a fragment whose template separates them with ``PART_BREAK``
    (e.g. the breadcrumbs and the content, which the layout places apart)."""
    pieces = html.split(PART_BREAK)
    if len(pieces) != parts:
        raise ValueError(f"expected {parts} fragment parts, got {len(pieces)}")
    return [mark_safe(piece) for piece in pieces]  # noqa: S308 - pieces of a rendered fragment
