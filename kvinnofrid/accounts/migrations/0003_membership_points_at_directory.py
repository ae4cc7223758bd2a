"""Memberships point at Organisation in its new app.

State only: the foreign keys keep their columns and constraints; they now name the models in
their new app (``directory``), whose tables are the same rows.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_membership_organisation"),
        ("directory", "0001_county_and_organisation_from_agreements"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="membership",
                    name="organisation",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="directory.organisation", verbose_name="organisation"),
                ),
            ],
        ),
    ]
