"""Issue 12 item 8: the audit log records that free text changed and its length, never the text
(answers, analyses and plan texts may hold personal data), also for entries written before."""

import importlib
import json

import pytest
from django.apps import apps

from actionplans.services import goal_update
from followup import services
from followup.reports.services import report_create, report_update
from kvinnofrid.core.models import AuditEntry
from tests.factories import ActionPlanFactory, GoalFactory, county

pytestmark = pytest.mark.django_db
PERSONNUMMER = "19121212-1212"


def _dumped(action: str) -> str:
    return json.dumps([e.changes for e in AuditEntry.objects.filter(action=action)])


def test_an_autosaved_answer_leaves_only_its_length_in_the_audit(world):
    question = world.round.questions.get(key="worked_well")
    world.submission.refresh_from_db()
    text = f"Samtal med Anna ({PERSONNUMMER}) gick bra."
    services.submission_save(
        submission_id=world.submission.pk,
        lock_version=world.submission.lock_version,
        answers={question.pk: {"text": text}},
        indicator_values={world.indicator.pk: {"value": "3", "note": f"Anna {PERSONNUMMER}"}},
        actor=world.users["reporter"],
    )
    dumped = _dumped("followup.submission.saved")
    assert PERSONNUMMER not in dumped
    assert "Anna" not in dumped
    entry = AuditEntry.objects.get(action="followup.submission.saved")
    assert entry.changes[f"question:{question.pk}"] == {"text_length": [0, len(text)]}
    assert entry.changes[f"indicator:{world.indicator.pk}"]["value"] == [None, "3"]


def test_report_and_plan_texts_leave_only_their_lengths(world):
    coordinator = world.users["coordinator"]
    report = report_create(round_id=world.round.pk, actor=coordinator)
    report_update(
        report_id=report.pk,
        actor=coordinator,
        expected_version=report.lock_version,
        fields={"introduction": f"Kontakt: {PERSONNUMMER}"},
        analyses={world.goals[0].pk: f"Anna {PERSONNUMMER}"},
    )
    goal = GoalFactory(
        plan=ActionPlanFactory(county=county("06")), number=7, title="Mål", description=""
    )
    goal_update(
        goal_id=goal.pk,
        expected_version=goal.lock_version,
        data={"number": 7, "title": "Mål sju", "description": f"Anna {PERSONNUMMER}"},
        actor=coordinator,
    )
    dumped = json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))
    assert PERSONNUMMER not in dumped
    goal_entry = AuditEntry.objects.filter(action__endswith="goal_update").get()
    assert goal_entry.changes["title"] == ["Mål", "Mål sju"]  # not free text: kept
    assert goal_entry.changes["description"] == {"text_length": [0, len(f"Anna {PERSONNUMMER}")]}


def test_the_migration_scrubs_what_older_entries_kept():
    migration = importlib.import_module(
        "kvinnofrid.core.migrations.0002_audit_entries_keep_no_free_text"
    )
    old = AuditEntry.objects.create(
        action="followup.submission.saved",
        changes={
            "question:5": [None, f"Anna {PERSONNUMMER}"],
            "indicator:3": [None, "12"],
        },
    )
    plan_edit = AuditEntry.objects.create(
        action="actionplans.goal_update",
        changes={"title": ["A", "B"], "description": ["", f"Anna {PERSONNUMMER}"]},
    )
    migration.scrub(apps, None)
    old.refresh_from_db()
    plan_edit.refresh_from_db()
    assert old.changes == {
        "question:5": {"text_length": [0, 18]},
        "indicator:3": {"value": [None, "12"]},
    }
    assert plan_edit.changes == {
        "title": ["A", "B"],
        "description": {"text_length": [0, 18]},
    }
