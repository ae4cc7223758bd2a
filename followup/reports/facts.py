"""Facts, never retyped: the round's year and response figures as placeholders in report texts.

A coordinator writes ``{år}``, ``{antal_svar}`` … in any report text or goal analysis; they are
filled in at render (``apply_facts``), as plain text, before any Markdown rendering. A new report
starts from the county's last final report with that report's own facts turned back into
placeholders (``to_placeholders``, conservative: whole years and whole counts next to the words
they count). ``fact_checks`` lists the years and numbers typed into the texts that contradict the
round's facts, shown before a build and before "Fastställ".
"""

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Field
from django.utils.translation import gettext as _

from actionplans.models import Goal
from followup.models import FollowUpRound, GoalAnalysis, StatusReport
from followup.reports.data import ReportData
from followup.selectors import round_summary

# The report's own text fields that may hold placeholders (signatures and dates do not).
FACT_TEXT_FIELDS = (
    "title",
    "introduction",
    "method_text",
    "usage_text",
    "resources_text",
    "strategy_work_text",
    "closing_words",
)

# "jämfört med 2021", "fler än 2021", "lika många som år 2021": the year before as a comparison
COMPARED_RE = re.compile(r"\b(?:jämfört med|jämförelse med|än|mot|som)\s+(?:år\s+)?\Z", re.I)
# "under 2023", "inför 2023": the year after as what comes next (not "till och med 2023")
COMING_RE = re.compile(r"\b(?:under|inför)\s+(?:år\s+)?\Z", re.I)
PLACEHOLDER_RE = re.compile(r"\{([a-zåäö_]+)\}")
# A whole four-digit year, not part of a range ("2021–2023"), a number ("SFS 2022:123"), a path
# or a placeholder.
YEAR_RE = re.compile(r"(?<![\w{/:.–-])(?<![–-]\s)((?:19|20)\d\d)(?![\w}/]|[:.,]\d|\s?[–-]\s?\d)")
COUNT = r"(?<![\w{.,])(\d{1,4})(?![\d}]|[.,]\d)"
SUBMITTED_RES = (
    re.compile(COUNT + r"(\s+(?:inkomna\s+|inskickade\s+)?(?:yttranden|yttrande|svar)\b)", re.I),
    re.compile(r"(\bsvarade\s+(?:totalt\s+)?)" + COUNT + r"(?=\s+aktör)", re.I),
    re.compile(COUNT + r"(\s+aktörer\s+(?:har\s+)?(?:svarat|svarade|skickade in|lämnade))", re.I),
)
INVITED_RES = (
    re.compile(COUNT + r"(\s+inbjudna\b)", re.I),
    re.compile(r"(\bbjöds\s+)" + COUNT + r"(?=\s+aktör)", re.I),
    re.compile(r"(\bav\s+)" + COUNT + r"(?=\s+inbjudna)", re.I),
)
PERCENT_RE = re.compile(r"(\bsvarsfrekvens\w*\D{0,20}?)" + COUNT + r"(?=\s?(?:%|procent))", re.I)


@dataclass(frozen=True)
class Facts:
    """What the round says about itself; the values behind the placeholders."""

    year: int
    submitted: int
    invited: int
    previous_submitted: int | None

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0

    def values(self) -> dict[str, str]:
        """Placeholder name → its value as plain text."""
        previous = self.previous_submitted
        return {
            "år": str(self.year),
            "förra_året": str(self.year - 1),
            "nästa_år": str(self.year + 1),
            "antal_svar": str(self.submitted),
            "antal_svar_förra_året": str(previous)
            if previous is not None
            else _("(uppgift saknas)"),
            "antal_inbjudna": str(self.invited),
            "svarsfrekvens": str(self.percent),
        }


PLACEHOLDER_NAMES = (
    "år",
    "förra_året",
    "nästa_år",
    "antal_svar",
    "antal_svar_förra_året",
    "antal_inbjudna",
    "svarsfrekvens",
)


def placeholder_help() -> list[tuple[str, str]]:
    """(``{name}``, what it stands for) for the editor's help text."""
    return [
        ("{år}", _("lägesrapportens år")),
        ("{förra_året}", _("året före")),
        ("{nästa_år}", _("året efter")),
        ("{antal_svar}", _("antal inskickade yttranden")),
        ("{antal_svar_förra_året}", _("antal inskickade yttranden året före")),
        ("{antal_inbjudna}", _("antal inbjudna aktörer")),
        ("{svarsfrekvens}", _("andel som svarat, i procent")),
    ]


