"""Rendered page fragments, cached until the next write in their county.

Each county has a version (a random token) in the cache, renewed by every write in the county;
``EVERYWHERE`` is renewed by writes outside any county (national goals, an admin edit of
reference data) and ``NATIONAL`` by every write at all (for national pages, ``county_id=None``).
A fragment's key holds the template name, the flags the template branches on, the language, a
digest of the code (so a deploy never serves old markup), ``EVERYWHERE`` and its county's
version (or ``NATIONAL``). A read costs two cache gets (versions, fragment) and no query; the data is loaded only on a miss (``context`` is a callable).

Writes bump the version (:func:`bump`) in their transaction and again after it commits, so a
reader who rendered the old rows meanwhile cannot keep them under the new version:

* every service records its audit entry through ``kvinnofrid.core.audit.audit_log``, which bumps
  the entry's county (this also covers the services' bulk updates, which send no signals);
* every save or delete of a row of the domain apps — also outside the services: the admin, the
  shell, a task — bumps through the ``post_save``/``post_delete``/``m2m_changed`` handler
  below: the county the row belongs to (found by following its foreign keys to County), else
  every county.

Superseded entries are never read again and expire. Fragments hold no viewer-specific values:
CSRF tokens are placeholders filled in per request (``kvinnofrid.core.csrf``).
"""

import functools
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

import django
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

TIMEOUT = 24 * 60 * 60
EVERYWHERE = "all"
NATIONAL = "national"
# the apps whose rows cached fragments show
DOMAIN_APPS = ("agreements", "actionplans", "followup", "directory")
# written between the parts of a fragment that the page places apart (see ``split``)
PART_BREAK = "<!-- fragment part -->"


def _version_key(scope: Any) -> str:
    return f"fragments:version:{scope}"


def bump(county_id: int | None) -> None:
    """Invalidate the fragments of a county (``None``: of every county) and the national ones,
    now and on commit."""
    keys = (
        _version_key(county_id if county_id is not None else EVERYWHERE),
        _version_key(NATIONAL),
    )

    def renew() -> None:
        cache.set_many({key: uuid.uuid4().hex for key in keys}, None)

    renew()
    transaction.on_commit(renew)


def _versions(county_id: int | None) -> tuple[str, ...]:
    """The current versions of every county and of this one (``None``: the national one). A
    version missing from the cache (never bumped, or evicted) gets a new value, which no stored
    fragment has."""
    keys = (_version_key(EVERYWHERE), _version_key(county_id or NATIONAL))
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return tuple(found[key] for key in keys)


@functools.cache
def release_digest() -> str:
    """A digest of the project's code, templates and compiled translations and of the Django
    version, read once per process (a few milliseconds)."""
    sha = hashlib.sha256(django.get_version().encode())
    for source in ("actionplans", "agreements", "followup", "kvinnofrid", "templates", "locale"):
        for path in sorted((settings.BASE_DIR / source).rglob("*")):
            if path.suffix in (".py", ".html", ".mo") and path.is_file():
                sha.update(str(path.relative_to(settings.BASE_DIR)).encode())
                sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


def cached_render(
    *,
    template: str,
    county_id: int | None,
    flags: tuple[Any, ...] = (),
    context: Callable[[], dict[str, Any]],
    timeout: int = TIMEOUT,
) -> tuple[SafeString, Any]:
    """``template`` rendered with ``context()``, from the cache unless the county (``None``: any
    county) changed since, and ``context()["live"]`` cached with it (plain data, e.g. ids, for
    parts the page renders per request). ``flags``: every viewer-dependent value the template
    branches on."""
    versions = _versions(county_id)
    raw = repr((template, flags, get_language(), release_digest(), county_id, versions))
    key = "fragments:" + hashlib.sha256(raw.encode()).hexdigest()
    entry = cache.get(key)
    if entry is None:
        data = context()
        entry = (str(render_to_string(template, data)), data.get("live"))
        cache.set(key, entry, timeout)
    return mark_safe(entry[0]), entry[1]  # noqa: S308 - our own template's output, escaped


