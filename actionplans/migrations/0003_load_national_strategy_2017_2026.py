"""Reference data: the national strategy 2017–2026 against men's violence against women."""

from django.db import migrations

STRATEGY = "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"
GOALS = [
    (1, "Ett utökat och verkningsfullt förebyggande arbete mot våld", "Förebyggande arbete"),
    (
        2,
        "Förbättrad upptäckt av våld samt starkare skydd och stöd för våldsutsatta kvinnor och barn",
        "Upptäckt, skydd och stöd",
    ),
    (3, "Effektivare brottsbekämpning", "Effektivare brottsbekämpning"),
    (4, "Förbättrad kunskap och metodutveckling", "Kunskap och metodutveckling"),
]


def load(apps, schema_editor):
    NationalStrategy = apps.get_model("actionplans", "NationalStrategy")
    NationalGoal = apps.get_model("actionplans", "NationalGoal")
    strategy, _ = NationalStrategy.objects.get_or_create(
        name=STRATEGY, valid_from=2017, defaults={"valid_until": 2026}
    )
    for number, title, short in GOALS:
        NationalGoal.objects.update_or_create(
            strategy=strategy, number=number, defaults={"title": title, "short_title": short}
        )


def unload(apps, schema_editor):
    NationalStrategy = apps.get_model("actionplans", "NationalStrategy")
    NationalStrategy.objects.filter(name=STRATEGY, valid_from=2017, plans__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0002_plan_links_to_counties_and_organisations")]
    operations = [migrations.RunPython(load, unload)]
