"""Plans, planned activities and indicator values point at the directory's models.

State only: the foreign keys keep their columns and constraints; they now name the models in
their new app (``directory``), whose tables are the same rows.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actionplans", "0005_order_by_parent_id_without_joins"),
        ("directory", "0001_county_and_organisation_from_agreements"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="actionplan",
                    name="county",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="plans", to="directory.county", verbose_name="län"),
                ),
                migrations.AlterField(
                    model_name="indicatorvalue",
                    name="organisation",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="indicator_values", to="directory.organisation", verbose_name="organisation"),
                ),
                migrations.AlterField(
                    model_name="plannedactivity",
                    name="responsible",
                    field=models.ManyToManyField(blank=True, related_name="planned_activities", to="directory.organisation", verbose_name="ansvariga"),
                ),
            ],
        ),
    ]
