"""An indicator's targets per year (issue 15 item 5): the model, migration 0010, the editor's
"år: värde" field, the audit entry and the plan revision that copies them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from actionplans import services
from actionplans.models import Indicator, IndicatorTarget
from actionplans.targets import format_targets, parse_targets
from kvinnofrid.core.models import AuditEntry
from tests.factories import ActionPlanFactory, IndicatorFactory

pytestmark = pytest.mark.django_db


def _url(name, plan, *args):
    return reverse(f"actionplans:{name}", args=[plan.county.code, plan.pk, *args])


def test_one_target_per_indicator_and_year():
    indicator = IndicatorFactory()
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("4"))
    IndicatorTarget.objects.create(indicator=indicator, year=2027, value=Decimal("5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("6"))
    assert list(indicator.targets.values_list("year", flat=True)) == [2026, 2027]


@pytest.mark.django_db(transaction=True)
def test_migration_0010_moves_each_target_to_a_row_and_back():
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "actionplans"]
    before = [*others, ("actionplans", "0009_load_action_programme_2024_2026_and_crosswalk")]
    after = [*others, ("actionplans", "0010_indicator_targets_per_year")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    county = old.get_model("directory", "County").objects.get(code="06")
    plan = old.get_model("actionplans", "ActionPlan").objects.create(
        county=county, title="P", kind="handlingsplan", period_start=2021, period_end=2026
    )
    OldIndicator = old.get_model("actionplans", "Indicator")
    with_year = OldIndicator.objects.create(
        plan=plan, name="Med år", target=Decimal("12.5"), target_year=2024
    )
    without_year = OldIndicator.objects.create(plan=plan, name="Utan år", target=Decimal("3"))
    none = OldIndicator.objects.create(plan=plan, name="Inget mål")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Target = new.get_model("actionplans", "IndicatorTarget")
    rows = sorted(Target.objects.values_list("indicator_id", "year", "value"))
    assert rows == [(with_year.pk, 2024, Decimal("12.50")), (without_year.pk, 2026, Decimal("3"))]
    assert not Target.objects.filter(indicator_id=none.pk).exists()
    field_names = {f.name for f in new.get_model("actionplans", "Indicator")._meta.fields}
    assert not {"target", "target_year"} & field_names

    # backwards: the latest target goes back into the two fields
    Target.objects.create(indicator_id=with_year.pk, year=2026, value=Decimal("20"))
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    back = executor.loader.project_state(before).apps.get_model("actionplans", "Indicator")
    assert back.objects.get(pk=with_year.pk).target == Decimal("20")
    assert back.objects.get(pk=with_year.pk).target_year == 2026
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_target_lines_parse_in_year_order_with_comma_or_point():
    assert parse_targets("2026: 40\n\n2025:12,5; 2027 : 1 000.25") == [
        (2025, Decimal("12.50")),
        (2026, Decimal("40.00")),
        (2027, Decimal("1000.25")),
    ]
    assert format_targets(parse_targets("2026: 40\n2025: 12,5")) == "2025: 12,5\n2026: 40"
    assert parse_targets("") == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026 40", "Rad 1: skriv år och värde med kolon emellan"),
        ("2025: 1\n٢٠٢٦: 40", "Rad 2: året ska vara ett heltal mellan 1990 och 2100."),
        ("2026: ٤٠", "Rad 1: värdet ska vara ett tal med högst två decimaler"),
        ("²⁰²⁶: 40", "Rad 1: året ska vara ett heltal mellan 1990 och 2100."),
        ("9" * 5000 + ": 40", "Rad 1: året ska vara ett heltal mellan 1990 och 2100."),
        ("2026: " + "9" * 5000, "Rad 1: värdet är för stort"),
        ("2026: 1e3", "Rad 1: värdet ska vara ett tal"),
        ("2026: 1,234", "Rad 1: värdet ska vara ett tal med högst två decimaler"),
        ("1989: 4", "Rad 1: året ska vara ett heltal mellan 1990 och 2100."),
        ("2101: 4", "Rad 1: året ska vara ett heltal mellan 1990 och 2100."),
        ("2026: 4\n2026: 5", "Rad 2: år 2026 har redan ett målvärde."),
        ("\n".join(f"{2000 + n}: 1" for n in range(101)), "Högst 100 målvärden."),
    ],
)
def test_bad_target_lines_are_refused_in_swedish(text, message):
    with pytest.raises(ValidationError) as excinfo:
        parse_targets(text)
    assert excinfo.value.messages[0].startswith(message)


@pytest.fixture
def coordinator_client(client, make_user):
    client.force_login(make_user("coordinator"))
    return client


def _indicator_post(**extra):
    return {"name": "Antal samråd", "kind": "quantitative", "source": "", "unit": "st"} | extra


def test_the_editor_saves_targets_and_audits_them(coordinator_client):
    plan = ActionPlanFactory()
    response = coordinator_client.post(
        _url("part-create", plan, "indikator"),
        _indicator_post(baseline="3", targets="2026: 10\n2025: 7,5"),
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get(plan=plan)
    assert list(indicator.targets.values_list("year", "value")) == [
        (2025, Decimal("7.50")),
        (2026, Decimal("10.00")),
    ]
    created = AuditEntry.objects.get(action="actionplans.indicator_create")
    assert created.changes["targets"] == [None, "2025: 7,5\n2026: 10"]

    edit = _url("part-edit", plan, "indikator", indicator.pk)
    assert "2025: 7,5\n2026: 10" in coordinator_client.get(edit).content.decode()
    response = coordinator_client.post(
        edit, _indicator_post(targets="2026: 12", lock_version=indicator.lock_version)
    )
    assert response.status_code == 302
    assert list(indicator.targets.values_list("year", "value")) == [(2026, Decimal("12.00"))]
    updated = AuditEntry.objects.get(action="actionplans.indicator_update")
    assert updated.changes["targets"] == ["2025: 7,5\n2026: 10", "2026: 12"]


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        ("2026: 10\n2026: 11", "Rad 2: år 2026 har redan ett målvärde."),
        ("２０２６: 10", "Rad 1: året ska vara ett heltal mellan 1990 och 2100."),
        ("2026: 99999999999999999999", "Rad 1: värdet är för stort"),
        ("1800: 10", "Rad 1: året ska vara ett heltal mellan 1990 och 2100."),
    ],
)
def test_bad_targets_in_the_editor_show_a_message_and_write_nothing(
    coordinator_client, targets, message
):
    plan = ActionPlanFactory()
    indicator = IndicatorFactory(plan=plan, name="Befintlig")
    IndicatorTarget.objects.create(indicator=indicator, year=2024, value=Decimal("1"))
    audits = AuditEntry.objects.count()
    response = coordinator_client.post(
        _url("part-edit", plan, "indikator", indicator.pk),
        _indicator_post(targets=targets, lock_version=indicator.lock_version),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.name == "Befintlig"
    assert list(indicator.targets.values_list("year", "value")) == [(2024, Decimal("1.00"))]
    assert AuditEntry.objects.count() == audits


def test_a_revision_copies_the_targets(make_user):
    plan = ActionPlanFactory(status="adopted")
    indicator = IndicatorFactory(plan=plan)
    IndicatorTarget.objects.create(indicator=indicator, year=2026, value=Decimal("9"))
    coordinator = make_user("coordinator", county_code=plan.county.code)
    revision = services.plan_revise(plan_id=plan.pk, actor=coordinator)
    copied = Indicator.objects.get(plan=revision)
    assert list(copied.targets.values_list("year", "value")) == [(2026, Decimal("9.00"))]
