"""A strategy frame's period becomes two ISO dates (1 January / 31 December of the old years)."""

import datetime

from django.db import migrations, models


def years_to_dates(apps, schema_editor):
    NationalStrategy = apps.get_model("actionplans", "NationalStrategy")
    for strategy in NationalStrategy.objects.all():
        strategy.starts_on = datetime.date(strategy.valid_from, 1, 1)
        strategy.ends_on = datetime.date(strategy.valid_until, 12, 31)
        strategy.save(update_fields=["starts_on", "ends_on"])


def dates_to_years(apps, schema_editor):
    NationalStrategy = apps.get_model("actionplans", "NationalStrategy")
    for strategy in NationalStrategy.objects.all():
        strategy.valid_from = strategy.starts_on.year
        strategy.valid_until = strategy.ends_on.year
        strategy.save(update_fields=["valid_from", "valid_until"])


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0006_plans_point_at_directory")]

    operations = [
        migrations.AddField(
            "nationalstrategy", "starts_on", models.DateField(null=True, blank=True)
        ),
        migrations.AddField("nationalstrategy", "ends_on", models.DateField(null=True, blank=True)),
        # reversible: the year columns come back (nullable) before the dates are copied back
        migrations.AlterField(
            "nationalstrategy", "valid_from", models.PositiveSmallIntegerField(null=True)
        ),
        migrations.AlterField(
            "nationalstrategy", "valid_until", models.PositiveSmallIntegerField(null=True)
        ),
        migrations.RunPython(years_to_dates, dates_to_years),
        migrations.RemoveField("nationalstrategy", "valid_from"),
        migrations.RemoveField("nationalstrategy", "valid_until"),
        migrations.RenameField("nationalstrategy", "starts_on", "valid_from"),
        migrations.RenameField("nationalstrategy", "ends_on", "valid_until"),
        migrations.AlterField(
            "nationalstrategy", "valid_from", models.DateField(verbose_name="gäller från")
        ),
        migrations.AlterField(
            "nationalstrategy",
            "valid_until",
            models.DateField(verbose_name="gäller till och med"),
        ),
    ]
