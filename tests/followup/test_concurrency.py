"""Two threads submitting the same submission on PostgreSQL: exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from followup import services
from followup.exceptions import FollowUpError
from followup.models import Submission
from kvinnofrid.core.models import AuditEntry
from tests.followup.conftest import fill_required


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_threads_submit_once(world):
    fill_required(world)
    reporter = world.users["reporter"]
    barrier = threading.Barrier(2)
    results: list[str] = []

    def submit() -> None:
        try:
            barrier.wait()
            services.submission_submit(submission_id=world.submission.pk, actor=reporter)
            results.append("ok")
        except FollowUpError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert Submission.objects.get(pk=world.submission.pk).status == "submitted"
    assert AuditEntry.objects.filter(action="followup.submission.submitted").count() == 1
