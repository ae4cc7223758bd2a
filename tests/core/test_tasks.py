"""enqueue_on_commit: after commit, and a dead broker never fails the caller."""

import time

import pytest
from celery import shared_task
from django.db import transaction

from kvinnofrid.core.tasks import enqueue_now, enqueue_on_commit

CALLS: list[int] = []


@shared_task(name="tests.core.record_call")
def record_call_task(value: int) -> None:
    CALLS.append(value)


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_runs_after_commit_only():
    # given
    CALLS.clear()
    # when
    with transaction.atomic():
        enqueue_on_commit(record_call_task, 1)
        assert CALLS == []
    # then
    assert CALLS == [1]


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_is_dropped_on_rollback():
    CALLS.clear()

    def failing_write() -> None:
        with transaction.atomic():
            enqueue_on_commit(record_call_task, 2)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_write()
    assert CALLS == []


def test_enqueue_now_with_dead_broker_fails_fast_and_returns_false(dead_broker, caplog):
    # when
    started = time.monotonic()
    sent = enqueue_now(record_call_task, 3)
    elapsed = time.monotonic() - started
    # then
    assert sent is False
    assert elapsed < 2.0, f"enqueue took {elapsed:.2f}s with the broker down"
    assert "broker unreachable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_with_dead_broker_does_not_raise(dead_broker):
    started = time.monotonic()
    with transaction.atomic():
        enqueue_on_commit(record_call_task, 4)
    assert time.monotonic() - started < 2.0


def test_plain_delay_with_dead_broker_raises_quickly(dead_broker):
    """Documents why callers must use the helper: a bare .delay() raises."""
    from kvinnofrid.core.tasks import BROKER_ERRORS

    started = time.monotonic()
    with pytest.raises(BROKER_ERRORS):
        record_call_task.delay(5)
    assert time.monotonic() - started < 2.0
