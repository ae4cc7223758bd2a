"""Version-keyed caching of rendered fragments: the plan view, the county start page and its
follow-up panel, the response overview, the report list, and the actor's form with its goals.

A fragment is stored under a key made of the templates it renders (name and source digest), a
digest of the code that renders markup (``release_digest``: a deploy never serves old markup,
also from a Redis cache that outlives it), the active language, the viewer-dependent flags the
template branches on, and a *fingerprint* of every row it shows, read in one cheap aggregate
query (``fingerprint``): row counts, the newest ``updated_at``, sums of ids and the plan's
newest audit entry. Every write — through a service, the admin or a bulk reorder — changes the
fingerprint, so the key changes and a stale hit cannot happen; superseded entries just expire.

Fragments must not depend on the viewer beyond the flags in the key. CSRF tokens are rendered
as ``kvinnofrid.core.csrf.CSRF_PLACEHOLDER`` and filled in per request (``fill_csrf``). The data
for a fragment is loaded only on a miss (``context`` is a callable).
"""

import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import django
from django.conf import settings
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


# what renders markup besides the templates: tags, forms, labels and their translations
RELEASE_SOURCES = ("actionplans", "agreements", "followup", "kvinnofrid", "templates", "locale")
RELEASE_SUFFIXES = (".py", ".html", ".mo")


@functools.cache
def release_digest() -> str:
    """A digest of the project's Python code, templates and compiled translations and of the
    Django version, read once per process (a few milliseconds)."""
    sha = hashlib.sha256(django.get_version().encode())
    for source in RELEASE_SOURCES:
        for path in sorted((settings.BASE_DIR / source).rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file():
                sha.update(str(path.relative_to(settings.BASE_DIR)).encode())
                sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def fragment_key(*, templates: tuple[str, ...], version: Iterable[Any]) -> str:
    raw = repr(
        (
            templates,
            _templates_digest(templates),
            release_digest(),
            get_language(),
            tuple(version),
        )
    )
    return "fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_fragment(
    *,
    templates: tuple[str, ...],
    version: Iterable[Any],
    context: Callable[[], dict[str, Any]],
    request: HttpRequest | None = None,
    timeout: int = TIMEOUT,
) -> SafeString:
    """``templates[0]`` rendered with ``context()``, from the cache when ``version`` matches.

    ``templates`` lists the fragment's template first, then every template it includes.
    """
    return cached_render(
        templates=templates, version=version, context=context, request=request, timeout=timeout
    )[0]


def cached_render(
    *,
    templates: tuple[str, ...],
    version: Iterable[Any],
    context: Callable[[], dict[str, Any]],
    request: HttpRequest | None = None,
    timeout: int = TIMEOUT,
) -> tuple[SafeString, Any]:
    """:func:`cached_fragment` plus ``context()["live"]``, cached with it: plain data (ids,
    titles) for parts the page must render per request. ``timeout``: seconds an entry is kept
    (shorter for fragments that change often and are read by one user)."""
    key = fragment_key(templates=templates, version=version)
    entry = cache.get(key)
    if entry is None:
        data = context()
        html = render_to_string(templates[0], data, request=request)
        entry = (str(html), data.get("live"))
        cache.set(key, entry, timeout)
    return mark_safe(entry[0]), entry[1]  # noqa: S308 - our own template's output, escaped


def split(html: SafeString, parts: int) -> list[SafeString]:
    """The ``parts`` pieces of a fragment whose template separates them with ``PART_BREAK``
    (e.g. the breadcrumbs and the content, which the layout places apart)."""
    pieces = html.split(PART_BREAK)
    if len(pieces) != parts:
        raise ValueError(f"expected {parts} fragment parts, got {len(pieces)}")
    return [mark_safe(piece) for piece in pieces]  # noqa: S308 - pieces of a rendered fragment
