"""Deployment checks of our own (``manage.py check --deploy``, run by ``make check``)."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, deploy=True)
def shared_cache(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """A production cache must be shared by every process that writes or reads.

    A write bumps its county's fragment version in the cache (kvinnofrid.core.fragments), and
    the login and password-reset limits count in it. With a per-process cache, another web
    worker or the Celery worker never sees the bump and keeps serving the old page, and each
    process counts its own attempts."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            "CACHE_URL is a per-process cache: other web workers and the Celery worker would "
            "keep showing pages from before a change, and login limits would count per process.",
            hint="Set CACHE_URL to a cache every process shares, e.g. rediscache://redis:6379/2.",
            id="kvinnofrid.W001",
        )
    ]
