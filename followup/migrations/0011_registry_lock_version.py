from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0010_final_report_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="registry",
            name="lock_version",
            field=models.PositiveIntegerField(default=0, verbose_name="version för låsning"),
        ),
    ]
