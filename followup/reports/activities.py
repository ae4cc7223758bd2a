"""The activities of the lägesrapport: where each submitted activity is shown.

Each goal chapter lists the activities the coordinator highlighted under that goal (an activity
serving several goals may be highlighted under each of them); when nothing is highlighted at all,
each chapter lists every activity of its goal (by the activity's first delmål). The appendix lists
every other submitted activity, so each one is in the report. Identical activities of several
actors (the same title and description once case, spacing and end punctuation are ignored) are
one item carrying all the actors' names.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from followup.models import ReportedActivity
from followup.personal_data import scan_text
from followup.reports.data import ActivityGroup, ActivityItem

if TYPE_CHECKING:
    from followup.reports.sections import Material


@dataclass
class Coverage:
    """Which actor kinds reported activities on each delmål (one count per submission), the
    activities each goal chapter lists and the appendix of the others."""

    covered_by: dict[int, dict[str, set[int]]]
    goal_activities: dict[int, list[ActivityItem]]
    other_activities: list[ActivityGroup]


def normalised(text: str) -> str:
    """``text`` compared without case, repeated spaces or end punctuation."""
    return re.sub(r"\s+", " ", (text or "").casefold()).strip().rstrip(".!;:,").strip()


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s och %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def merged(activities: list[ReportedActivity], *, withhold: bool = False) -> list[ActivityItem]:
    """One item per distinct activity, in the order of first appearance, naming every actor
    that reported it. ``withhold`` blanks texts that look like personal data (the appendix)."""
    groups: dict[tuple[str, str], list[ReportedActivity]] = {}
    for act in activities:
        groups.setdefault((normalised(act.title), normalised(act.description)), []).append(act)
    items = []
    for acts in groups.values():
        names = list(dict.fromkeys(a.submission.organisation.name for a in acts))
        first = acts[0]
        hidden = withhold and bool(scan_text(first.title) or scan_text(first.description))
        items.append(
            ActivityItem(
                id=first.pk,
                organisation=join_names(names),
                title="" if hidden else first.title,
                description="" if hidden else first.description,
                status=str(first.get_status_display()),
                organisations=names,
                ids=[a.pk for a in acts],
                withheld=hidden,
            )
        )
    return items


def highlight_positions(act: ReportedActivity, first_goal: int | None) -> dict[int, int]:
    """Goal id → position of ``act``'s highlights. An activity flagged ``highlighted`` without
    per-goal rows (written by an older loader) counts as highlighted under its first goal."""
    rows = {h.goal_id: h.order for h in act.goal_highlights.all()}
    if not rows and act.highlighted and first_goal is not None:
        rows = {first_goal: act.highlight_order}
    return rows


def activity_coverage(material: "Material") -> Coverage:
    """Place each submitted activity on its delmål, its highlighted goal chapters and, when it
    is highlighted nowhere, the appendix."""
    sub_goal_goal: dict[int, int] = {}
    rank: dict[int, tuple[int, int]] = {}
    for gi, goal in enumerate(material.goals):
        for si, sg in enumerate(goal.sub_goals.all()):
            sub_goal_goal[sg.pk] = goal.pk
            rank[sg.pk] = (gi, si)
    covered_by: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    served: dict[int, list[int]] = {}
    positions: dict[int, dict[int, int]] = {}
    for act in material.activities:
        sg_ids = sorted(
            (sg.pk for sg in act.sub_goals.all() if sg.pk in rank), key=lambda pk: rank[pk]
        )
        for pk in sg_ids:
            covered_by[pk][act.submission.organisation.kind].add(act.submission_id)
        served[act.pk] = list(dict.fromkeys(sub_goal_goal[pk] for pk in sg_ids))
        goals = served[act.pk]
        positions[act.pk] = {
            g: p
            for g, p in highlight_positions(act, goals[0] if goals else None).items()
            if g in goals
        }
    any_highlighted = any(positions.values())
    per_goal: dict[int, list[tuple[int, int, ReportedActivity]]] = defaultdict(list)
    others: dict[int | None, list[ReportedActivity]] = defaultdict(list)
    for i, act in enumerate(material.activities):
        goals = served[act.pk]
        if any_highlighted:
            for goal_id, position in positions[act.pk].items():
                per_goal[goal_id].append((position, i, act))
            if not positions[act.pk]:
                others[goals[0] if goals else None].append(act)
        elif goals:
            per_goal[goals[0]].append((0, i, act))
        else:
            others[None].append(act)
    goal_activities = {
        goal_id: merged([act for _p, _i, act in sorted(rows, key=lambda r: r[:2])])
        for goal_id, rows in per_goal.items()
    }
    return Coverage(
        covered_by=covered_by,
        goal_activities=goal_activities,
        other_activities=_appendix_groups(material, others),
    )


def _appendix_groups(
    material: "Material", others: dict[int | None, list[ReportedActivity]]
) -> list[ActivityGroup]:
    """The activities highlighted nowhere, grouped under the goal of their first delmål."""
    groups = [
        ActivityGroup(
            heading=_("Mål %(n)s – %(title)s") % {"n": goal.number, "title": goal.title},
            items=merged(others[goal.pk], withhold=True),
        )
        for goal in material.goals
        if others.get(goal.pk)
    ]
    if others.get(None):
        groups.append(
            ActivityGroup(
                heading=_("Aktiviteter utan delmål i handlingsplanen"),
                items=merged(others[None], withhold=True),
            )
        )
    return groups
