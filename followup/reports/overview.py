"""The report's "Regional uppföljning för {år}" (each regional goal with the national goals it
serves, and the regional resources with their analysis under a heading of its own) and the
county logo of the cover."""

import base64
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from actionplans.models import Goal
from followup.reports.data import GoalOverviewRow, NationalGoalRef

if TYPE_CHECKING:
    from followup.reports.sections import Material

# The line that starts the analysis of the regional resources, as the seed writes it (a Markdown
# heading mark in front is accepted too): what follows it is printed under a real heading.
# a Markdown footnote definition "[^1]: text" with its indented continuation lines
_FOOTNOTE_DEFINITION = re.compile(r"^\[\^[^\]\n]+\]:.*(?:\n(?: {2,}|\t).*)*", re.MULTILINE)
_RESOURCES_ANALYSIS = re.compile(
    r"^[ \t]*#*[ \t]*analys och förbättringsområden[ \t]*[–-][ \t]*regionala resurser[ \t:]*$",
    re.IGNORECASE | re.MULTILINE,
)


def split_resources_analysis(text: str) -> tuple[str, str]:
    """``text`` before and after its "Analys och förbättringsområden – regionala resurser"
    line; the analysis is empty when the line is missing."""
    found = _RESOURCES_ANALYSIS.search(text or "")
    if found is None:
        return text or "", ""
    before, after = text[: found.start()].rstrip(), text[found.end() :].strip()
    # A footnote may be defined in the other half than its reference: both halves get every
    # definition, and each renders only the ones it refers to.
    notes = "\n\n".join(m.group(0).strip() for m in _FOOTNOTE_DEFINITION.finditer(text))
    if notes:
        before = _FOOTNOTE_DEFINITION.sub("", before).rstrip() + "\n\n" + notes
        after = _FOOTNOTE_DEFINITION.sub("", after).strip() + "\n\n" + notes
    return before, after


def overview_section(material: "Material") -> dict[str, Any]:
    """The goal overview and the cover's logo (one query for the national goals)."""
    national: dict[int, list[NationalGoalRef]] = defaultdict(list)
    links = (
        Goal.national_goals.through.objects.filter(goal__plan=material.plan)
        .order_by("nationalgoal__number", "nationalgoal_id")
        .values_list("goal_id", "nationalgoal__number", "nationalgoal__title")
    )
    for goal_id, number, title in links:
        national[goal_id].append(NationalGoalRef(number=number, title=title.strip()))
    return {
        "goal_overview": [
            GoalOverviewRow(
                number=goal.number,
                title=goal.title,
                anchor=f"mal-{goal.number}-{goal.pk}",
                national_goals=national.get(goal.pk, []),
            )
            for goal in material.goals
        ],
        "logo_data_uri": logo_data_uri(material.county),
    }


def logo_data_uri(county: Any) -> str:
    """The county's stored (validated) logo as a data: URI the PDF renderer may load, or ""."""
    logo = getattr(county, "logo", None)
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    mime = "image/png" if content.startswith(b"\x89PNG\r\n\x1a\n") else "image/svg+xml"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
