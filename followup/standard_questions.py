"""The standard questions every follow-up round starts with (DESIGN §4, followup ``Question``).

One place for the list: round creation copies it in (keys stay stable, texts may be edited per
round), and ``load_demo`` uses it for the seeded rounds.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

STANDARD_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "own_plan",
        "text": _(
            "Har er organisation en egen handlingsplan eller ett eget styrdokument som är "
            "kopplat till den regionala strategin eller handlingsplanen? Beskriv hur det ser ut."
        ),
        "help_text": _(
            "Till exempel en egen handlingsplan, mål i verksamhetsplanen eller en riktlinje. "
            "Ange gärna på vilken nivå dokumentet är antaget och vilka delar av organisationen "
            "det omfattar."
        ),
        "kind": "text",
        "required": True,
        "order": 1,
    },
    {
        "key": "worked_well",
        "text": _("Vad har fungerat bra i arbetet med målen under året?"),
        "help_text": _("Beskriv gärna framgångsfaktorer som andra aktörer kan lära av."),
        "kind": "text",
        "required": False,
        "order": 2,
    },
    {
        "key": "challenges",
        "text": _("Vilka utmaningar har ni mött i arbetet under året?"),
        "help_text": "",
        "kind": "text",
        "required": False,
        "order": 3,
    },
    {
        "key": "support",
        "text": _("Vilket stöd önskar ni från Länsstyrelsen?"),
        "help_text": _("Till exempel processtöd, utbildning, nätverksträffar eller material."),
        "kind": "text",
        "required": False,
        "order": 4,
    },
]
