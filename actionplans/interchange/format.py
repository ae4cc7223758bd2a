"""The ``kvinnofrid-plan/1`` format: its name, size limits, sheet and column names, the refusal
error and the import preview."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from actionplans.exceptions import PlanError

FORMAT = "kvinnofrid-plan/1"

PLAN_TEXT_KEYS = ("vision", "purpose", "target_groups", "perspectives", "areas")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# A sheet may declare (and hold a stray cell in) row 1,048,576 and column XFD: read at most this
# much of each sheet, and for at most this long, whatever it declares.
MAX_SHEET_ROWS = 5000
MAX_SHEET_COLUMNS = 30
MAX_READ_SECONDS = 10
# Integers in a plan file are years, numbers and positions; longer digit strings are refused
# before Python parses them (a 5,000-digit integer raises ValueError in the JSON parser).
MAX_INTEGER_DIGITS = 15


class PlanImportError(PlanError, ValueError):
    """A plan file was refused; ``field`` is the path of the first bad field (or "")."""

    def __init__(self, message: str, *, field: str = "") -> None:
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


@dataclass(frozen=True)
class PlanImportPreview:
    """What an import would create, shown before the user confirms."""

    county_code: str
    county_name: str
    kind: str
    title: str
    period_start: int
    period_end: int
    goals: int
    sub_goals: int
    activities: int
    indicators: int
    new_organisations: list[str] = field(default_factory=list)

    def as_lines(self) -> list[str]:
        lines = [
            _("Plan: %(title)s (%(start)s–%(end)s), %(county)s")
            % {
                "title": self.title,
                "start": self.period_start,
                "end": self.period_end,
                "county": self.county_name,
            },
            _(
                "%(goals)d mål, %(sub_goals)d delmål, %(activities)d aktiviteter, "
                "%(indicators)d indikatorer"
            )
            % {
                "goals": self.goals,
                "sub_goals": self.sub_goals,
                "activities": self.activities,
                "indicators": self.indicators,
            },
        ]
        if self.new_organisations:
            lines.append(
                _("Nya organisationer som skapas i länet (typ Annan): %(names)s")
                % {"names": ", ".join(self.new_organisations)}
            )
        return lines


# --- export ----------------------------------------------------------------------------------


SHEET_PLAN = "plan"
SHEET_GOALS = "goals"
SHEET_SUB_GOALS = "sub_goals"
SHEET_ACTIVITIES = "activities"
SHEET_INDICATORS = "indicators"

PLAN_KEYS = (
    "format",
    "county",
    "kind",
    "title",
    "period.start",
    "period.end",
    "strategy",
    *PLAN_TEXT_KEYS,
    "diarienummer",
    "serial_number",
)
GOAL_COLUMNS = ("number", "title", "description", "national_goals")
SUB_GOAL_COLUMNS = ("goal", "position", "code", "text")
ACTIVITY_COLUMNS = ("goal", "position", "text", "responsible")
INDICATOR_COLUMNS = (
    "name",
    "kind",
    "source",
    "unit",
    "baseline",
    "targets",
    "sub_goals",
)
# Workbooks written before targets per year have these two columns instead of "targets"; they
# are still read, as one target.
OLD_INDICATOR_TARGET_COLUMNS = ("target", "target_year")
# An indicator's targets in a workbook cell: "2025: 30; 2026: 40" (year, colon, value).
TARGET_SEPARATOR = "; "
LIST_SEPARATOR = "; "
