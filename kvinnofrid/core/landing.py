"""Where a person lands after accepting an invitation: on their task, not on a menu.

The accounts app owns the invitation page but must not import the apps above it (DESIGN §3).
So an app that knows a user's task (the follow-up: a reporter's open yttrande) registers a
function here when it is ready; the first one that returns an address wins.
"""

from collections.abc import Callable
from typing import Any

LandingFinder = Callable[[Any], str | None]
_finders: list[LandingFinder] = []


def register_landing(finder: LandingFinder) -> None:
    """Add ``finder(user) -> URL or None`` (once, however often called)."""
    if finder not in _finders:
        _finders.append(finder)


def landing_url(user: Any, default: str) -> str:
    """The first registered finder's address for ``user``, else ``default``."""
    for finder in _finders:
        url = finder(user)
        if url:
            return url
    return default
