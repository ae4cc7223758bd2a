"""Enqueueing Celery tasks safely: after commit, and never failing the request when the broker is down.

Use :func:`enqueue_on_commit` from services instead of calling ``task.delay()`` directly::

    from kvinnofrid.core.tasks import enqueue_on_commit

    build = ReportBuild.objects.create(report=report, status=ReportBuild.Status.QUEUED, ...)
    enqueue_on_commit(build_report_task, build.pk)

The durable state lives in the database (e.g. a ``ReportBuild`` row with status ``queued``); if
the broker is unreachable the error is logged and swallowed, and a beat-driven sweeper re-enqueues
what is still queued (DESIGN §6). The request never sees a 500 because Redis is down.
"""

import logging
from collections.abc import Callable
from typing import Any, Protocol

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


class TypedTask[**P, R](Protocol):
    """The part of a Celery task object that callers use, with the task function's signature."""

    name: str

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def delay(self, *args: P.args, **kwargs: P.kwargs) -> Any: ...


def typed_shared_task[**P, R](**options: Any) -> Callable[[Callable[P, R]], TypedTask[P, R]]:
    """``celery.shared_task(**options)`` that keeps the decorated function's signature for mypy.

    Celery ships no type information, so its decorator would make every task untyped. At run
    time this is exactly ``shared_task``: the task object (with ``delay``/``apply_async``) is
    returned unchanged.
    """
    decorator: Callable[[Callable[P, R]], TypedTask[P, R]] = shared_task(**options)
    return decorator


def _broker_errors() -> tuple[type[BaseException], ...]:
    """The exception types that mean "the broker could not be reached"."""
    errors: list[type[BaseException]] = [OSError, TimeoutError]
    try:
        from kombu.exceptions import OperationalError

        errors.append(OperationalError)
    except ImportError:  # pragma: no cover - kombu is a Celery dependency
        pass
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        errors.extend([RedisConnectionError, RedisTimeoutError])
    except ImportError:  # pragma: no cover - redis is optional in the embedded mode
        pass
    return tuple(errors)


BROKER_ERRORS: tuple[type[BaseException], ...] = _broker_errors()


def enqueue_now(
    task: Any, *args: Any, queue: str | None = None, countdown: float | None = None, **kwargs: Any
) -> bool:
    """Send ``task`` to the broker at once; return False (and log) if the broker is unreachable.

    Prefer :func:`enqueue_on_commit` inside services. This is for callers outside a transaction
    (the sweeper, management commands). Exceptions raised by the task itself in eager mode
    propagate unchanged; only broker connection errors are caught.
    """
    options: dict[str, Any] = {}
    if queue is not None:
        options["queue"] = queue
    if countdown is not None:
        options["countdown"] = countdown
    name = getattr(task, "name", repr(task))
    try:
        # One attempt only: with Redis down a request must not sit through Celery's publish
        # retries (4 attempts, each up to the 1 s connect timeout). The row stays queued and
        # the sweeper tries again later.
        task.apply_async(args=args, kwargs=kwargs, retry=False, **options)
    except BROKER_ERRORS as exc:
        logger.warning(
            "Could not enqueue %s%r: broker unreachable (%s); the job stays queued in the "
            "database and is retried by the sweeper.",
            name,
            args,
            exc,
        )
        return False
    return True


def enqueue_on_commit(
    task: Any, *args: Any, queue: str | None = None, countdown: float | None = None, **kwargs: Any
) -> None:
    """Enqueue ``task(*args, **kwargs)`` after the current transaction commits.

    Outside a transaction (autocommit) it is sent immediately. Broker connection errors
    (kombu ``OperationalError``, redis ``ConnectionError``, ``OSError``) are logged, never
    raised, so the caller's request succeeds and the database row it created stays "queued".
    Pass only primitive ids as arguments (tasks load their own rows).
    """

    def send() -> None:
        enqueue_now(task, *args, queue=queue, countdown=countdown, **kwargs)

    transaction.on_commit(send)


def call_on_commit(func: Callable[[], Any]) -> None:
    """Run ``func`` after commit, logging (not raising) broker errors; for custom send logic."""

    def run() -> None:
        try:
            func()
        except BROKER_ERRORS as exc:
            logger.warning("Deferred broker call failed: %s", exc)

    transaction.on_commit(run)