def cached_per_county[T](
    *,
    name: str,
    county_ids: list[int],
    flags: tuple[Any, ...] = (),
    compute: Callable[[list[int]], dict[int, T]],
    timeout: int = TIMEOUT,
) -> dict[int, T]:
    """Plain data per county (e.g. a row of a national table), each county's cached until the
    next write in it or in the national data: ``compute(ids)`` is called once, for the counties
    whose data is not cached, and must return a value for each. Reads cost two cache calls."""
    version_keys = {c: _version_key(c) for c in county_ids}
    everywhere = _version_key(EVERYWHERE)
    found = cache.get_many([everywhere, *version_keys.values()])
    for key in [everywhere, *version_keys.values()]:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    keys = {
        c: "fragments:data:"
        + hashlib.sha256(
            repr((name, flags, release_digest(), c, found[everywhere], found[k])).encode()
        ).hexdigest()
        for c, k in version_keys.items()
    }
    entries: dict[str, T] = cache.get_many(list(keys.values()))
    missing = [c for c in county_ids if keys[c] not in entries]
    if missing:
        computed = compute(missing)
        fresh = {keys[c]: computed[c] for c in missing}
        cache.set_many(fresh, timeout)
        entries.update(fresh)
    return {c: entries[keys[c]] for c in county_ids}


def cached_reference[T](
    *, name: str, flags: tuple[Any, ...] = (), compute: Callable[[], T], timeout: int = TIMEOUT
) -> T:
    """Data no county owns (the list of counties, the national goals), cached until the next
    write outside any county or to a county's own row. Reads cost two cache calls."""
    everywhere = _version_key(EVERYWHERE)
    cache.add(everywhere, uuid.uuid4().hex, None)
    raw = repr((name, flags, release_digest(), cache.get(everywhere)))
    key = "fragments:reference:" + hashlib.sha256(raw.encode()).hexdigest()
    entry: T | None = cache.get(key)
    if entry is None:
        entry = compute()
        cache.set(key, entry, timeout)
    return entry


def cached_fragment(**kwargs: Any) -> SafeString:
    """:func:`cached_render` without the live data."""
    return cached_render(**kwargs)[0]


def split(html: SafeString, parts: int) -> list[SafeString]:
    """The ``parts`` pieces of a fragment whose template separates them with ``PART_BREAK``
    (e.g. the breadcrumbs and the content, which the layout places apart)."""
    pieces = html.split(PART_BREAK)
    if len(pieces) != parts:
        raise ValueError(f"expected {parts} fragment parts, got {len(pieces)}")
    return [mark_safe(piece) for piece in pieces]  # noqa: S308 - pieces of a rendered fragment


# --- writes outside the services -----------------------------------------------------------


@functools.cache
def _county_path(model: type[models.Model]) -> tuple[str, ...] | None:
    """The foreign keys leading from ``model`` to County (the shortest chain through the
    domain models), e.g. ``("submission", "round", "plan", "county")``; None without one."""
    queue: list[tuple[type[models.Model], tuple[str, ...]]] = [(model, ())]
    seen = {model}
    while queue:
        current, path = queue.pop(0)
        if _is_county(current):
            return path
        for field in current._meta.concrete_fields:
            target = field.related_model if field.many_to_one else None
            if target is None or target._meta.app_label not in DOMAIN_APPS or target in seen:
                continue
            # organisations may be national (no county): not a way to the county of a row
            if target._meta.model_name != "organisation":
                seen.add(target)
                queue.append((target, (*path, field.name)))
    return None


def county_of(instance: models.Model) -> int | None:
    """The id of the county ``instance`` belongs to, or None (national data, or not found)."""
    model = type(instance)
    if _is_county(model):
        county_pk: int | None = instance.pk
        return county_pk
    path = _county_path(model)
    if not path:
        return None
    obj: Any = instance
    try:
        for name in path[:-1]:
            obj = getattr(obj, name)
            if obj is None:
                return None
    except ObjectDoesNotExist:  # a parent deleted before it in a cascade
        return None
    county_id: int | None = getattr(obj, f"{path[-1]}_id")
    return county_id


def _is_county(model: type[models.Model]) -> bool:
    return model._meta.app_label in DOMAIN_APPS and model._meta.model_name == "county"


def _is_domain(sender: Any) -> bool:
    return getattr(getattr(sender, "_meta", None), "app_label", None) in DOMAIN_APPS


@receiver(post_save)
@receiver(post_delete)
def _row_written(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    if _is_domain(sender) and not kwargs.get("raw"):
        # a county's own row (its name, its code) is shown on every national page too
        bump(None if _is_county(sender) else county_of(instance))


@receiver(m2m_changed)
def _links_changed(sender: Any, instance: models.Model, action: str, **kwargs: Any) -> None:
    if action.startswith("post_") and _is_domain(type(instance)):
        bump(county_of(instance))
