"""The report-back's content (återrapportering): one section per national goal, generated from
the county's plan and round, plus the coordinator's texts.

``report_back_data`` returns plain values (no model instances), so the same object feeds the
edit page, the PDF and the DOCX. Queries are fixed in number whatever the county's size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actionplans.models import ActionPlan, Goal, Indicator, IndicatorValue, NationalGoal
from agreements.models import Agreement
from followup.models import FollowUpRound, ReportedActivity
from followup.national.crosswalk import (
    national_goal_keys,
    reference_goals,
    reference_strategy_id,
)
from followup.national.models import ReportBack
from followup.selectors import SUBMITTED_STATUSES
from kvinnofrid.core.small_numbers import format_count, is_person_count, is_small
from kvinnofrid.directory.models import County, OrganisationKind

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class Example:
    organisation: str
    title: str


@dataclass(frozen=True)
class GoalPart:
    """One national goal's section."""

    key: str
    title: str
    regional_goals: list[str]
    activity_count: int
    by_kind: list[tuple[str, int]]
    examples: list[Example]
    generated_text: str
    text: str


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    value: str
    note: str


@dataclass(frozen=True)
class ReportBackData:
    county_code: str
    county_name: str
    board_name: str
    year: int
    title: str
    status: str
    frame: str
    plan_title: str
    plan_status: str
    plan_period: str
    agreement_line: str
    invited: int
    submitted: int
    percent: int | None
    previous_submitted: int | None
    previous_invited: int | None
    previous_percent: int | None
    response_line: str
    trend_line: str
    goals: list[GoalPart]
    indicators: list[IndicatorLine] = field(default_factory=list)


def _plan_for(county: County, year: int, round_: FollowUpRound | None) -> ActionPlan | None:
    if round_ is not None:
        return round_.plan
    plans = ActionPlan.objects.current().filter(county=county).select_related("strategy")
    covering = plans.filter(period_start__lte=year, period_end__gte=year)
    return covering.order_by("-version", "-id").first() or plans.order_by("-period_start").first()


def round_of(*, county: County, year: int) -> FollowUpRound | None:
    """The county's round for ``year`` (the newest plan version's if there are several)."""
    return (
        FollowUpRound.objects.filter(plan__county=county, year=year)
        .select_related("plan__strategy")
        .order_by("-plan__version", "-id")
        .first()
    )


def _response(round_: FollowUpRound | None, county: County, year: int) -> dict[str, Any]:
    """Invited and submitted this year and the year before (two queries)."""
    figures: dict[str, Any] = {"invited": 0, "submitted": 0, "prev_invited": None, "prev": None}
    if round_ is not None:
        statuses = list(round_.submissions.values_list("status", flat=True))
        figures["invited"] = len(statuses)
        figures["submitted"] = sum(1 for s in statuses if s in SUBMITTED_STATUSES)
    previous = round_of(county=county, year=year - 1)
    if previous is not None:
        statuses = list(previous.submissions.values_list("status", flat=True))
        figures["prev_invited"] = len(statuses)
        figures["prev"] = sum(1 for s in statuses if s in SUBMITTED_STATUSES)
    return figures


def _percent(part: int | None, whole: int | None) -> int | None:
    return round(100 * part / whole) if whole and part is not None else None


def _agreement_line(county: County, year: int) -> str:
    agreement = (
        Agreement.objects.filter(county=county)
        .only("title", "signed_on", "valid_from", "valid_until")
        .order_by("-valid_from", "-id")
        .first()
    )
    if agreement is None:
        return _("Länet har ingen regional överenskommelse registrerad.")
    if agreement.valid_until:
        return _("%(title)s: %(status)s, gäller till och med %(date)s.") % {
            "title": agreement.title,
            "status": str(agreement.get_status_display()).lower(),
            "date": date_format(agreement.valid_until, "j F Y"),
        }
    return _("%(title)s: %(status)s, utan slutdatum.") % {
        "title": agreement.title,
        "status": str(agreement.get_status_display()).lower(),
    }


def _frame_id(plan: ActionPlan | None, year: int) -> int | None:
    """The frame the report-back's sections follow: the plan's, else the year's reference."""
    if plan is not None and plan.strategy_id:
        return plan.strategy_id
    return reference_strategy_id(year)


