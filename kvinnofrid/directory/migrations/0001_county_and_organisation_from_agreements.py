"""County and Organisation move here from agreements (the bottom of the dependency direction).

State only: the tables stay where they are in this step (``agreements_county`` and
``agreements_organisation``) and are renamed in the next migration; the content types move with
the models, so audit entries keep pointing at the same rows.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("county", "organisation"):
        if not ContentType.objects.filter(app_label="directory", model=model).exists():
            ContentType.objects.filter(app_label="agreements", model=model).update(
                app_label="directory"
            )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="directory", model__in=["county", "organisation"]).update(
        app_label="agreements"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("agreements", "0003_order_by_parent_id_without_joins"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='County',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(max_length=2, unique=True, verbose_name='länskod')),
                    ('letter', models.CharField(max_length=2, unique=True, verbose_name='länsbokstav')),
                    ('name', models.CharField(max_length=100, unique=True, verbose_name='namn')),
                    ('board_name', models.CharField(max_length=100, verbose_name='länsstyrelse')),
                ],
                options={
                    'verbose_name': 'län',
                    'verbose_name_plural': 'län',
                    'ordering': ['code'],
                    'db_table': 'agreements_county',
                },
            ),
            migrations.CreateModel(
                name='Organisation',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='ändrad')),
                    ('name', models.CharField(max_length=200, verbose_name='namn')),
                    ('kind', models.CharField(choices=[('kommun', 'Kommun'), ('region', 'Region'), ('lansstyrelse', 'Länsstyrelse'), ('polis', 'Polismyndigheten'), ('aklagare', 'Åklagarmyndigheten'), ('forsakringskassan', 'Försäkringskassan'), ('arbetsformedlingen', 'Arbetsförmedlingen'), ('kriminalvarden', 'Kriminalvården'), ('kvinnojour', 'Kvinnojour/tjejjour'), ('brottsofferjour', 'Brottsofferjour'), ('ideell', 'Annan ideell organisation'), ('trossamfund', 'Trossamfund'), ('larosate', 'Lärosäte'), ('kommunforbund', 'Kommunförbund/nätverk'), ('myndighet', 'Annan myndighet'), ('annan', 'Annan')], max_length=30, verbose_name='typ av aktör')),
                    ('municipality_code', models.CharField(blank=True, max_length=4, verbose_name='kommunkod')),
                    ('email', models.EmailField(blank=True, max_length=254, verbose_name='funktionsadress')),
                    ('active_from', models.DateField(blank=True, null=True, verbose_name='aktiv från')),
                    ('active_until', models.DateField(blank=True, null=True, verbose_name='aktiv till')),
                    ('county', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='directory.county', verbose_name='län')),
                ],
                options={
                    'verbose_name': 'organisation',
                    'verbose_name_plural': 'organisationer',
                    'ordering': ['county__code', 'name'],
                    'db_table': 'agreements_organisation',
                    'constraints': [models.UniqueConstraint(fields=('county', 'name'), name='organisation_unique_name'), models.UniqueConstraint(condition=models.Q(('municipality_code', ''), _negated=True), fields=('municipality_code',), name='organisation_unique_municipality_code'), models.CheckConstraint(condition=models.Q(('active_from__isnull', True), ('active_until__isnull', True), ('active_until__gte', models.F('active_from')), _connector='OR'), name='organisation_active_range')],
                },
            ),            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
