"""Limits on guessing: failed logins per IP address across usernames, and password-reset
requests per IP address and per e-mail address.

django-axes locks a username + IP pair after ``AXES_FAILURE_LIMIT`` failures; that does not stop
one address spraying a password over many usernames. :func:`login_blocked_for_ip` counts the
failures axes has recorded for the IP (every username) in the cool-off window. Reset requests
are counted in the cache (set CACHE_URL to Redis when several web processes run, or each
process counts on its own).
"""

import hashlib
from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone


def client_ip(request: HttpRequest) -> str:
    """The client's IP address, found the way django-axes finds it."""
    return get_client_ip_address(request) or ""


def login_blocked_for_ip(request: HttpRequest) -> bool:
    """Whether the IP has failed ``LOGIN_FAILURE_LIMIT_PER_IP`` logins (any usernames) within
    the axes cool-off time; such an IP may not try again until the window has passed."""
    ip = client_ip(request)
    if not ip or not getattr(settings, "AXES_ENABLED", True):
        return False
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    failures = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    limit: int = settings.LOGIN_FAILURE_LIMIT_PER_IP
    return (failures or 0) >= limit


def _count(key: str) -> int:
    """Count one more request under ``key`` in a fixed window; the count so far."""
    window = settings.PASSWORD_RESET_LIMIT_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def allow_password_reset_request(request: HttpRequest, email: str) -> bool:
    """Count a password-reset request for the client's IP and for ``email``; False when either
    is over its limit. The answer never depends on whether the address has an account."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    per_ip = _count(f"password-reset:ip:{client_ip(request)}")
    per_address = _count(f"password-reset:address:{address}")
    ip_limit: int = settings.PASSWORD_RESET_LIMIT_PER_IP
    address_limit: int = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    return per_ip <= ip_limit and per_address <= address_limit
