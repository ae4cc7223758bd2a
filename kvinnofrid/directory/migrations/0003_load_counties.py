"""Reference data: Sweden's 21 counties (län) with code, letter and county board.

Idempotent: databases that loaded them in ``agreements.0002_load_counties`` (before County moved
here) keep their rows, and the test suite calls ``load`` again after a flush.
"""

from django.db import migrations

COUNTIES = [
    ("01", "AB", "Stockholms län", "Länsstyrelsen Stockholm"),
    ("03", "C", "Uppsala län", "Länsstyrelsen Uppsala län"),
    ("04", "D", "Södermanlands län", "Länsstyrelsen Södermanlands län"),
    ("05", "E", "Östergötlands län", "Länsstyrelsen Östergötland"),
    ("06", "F", "Jönköpings län", "Länsstyrelsen i Jönköpings län"),
    ("07", "G", "Kronobergs län", "Länsstyrelsen Kronoberg"),
    ("08", "H", "Kalmar län", "Länsstyrelsen i Kalmar län"),
    ("09", "I", "Gotlands län", "Länsstyrelsen i Gotlands län"),
    ("10", "K", "Blekinge län", "Länsstyrelsen Blekinge"),
    ("12", "M", "Skåne län", "Länsstyrelsen Skåne"),
    ("13", "N", "Hallands län", "Länsstyrelsen Halland"),
    ("14", "O", "Västra Götalands län", "Länsstyrelsen Västra Götaland"),
    ("17", "S", "Värmlands län", "Länsstyrelsen Värmland"),
    ("18", "T", "Örebro län", "Länsstyrelsen Örebro län"),
    ("19", "U", "Västmanlands län", "Länsstyrelsen Västmanland"),
    ("20", "W", "Dalarnas län", "Länsstyrelsen Dalarna"),
    ("21", "X", "Gävleborgs län", "Länsstyrelsen Gävleborg"),
    ("22", "Y", "Västernorrlands län", "Länsstyrelsen Västernorrland"),
    ("23", "Z", "Jämtlands län", "Länsstyrelsen Jämtlands län"),
    ("24", "AC", "Västerbottens län", "Länsstyrelsen Västerbotten"),
    ("25", "BD", "Norrbottens län", "Länsstyrelsen Norrbotten"),
]


def load(apps, schema_editor):
    County = apps.get_model("directory", "County")
    for code, letter, name, board in COUNTIES:
        County.objects.update_or_create(
            code=code, defaults={"letter": letter, "name": name, "board_name": board}
        )


def unload(apps, schema_editor):
    apps.get_model("directory", "County").objects.filter(
        code__in=[c[0] for c in COUNTIES], organisations__isnull=True, agreements__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_rename_tables_to_directory")]
    operations = [migrations.RunPython(load, unload)]
