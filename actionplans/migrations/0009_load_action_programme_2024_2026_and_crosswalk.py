"""Reference data: the government's action programme 2024–2026 (six målsättningar), the
crosswalk from the strategy 2017–2026's four goals to it, and every existing plan on 2017–2026.

Sources (read 2026-12-01): the six målsättningar as listed in Storasyster's summary of the
programme (storasyster.org, 2024-06) and, in English, the government's press release of
2024-06-24 ("Action programme against men's violence against women, domestic violence, and
honour-based violence and oppression …", six goals). The programme's exact Swedish title could
NOT be confirmed from a public source here: the title below is the Swedish rendering of the
government's English title (it names "våld i nära relationer"); check it against regeringen.se.
"""

import datetime
import importlib

from django.db import migrations

STRATEGY_2017 = "Nationell strategi för att förebygga och bekämpa mäns våld mot kvinnor"
PROGRAMME = (
    "Åtgärdsprogram för att förebygga och bekämpa mäns våld mot kvinnor, våld i nära "
    "relationer, hedersrelaterat våld och förtryck samt prostitution och människohandel "
    "2024–2026"
)
GOALS = [
    (
        1,
        "Övergripande åtgärder för en långsiktig och hållbar struktur för stöd, organisering "
        "och uppföljning",
        "Struktur, organisering och uppföljning",
    ),
    (
        2,
        "Tidiga och förebyggande insatser, med fokus på barn och unga och hedersrelaterat våld "
        "och förtryck",
        "Tidiga och förebyggande insatser",
    ),
    (3, "Återfallsförebyggande insatser med fokus på våldsutövare", "Återfallsförebyggande"),
    (
        4,
        "Förbättrad upptäckt av våld och starkare skydd och stöd till utsatta",
        "Upptäckt, skydd och stöd",
    ),
    (5, "Effektivare brottsbekämpning", "Effektivare brottsbekämpning"),
    (6, "Förbättrad kunskap och metodutveckling", "Kunskap och metodutveckling"),
]
# 2017–2026 goal → programme målsättningar. Preventive work (1) continues in early prevention
# (2) and in preventing relapse (3); the programme's structural målsättning (1) is new and has
# no predecessor.
CROSSWALK = {1: [2, 3], 2: [4], 3: [5], 4: [6]}


def load(apps, schema_editor):
    NationalStrategy = apps.get_model("actionplans", "NationalStrategy")
    NationalGoal = apps.get_model("actionplans", "NationalGoal")
    GoalCrosswalk = apps.get_model("actionplans", "GoalCrosswalk")
    ActionPlan = apps.get_model("actionplans", "ActionPlan")
    # the strategy 2017–2026 came in 0003; a test database flushed since gets it back here
    old, _ = NationalStrategy.objects.get_or_create(
        name=STRATEGY_2017,
        defaults={
            "valid_from": datetime.date(2017, 1, 1),
            "valid_until": datetime.date(2026, 12, 31),
        },
    )
    goals_2017 = importlib.import_module(
        "actionplans.migrations.0003_load_national_strategy_2017_2026"
    ).GOALS
    for number, title, short in goals_2017:
        NationalGoal.objects.get_or_create(
            strategy=old, number=number, defaults={"title": title, "short_title": short}
        )
    programme, _ = NationalStrategy.objects.get_or_create(
        name=PROGRAMME,
        defaults={
            "valid_from": datetime.date(2024, 1, 1),
            "valid_until": datetime.date(2026, 12, 31),
        },
    )
    for number, title, short in GOALS:
        NationalGoal.objects.update_or_create(
            strategy=programme, number=number, defaults={"title": title, "short_title": short}
        )
    for from_number, to_numbers in CROSSWALK.items():
        from_goal = NationalGoal.objects.get(strategy=old, number=from_number)
        for to_number in to_numbers:
            GoalCrosswalk.objects.get_or_create(
                from_goal=from_goal,
                to_goal=NationalGoal.objects.get(strategy=programme, number=to_number),
            )
    ActionPlan.objects.filter(strategy__isnull=True).update(strategy=old)


def unload(apps, schema_editor):
    """Remove the programme unless a plan or goal uses it. Rows are removed without Django's
    cascade collector, which trips over other apps' historical models when going back."""
    NationalStrategy = apps.get_model("actionplans", "NationalStrategy")
    NationalGoal = apps.get_model("actionplans", "NationalGoal")
    NationalSubGoal = apps.get_model("actionplans", "NationalSubGoal")
    GoalCrosswalk = apps.get_model("actionplans", "GoalCrosswalk")
    Goal = apps.get_model("actionplans", "Goal")
    ActionPlan = apps.get_model("actionplans", "ActionPlan")
    db = schema_editor.connection.alias
    programme = NationalStrategy.objects.filter(name=PROGRAMME).first()
    if programme is None or ActionPlan.objects.filter(strategy_id=programme.pk).exists():
        return
    goal_ids = list(NationalGoal.objects.filter(strategy_id=programme.pk).values_list("pk", flat=True))
    if Goal.national_goals.through.objects.filter(nationalgoal_id__in=goal_ids).exists():
        return
    GoalCrosswalk.objects.filter(from_goal_id__in=goal_ids)._raw_delete(db)
    GoalCrosswalk.objects.filter(to_goal_id__in=goal_ids)._raw_delete(db)
    NationalSubGoal.objects.filter(goal_id__in=goal_ids)._raw_delete(db)
    NationalGoal.objects.filter(pk__in=goal_ids)._raw_delete(db)
    NationalStrategy.objects.filter(pk=programme.pk)._raw_delete(db)


class Migration(migrations.Migration):
    dependencies = [("actionplans", "0008_strategy_frames_subgoals_crosswalk_expiry_notices")]
    operations = [migrations.RunPython(load, unload)]