def _frame_goals(plan: ActionPlan | None, year: int) -> list[tuple[str, str]]:
    """(key, full title) of the national goals the report-back has a section for: the plan's
    frame's goals, else the goals of the frame in force that year."""
    if plan is not None and plan.strategy_id:
        return [
            (str(number), title)
            for number, title in NationalGoal.objects.filter(strategy_id=plan.strategy_id)
            .order_by("number")
            .values_list("number", "title")
        ]
    return [(key, title) for key, _short, title in reference_goals(year=year)]


def _generated_text(key: str, count: int, regional: list[str], year: int) -> str:
    if not count:
        return _("Inga aktiviteter som bidrar till målsättningen rapporterades för %(year)d.") % {
            "year": year
        }
    return ngettext(
        "Under %(year)d rapporterade aktörerna i länet %(count)d aktivitet som bidrar till "
        "målsättningen, inom de regionala målen %(goals)s.",
        "Under %(year)d rapporterade aktörerna i länet %(count)d aktiviteter som bidrar till "
        "målsättningen, inom de regionala målen %(goals)s.",
        count,
    ) % {"year": year, "count": count, "goals": ", ".join(regional) or "–"}


def _goal_parts(
    plan: ActionPlan | None, round_: FollowUpRound | None, year: int, texts: dict[str, str]
) -> list[GoalPart]:
    frame = _frame_goals(plan, year)
    regional: dict[str, list[str]] = defaultdict(list)
    if plan is not None:
        goal_rows = list(
            Goal.national_goals.through.objects.filter(goal__plan=plan)
            .order_by("goal__order", "goal__number", "goal_id")
            .values_list("goal__number", "nationalgoal_id")
        )
        goal_keys = national_goal_keys(
            goal_ids={ng for _n, ng in goal_rows}, reference=_frame_id(plan, year)
        )
        for number, ng in goal_rows:
            for key in goal_keys.get(ng, []):
                label = _("mål %(n)d") % {"n": number}
                if label not in regional[key]:
                    regional[key].append(label)
    activities: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    if round_ is not None:
        activity_rows: list[Any] = list(
            ReportedActivity.objects.filter(
                submission__round=round_,
                submission__status__in=SUBMITTED_STATUSES,
                sub_goals__goal__national_goals__isnull=False,
            )
            .values(
                "pk",
                "title",
                "highlighted",
                "highlight_order",
                "submission__organisation__name",
                "submission__organisation__kind",
                "sub_goals__goal__national_goals",
            )
            .order_by("highlight_order", "pk")
            .distinct()
        )
        keys = national_goal_keys(
            goal_ids={r["sub_goals__goal__national_goals"] for r in activity_rows},
            reference=_frame_id(plan, year),
        )
        for row in activity_rows:
            for key in keys.get(row["sub_goals__goal__national_goals"], []):
                activities[key].setdefault(row["pk"], row)
    kinds = dict(OrganisationKind.choices)
    order = list(kinds)
    parts = []
    for key, title in frame:
        found = list(activities.get(key, {}).values())
        counts: dict[str, int] = defaultdict(int)
        for row in found:
            counts[row["submission__organisation__kind"]] += 1
        by_kind = [
            (str(kinds.get(k, k)), n)
            for k, n in sorted(counts.items(), key=lambda kv: order.index(kv[0]))
        ]
        examples = [
            Example(organisation=r["submission__organisation__name"], title=r["title"])
            for r in sorted(found, key=lambda r: (r["highlight_order"], r["pk"]))
            if r["highlighted"]
        ][:MAX_EXAMPLES]
        generated = _generated_text(key, len(found), regional.get(key, []), year)
        parts.append(
            GoalPart(
                key=key,
                title=title,
                regional_goals=regional.get(key, []),
                activity_count=len(found),
                by_kind=by_kind,
                examples=examples,
                generated_text=generated,
                text=texts.get(key) or generated,
            )
        )
    return parts


