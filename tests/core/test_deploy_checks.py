"""The deploy check that a production cache is shared by every process."""

import re

from django.conf import settings as django_settings

from kvinnofrid.core.checks import shared_cache


def _ids(settings, backend, debug=False):
    settings.DEBUG = debug
    settings.CACHES = {"default": {"BACKEND": backend}}
    return [message.id for message in shared_cache()]


def test_a_per_process_cache_in_production_is_flagged(settings):
    assert _ids(settings, "django.core.cache.backends.locmem.LocMemCache") == ["kvinnofrid.W001"]
    assert _ids(settings, "django.core.cache.backends.redis.RedisCache") == []
    # development may keep the per-process default
    assert _ids(settings, "django.core.cache.backends.locmem.LocMemCache", debug=True) == []


def test_the_compose_stack_shares_redis_between_its_processes():
    # every service built from the app anchor (web, worker, beat) gets the same environment
    compose = (django_settings.BASE_DIR / "docker-compose.yml").read_text()
    app_block = compose.split("\nservices:")[0]
    assert re.search(r"^\s+CACHE_URL: rediscache://redis:6379/\d+$", app_block, re.M)
