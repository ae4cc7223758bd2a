"""Issue 16 item 4: every audit key the code writes reads as a Swedish sentence."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from actionplans.models import ActionPlan
from kvinnofrid.accounts.audit_trail import describe_entries
from kvinnofrid.core.audit import audit_log, text_change
from kvinnofrid.core.audit_catalogue import describe, registered_keys
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.core.spreadsheet import csv_text
from tests.core.audit_keys import collect
from tests.factories import ActionPlanFactory, UserFactory, county

pytestmark = pytest.mark.django_db


def test_every_key_the_code_writes_has_a_sentence():
    keys, problems = collect()
    assert not problems, problems
    assert len(keys) > 80  # the collector finds the keys (it would pass vacuously otherwise)
    missing = sorted(keys - registered_keys())
    assert not missing, (
        f"Audit keys without a sentence: {missing}. Register each in its app's audit_actions.py."
    )


def test_the_collector_notices_a_key_it_cannot_read(tmp_path, monkeypatch):
    from tests.core import audit_keys

    source = tmp_path / "agreements"
    source.mkdir()
    (source / "x.py").write_text("def f(n):\n    audit_log(action='a.' + n)\n")
    monkeypatch.setattr(audit_keys, "ROOT", tmp_path)
    monkeypatch.setattr(audit_keys, "SOURCES", ("agreements",))
    _keys, problems = audit_keys.collect()
    assert len(problems) == 1
    assert "x.py:2" in problems[0]


def test_an_entry_reads_as_a_sentence_with_name_organisation_and_time(make_user):
    # given a coordinator of Jönköping and a plan edit logged at a known time
    user = make_user("coordinator", county_code="06")
    user.full_name = "Anna Berg"
    user.save()
    plan = ActionPlanFactory(county=county("06"), status=ActionPlan.Status.DRAFT)
    entry = audit_log(
        actor=user,
        action="actionplans.plan_update",
        target=plan,
        county_id=plan.county_id,
        changes={
            "status": ["draft", "adopted"],
            "vision": text_change("gammal", "en ny vision"),
        },
    )
    when = timezone.make_aware(datetime.datetime(2023, 1, 27, 14, 2))
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)
    # when
    (line,) = describe_entries(AuditEntry.objects.filter(pk=entry.pk))
    # then
    organisation = user.memberships.get().organisation.name
    assert line.sentence == f"Anna Berg ({organisation}) ändrade planens uppgifter 2023-01-27 14:02"
    rows = {row.label: row for row in line.changes}
    assert (rows["Status"].before, rows["Status"].after) == ("Utkast", "Antagen")
    assert rows["Vision"].text == "ändrad (12 tecken)"
    assert rows["Vision"].before == rows["Vision"].after == ""


def test_unknown_keys_and_system_entries_still_read():
    entry = audit_log(actor=None, action="okand.nyckel")
    (line,) = describe([entry])
    assert line.sentence.startswith("Systemet utförde händelsen okand.nyckel ")


def test_child_actions_name_their_object_from_the_message():
    plan = ActionPlanFactory(county=county("06"))
    entry = audit_log(
        actor=UserFactory(full_name="Per Ek"),
        action="actionplans.goal_move",
        target=plan,
        message="1. Ökad kunskap",
        changes={"order": [1, 2]},
    )
    (line,) = describe([entry])
    assert "flyttade målet ”1. Ökad kunskap”" in line.sentence
    assert [(r.label, r.before, r.after) for r in line.changes] == [("Plats", "1", "2")]


@pytest.mark.parametrize("cell", ["=1+1", "+46", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert csv_text(cell) == "'" + cell
    assert csv_text("Anna") == "Anna"


def test_the_admin_cannot_add_change_or_delete_entries(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    model_admin = site._registry[AuditEntry]
    entry = audit_log(actor=None, action="okand.nyckel")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)