def _indicators(plan: ActionPlan | None, year: int) -> list[IndicatorLine]:
    """The plan's quantitative indicators with the year's county value (or the sum of the
    organisations'); counts of persons below the threshold as "färre än 5". Two queries."""
    if plan is None:
        return []
    indicators = list(
        Indicator.objects.filter(plan=plan, kind=Indicator.Kind.QUANTITATIVE).order_by(
            "order", "id"
        )
    )
    values: dict[int, dict[str, Any]] = {}
    rows = IndicatorValue.objects.filter(indicator__in=indicators, year=year).values_list(
        "indicator_id", "organisation_id", "value"
    )
    for indicator_id, organisation_id, amount in rows:
        totals = values.setdefault(indicator_id, {"county": None, "sum": 0, "n": 0})
        if organisation_id is None:
            totals["county"] = amount
        else:
            totals["sum"] += amount
            totals["n"] += 1
    lines = []
    for indicator in indicators:
        entry = values.get(indicator.pk)
        value = None
        if entry is not None:
            value = entry["county"] if entry["county"] is not None else entry["sum"]
        persons = is_person_count(unit=indicator.unit, name=indicator.name)
        shown = format_count(value, is_person_count=persons)
        if value is not None and indicator.unit and not (persons and is_small(value)):
            shown = f"{shown} {indicator.unit}"
        note = ""
        if entry and entry["county"] is None:
            note = _("summa av %(n)d aktörers värden") % {"n": entry["n"]}
        lines.append(IndicatorLine(name=indicator.name, value=shown, note=note))
    return lines


def report_back_data(
    *, county: County, year: int, report_back: ReportBack | None = None
) -> ReportBackData:
    """Everything the report-back shows for ``county`` and ``year``, with the coordinator's
    texts from ``report_back`` where written (generated texts elsewhere)."""
    round_ = report_back.round if report_back and report_back.round_id else None
    round_ = round_ or round_of(county=county, year=year)
    plan = _plan_for(county, year, round_)
    figures = _response(round_, county, year)
    percent = _percent(figures["submitted"], figures["invited"])
    prev_percent = _percent(figures["prev"], figures["prev_invited"])
    if round_ is None:
        response_line = _("Länet hade ingen uppföljning för %(year)d.") % {"year": year}
    else:
        response_line = _(
            "%(submitted)d av %(invited)d inbjudna aktörer svarade på uppföljningen för "
            "%(year)d, %(percent)d %%."
        ) % {
            "submitted": figures["submitted"],
            "invited": figures["invited"],
            "year": year,
            "percent": percent or 0,
        }
    if figures["prev"] is None:
        trend_line = _("Det finns ingen uppföljning för %(year)d att jämföra med.") % {
            "year": year - 1
        }
    else:
        change = (percent or 0) - (prev_percent or 0)
        trend_line = _(
            "Året innan (%(year)d) svarade %(submitted)d av %(invited)d, %(percent)d %%: "
            "%(change)s."
        ) % {
            "year": year - 1,
            "submitted": figures["prev"],
            "invited": figures["prev_invited"],
            "percent": prev_percent or 0,
            "change": (
                _("en ökning med %(n)d procentenheter") % {"n": change}
                if change > 0
                else _("en minskning med %(n)d procentenheter") % {"n": -change}
                if change < 0
                else _("oförändrad svarsfrekvens")
            ),
        }
    texts = dict(report_back.texts) if report_back else {}
    return ReportBackData(
        county_code=county.code,
        county_name=county.name,
        board_name=county.board_name,
        year=year,
        title=_("Återrapportering %(year)d – %(county)s") % {"year": year, "county": county.name},
        status=report_back.status if report_back else ReportBack.Status.DRAFT,
        frame=plan.strategy.name if plan is not None and plan.strategy else "",
        plan_title=plan.title if plan else "",
        plan_status=str(plan.get_status_display()) if plan else "",
        plan_period=f"{plan.period_start}–{plan.period_end}" if plan else "",
        agreement_line=_agreement_line(county, year),
        invited=figures["invited"],
        submitted=figures["submitted"],
        percent=percent,
        previous_submitted=figures["prev"],
        previous_invited=figures["prev_invited"],
        previous_percent=prev_percent,
        response_line=response_line,
        trend_line=trend_line,
        goals=_goal_parts(plan, round_, year, texts),
        indicators=_indicators(plan, year),
    )


def generated_on() -> str:
    return date_format(timezone.localdate(), "j F Y")
