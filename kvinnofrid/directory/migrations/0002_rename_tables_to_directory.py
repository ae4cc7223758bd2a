from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_county_and_organisation_from_agreements"),
        ("agreements", "0004_county_and_organisation_moved_to_directory"),
    ]

    operations = [
        migrations.AlterModelTable(name="county", table=None),
        migrations.AlterModelTable(name="organisation", table=None),
    ]
