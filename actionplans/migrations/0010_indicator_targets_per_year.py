"""Indicators get targets per year (issue 15 item 5): the single ``target``/``target_year`` of an
indicator becomes one IndicatorTarget row, then the two fields go.

A target without a year is given the last year of its plan's period (the year a plan's targets
are meant for when it names none). Reversing keeps each indicator's latest target.
"""

import django.db.models.deletion
from django.db import migrations, models


def targets_to_rows(apps, schema_editor):
    Indicator = apps.get_model("actionplans", "Indicator")
    IndicatorTarget = apps.get_model("actionplans", "IndicatorTarget")
    rows = [
        IndicatorTarget(
            indicator_id=indicator.pk,
            year=indicator.target_year or indicator.plan.period_end,
            value=indicator.target,
        )
        for indicator in Indicator.objects.filter(target__isnull=False).select_related("plan")
    ]
    IndicatorTarget.objects.bulk_create(rows, batch_size=500)


def rows_to_targets(apps, schema_editor):
    Indicator = apps.get_model("actionplans", "Indicator")
    IndicatorTarget = apps.get_model("actionplans", "IndicatorTarget")
    latest = {}
    for target in IndicatorTarget.objects.order_by("indicator_id", "year"):
        latest[target.indicator_id] = target
    for indicator_id, target in latest.items():
        Indicator.objects.filter(pk=indicator_id).update(
            target=target.value, target_year=target.year
        )


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0009_load_action_programme_2024_2026_and_crosswalk"),
    ]

    operations = [
        migrations.CreateModel(
            name="IndicatorTarget",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="år")),
                (
                    "value",
                    models.DecimalField(decimal_places=2, max_digits=14, verbose_name="målvärde"),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="targets",
                        to="actionplans.indicator",
                        verbose_name="indikator",
                    ),
                ),
            ],
            options={
                "verbose_name": "målvärde för år",
                "verbose_name_plural": "målvärden per år",
                "ordering": ["indicator_id", "year"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("indicator", "year"),
                        name="indicatortarget_unique_per_year",
                        violation_error_message="Det finns redan ett målvärde för året.",
                    )
                ],
            },
        ),
        migrations.RunPython(targets_to_rows, rows_to_targets),
        migrations.RemoveField(model_name="indicator", name="target"),
        migrations.RemoveField(model_name="indicator", name="target_year"),
    ]