def facts_for_round(round_: FollowUpRound) -> Facts:
    """The facts of ``round_`` (two queries)."""
    summary = round_summary(round_id=round_.pk, round_=round_)
    return Facts(
        year=round_.year,
        submitted=summary.submitted,
        invited=summary.invited,
        previous_submitted=summary.previous_year_submitted,
    )


def fill(text: str, facts: Facts) -> str:
    """``text`` with every known placeholder replaced by its value; unknown ``{…}`` stay."""
    if not text or "{" not in text:
        return text
    values = facts.values()
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def apply_facts(data: ReportData, facts: Facts) -> ReportData:
    """``data`` with the placeholders of its coordinator texts and goal analyses filled in."""
    changes: dict[str, Any] = {name: fill(getattr(data, name), facts) for name in FACT_TEXT_FIELDS}
    changes["goals"] = [
        dataclasses.replace(goal, analysis=fill(goal.analysis, facts)) for goal in data.goals
    ]
    return dataclasses.replace(data, **changes)


# --- a new report from last year's: facts back into placeholders ------------------------------


def _sub_count(pattern: re.Pattern[str], text: str, wanted: dict[int, str]) -> str:
    def repl(match: re.Match[str]) -> str:
        groups = match.groups()
        number_index = 0 if groups[0].isdigit() else 1
        number = int(groups[number_index])
        if number not in wanted:
            return match.group(0)
        parts = list(groups)
        parts[number_index] = "{" + wanted[number] + "}"
        return "".join(parts)

    return pattern.sub(repl, text)


def to_placeholders(text: str, facts: Facts) -> str:
    """Turn the facts of the report ``facts`` describe back into placeholders.

    Its year → ``{år}``; the year before → ``{förra_året}`` where it is compared with
    ("jämfört med 2021", "än 2021"; elsewhere it names when something happened, which stays
    true); the year after → ``{nästa_år}`` where it is what comes next ("under 2023", "inför
    2023"; not "till och med 2023"); its response count next to "yttranden"/"svar"/"aktörer
    svarade" → ``{antal_svar}`` (last year's count → ``{antal_svar_förra_året}``), invited →
    ``{antal_inbjudna}``, the response rate after "svarsfrekvens" → ``{svarsfrekvens}``. Only
    whole numbers; counts below 3 are left alone, they are too likely to mean something else."""
    if not text:
        return text

    def year(match: re.Match[str]) -> str:
        value = int(match.group(1))
        if value == facts.year:
            return "{år}"
        if value == facts.year + 1 and COMING_RE.search(text, 0, match.start()):
            return "{nästa_år}"
        if value == facts.year - 1 and COMPARED_RE.search(text, 0, match.start()):
            return "{förra_året}"
        return match.group(0)

    text = YEAR_RE.sub(year, text)
    submitted: dict[int, str] = {}
    if facts.previous_submitted is not None and facts.previous_submitted >= 3:
        submitted[facts.previous_submitted] = "antal_svar_förra_året"
    if facts.submitted >= 3:
        submitted[facts.submitted] = "antal_svar"
    for pattern in SUBMITTED_RES:
        text = _sub_count(pattern, text, submitted)
    if facts.invited >= 3:
        for pattern in INVITED_RES:
            text = _sub_count(pattern, text, {facts.invited: "antal_inbjudna"})
    if facts.invited:
        text = _sub_count(PERCENT_RE, text, {facts.percent: "svarsfrekvens"})
    return text


# --- checks before a build and before "Fastställ" ---------------------------------------------


@dataclass(frozen=True)
class FactCheck:
    """One year or number in a text that contradicts the round's facts."""

    field: str
    found: str
    message: str


def _field_label(name: str) -> str:
    field = cast("Field[Any, Any]", StatusReport._meta.get_field(name))
    return str(field.verbose_name).capitalize()


def _count_checks(text: str, facts: Facts) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []

    def number_of(match: re.Match[str]) -> int:
        groups = match.groups()
        return int(groups[0] if groups[0].isdigit() else groups[1])

    for pattern in SUBMITTED_RES:
        for match in pattern.finditer(text):
            if number_of(match) != facts.submitted:
                found.append(
                    (
                        match.group(0).strip(),
                        _(
                            "i år kom %(n)d yttranden in; skriv {antal_svar} så stämmer siffran "
                            "alltid"
                        )
                        % {"n": facts.submitted},
                    )
                )
    for pattern in INVITED_RES:
        for match in pattern.finditer(text):
            if number_of(match) != facts.invited:
                found.append(
                    (
                        match.group(0).strip(),
                        _("i år bjöds %(n)d aktörer in; skriv {antal_inbjudna}")
                        % {"n": facts.invited},
                    )
                )
    for match in PERCENT_RE.finditer(text):
        if facts.invited and number_of(match) != facts.percent:
            found.append(
                (
                    match.group(0).strip() + " %",
                    _("svarsfrekvensen i år är %(n)d procent; skriv {svarsfrekvens}")
                    % {"n": facts.percent},
                )
            )
    return found


