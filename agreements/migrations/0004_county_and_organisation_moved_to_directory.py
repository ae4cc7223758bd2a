"""Agreements and parties point at the directory's models; County and Organisation leave agreements.

State only: the foreign keys keep their columns and constraints; they now name the models in
their new app (``directory``), whose tables are the same rows.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0003_order_by_parent_id_without_joins"),
        ("accounts", "0003_membership_points_at_directory"),
        ("actionplans", "0006_plans_point_at_directory"),
        ("followup", "0004_rounds_point_at_directory"),
        ("directory", "0001_county_and_organisation_from_agreements"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="agreement",
                    name="county",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="agreements", to="directory.county", verbose_name="län"),
                ),
                migrations.AlterField(
                    model_name="party",
                    name="organisation",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="parties", to="directory.organisation", verbose_name="organisation"),
                ),
                migrations.DeleteModel(name="Organisation"),
                migrations.DeleteModel(name="County"),
            ],
        ),
    ]
