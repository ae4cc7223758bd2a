"""Rounds and submissions point at Organisation in its new app.

State only: the foreign keys keep their columns and constraints; they now name the models in
their new app (``directory``), whose tables are the same rows.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_question_updated_at_for_form_cache_key"),
        ("directory", "0001_county_and_organisation_from_agreements"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="followupround",
                    name="invited_organisations",
                    field=models.ManyToManyField(blank=True, related_name="invited_rounds", to="directory.organisation", verbose_name="inbjudna aktörer"),
                ),
                migrations.AlterField(
                    model_name="submission",
                    name="organisation",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="submissions", to="directory.organisation", verbose_name="organisation"),
                ),
            ],
        ),
    ]