def check_text(text: str, facts: Facts) -> list[tuple[str, str]]:
    """(what was found, why it contradicts) for each suspicious year, count or placeholder in
    ``text``: the year before the report's year typed as a number (most often left from last
    year's report), a response count, invited count or response rate that is not the round's,
    and placeholders that do not exist."""
    if not text:
        return []
    found: list[tuple[str, str]] = []
    for match in YEAR_RE.finditer(text):
        if int(match.group(1)) == facts.year - 1:
            found.append(
                (
                    match.group(1),
                    _(
                        "lägesrapporten gäller %(year)d; skriv {år} för rapportens år eller "
                        "{förra_året} om du menar året före"
                    )
                    % {"year": facts.year},
                )
            )
    found.extend(_count_checks(text, facts))
    for match in PLACEHOLDER_RE.finditer(text):
        if match.group(1) not in PLACEHOLDER_NAMES:
            found.append((match.group(0), _("det finns ingen sådan uppgift att fylla i")))
    return found


def fact_checks(*, report_id: int) -> list[FactCheck]:
    """Every contradiction between the report's texts (and per-goal analyses) and its round's
    facts, with the field it is in. Three queries plus the round summary."""
    report = StatusReport.objects.select_related("round__plan").get(pk=report_id)
    facts = facts_for_round(report.round)
    checks = []
    for name in FACT_TEXT_FIELDS:
        for found, message in check_text(getattr(report, name), facts):
            checks.append(FactCheck(field=_field_label(name), found=found, message=message))
    analyses = GoalAnalysis.objects.filter(report=report).select_related("goal")
    for analysis in sorted(analyses, key=lambda a: (a.goal.number, a.goal_id)):
        for found, message in check_text(analysis.analysis, facts):
            checks.append(
                FactCheck(
                    field=_("Analys och förbättringsområden – mål %(n)s")
                    % {"n": analysis.goal.number},
                    found=found,
                    message=message,
                )
            )
    return checks


# --- a new report starts from the county's last final one --------------------------------------

CARRIED_FIELDS = (*FACT_TEXT_FIELDS[1:], "place", "signatures")


def source_report(round_: FollowUpRound) -> StatusReport | None:
    """What a new report of ``round_`` starts from: the round's own latest final report (a
    revision), else the county's most recent final report of an earlier year."""
    finals = StatusReport.objects.filter(status=StatusReport.Status.FINAL).select_related(
        "round__plan"
    )
    return (
        finals.filter(round=round_).order_by("-finalised_at", "-id").first()
        or finals.filter(round__plan__county_id=round_.plan.county_id, round__year__lt=round_.year)
        .order_by("-round__year", "-finalised_at", "-id")
        .first()
    )


def carry_over(report: StatusReport, source: StatusReport) -> list[GoalAnalysis]:
    """Copy the texts of ``source`` into the unsaved ``report`` and return its per-goal analyses
    for ``report`` (unsaved). From an earlier year, the source's facts become placeholders and
    analyses follow the same goal, else the goal with the same number in the report's plan."""
    same_round = source.round_id == report.round_id
    facts = None if same_round else facts_for_round(source.round)
    for name in ("title", "signed_on", *CARRIED_FIELDS) if same_round else CARRIED_FIELDS:
        value = getattr(source, name)
        if facts is not None and name in FACT_TEXT_FIELDS:
            value = to_placeholders(value, facts)
        setattr(report, name, value)
    goals = list(Goal.objects.filter(plan_id=report.round.plan_id).values_list("pk", "number"))
    goal_ids = {pk for pk, _number in goals}
    by_number: dict[int, int] = {}
    for pk, number in goals:
        by_number.setdefault(number, pk)
    analyses: dict[int, GoalAnalysis] = {}
    for analysis in source.analyses.select_related("goal").order_by("goal__number", "id"):
        if analysis.goal_id in goal_ids:
            goal_id: int | None = analysis.goal_id
        else:
            goal_id = by_number.get(analysis.goal.number)
        if goal_id is None or goal_id in analyses or not analysis.analysis:
            continue
        text = to_placeholders(analysis.analysis, facts) if facts else analysis.analysis
        analyses[goal_id] = GoalAnalysis(goal_id=goal_id, analysis=text)
    return list(analyses.values())
