"""Round exports (DESIGN §9): ``kvinnofrid-round/1`` JSON and an xlsx with one sheet each for
submissions, activities, answers and indicator values. Used by ``manage.py export_round`` and
the coordinator's download button."""

import io
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from actionplans.models import SubGoal
from followup.models import FollowUpRound, ReportedActivity, StatusReport, Submission
from followup.selectors import round_summary
from kvinnofrid.core.spreadsheet import append_text_row

FORMAT = "kvinnofrid-round/1"


def _iso(value: Any) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


class RoundExport:
    """A queryset of one round's submissions plus the formatters for JSON and xlsx."""

    def __init__(self, *, round_id: int) -> None:
        self.round = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)

    def _positions(self) -> dict[int, tuple[int, int, str]]:
        positions: dict[int, tuple[int, int, str]] = {}
        counters: dict[int, int] = {}
        for sg in (
            SubGoal.objects.filter(goal__plan_id=self.round.plan_id)
            .select_related("goal")
            .order_by("goal__order", "goal__number", "goal_id", "order", "id")
        ):
            counters[sg.goal_id] = counters.get(sg.goal_id, 0) + 1
            positions[sg.pk] = (sg.goal.number, counters[sg.goal_id], sg.code)
        return positions

    def _final_report(self) -> dict[str, Any] | None:
        """The round's final lägesrapport as registered (title, diarienummer, when), or None."""
        report = (
            StatusReport.objects.filter(round=self.round, status=StatusReport.Status.FINAL)
            .order_by("-finalised_at", "-id")
            .first()
        )
        if report is None:
            return None
        return {
            "title": report.title,
            "diarienummer": report.diarienummer,
            "finalised_at": _iso(report.finalised_at),
        }

    def submissions(self) -> list[Submission]:
        return list(
            Submission.objects.filter(round=self.round)
            .select_related("organisation")
            .prefetch_related(
                Prefetch(
                    "activities",
                    queryset=ReportedActivity.objects.prefetch_related("sub_goals").order_by(
                        "order", "id"
                    ),
                ),
                "answers__question",
                "indicator_answers__indicator",
            )
            .order_by("organisation__name")
        )

    def as_dict(self) -> dict[str, Any]:
        positions = self._positions()
        out_subs = []
        for s in self.submissions():
            activities = []
            for a in s.activities.all():
                sgs = sorted(
                    (positions[sg.pk] for sg in a.sub_goals.all() if sg.pk in positions),
                    key=lambda p: (p[0], p[1]),
                )
                activities.append(
                    {
                        "title": a.title,
                        "description": a.description,
                        "status": a.status,
                        "prevention_level": a.prevention_level or None,
                        "areas": list(a.areas),
                        "target_groups": a.target_groups,
                        "partners": a.partners,
                        "highlighted": a.highlighted,
                        "sub_goals": [{"goal": g, "position": p, "code": c} for g, p, c in sgs],
                    }
                )
            answers = sorted(s.answers.all(), key=lambda x: (x.question.order, x.question_id))
            out_subs.append(
                {
                    "organisation": s.organisation.name,
                    "kind": s.organisation.kind,
                    "status": s.status,
                    "diarienummer": s.diarienummer,
                    "submitted_at": _iso(s.submitted_at),
                    "accepted_at": _iso(s.accepted_at),
                    "late": s.is_late,
                    "deadline_extended_to": (
                        s.deadline_extended_to.isoformat() if s.deadline_extended_to else None
                    ),
                    "personal_data_flagged": s.personal_data_flagged,
                    "activities": activities,
                    "answers": [
                        {
                            "question": a.question.text,
                            "key": a.question.key or None,
                            "text": a.text,
                            "choice": a.choice or None,
                            "number": _number(a.number),
                        }
                        for a in answers
                    ],
                    "indicator_values": [
                        {
                            "indicator": ia.indicator.name,
                            "value": _number(ia.value),
                            "note": ia.note,
                        }
                        for ia in s.indicator_answers.all()
                    ],
                }
            )
        return {
            "format": FORMAT,
            "county": self.round.plan.county.code,
            "year": self.round.year,
            "plan": self.round.plan.title,
            "title": self.round.title,
            "status": self.round.status,
            "deadline": self.round.deadline.isoformat(),
            "summary": round_summary(round_id=self.round.pk).as_dict(),
            "report": self._final_report(),
            "submissions": out_subs,
        }

    def xlsx_bytes(self) -> bytes:
        """The workbook: one sheet each for submissions, activities, answers and indicator
        values. Every row goes through ``append_text_row``: user text (answers, titles, names)
        never becomes a live formula in the coordinator's spreadsheet program."""
        from openpyxl import Workbook

        wb = Workbook()
        sheets = {}
        for index, (title, header) in enumerate(XLSX_SHEETS.items()):
            sheet = wb.active if index == 0 else wb.create_sheet(title)
            sheet.title = title
            append_text_row(sheet, list(header))
            sheets[title] = sheet
        for s in self.as_dict()["submissions"]:
            for title, rows in _xlsx_rows(s).items():
                for row in rows:
                    append_text_row(sheets[title], row)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()


XLSX_SHEETS: dict[str, tuple[str, ...]] = {
    "submissions": (
        "organisation",
        "kind",
        "status",
        "diarienummer",
        "submitted_at",
        "late",
        "deadline_extended_to",
        "personal_data_flagged",
        "activities",
    ),
    "activities": (
        "organisation",
        "title",
        "description",
        "status",
        "prevention_level",
        "areas",
        "target_groups",
        "partners",
        "sub_goals",
    ),
    "answers": ("organisation", "question", "text", "choice", "number"),
    "indicator values": ("organisation", "indicator", "value", "note"),
}


def _xlsx_rows(s: dict[str, Any]) -> dict[str, list[list[Any]]]:
    """One submission of the JSON export as the rows of each workbook sheet."""
    org = s["organisation"]
    submission = [
        org,
        s["kind"],
        s["status"],
        s["diarienummer"],
        s["submitted_at"],
        s["late"],
        s["deadline_extended_to"],
        s["personal_data_flagged"],
        len(s["activities"]),
    ]
    activities = [
        [
            org,
            a["title"],
            a["description"],
            a["status"],
            a["prevention_level"],
            ", ".join(a["areas"]),
            a["target_groups"],
            a["partners"],
            ", ".join(sg["code"] or f"{sg['goal']}:{sg['position']}" for sg in a["sub_goals"]),
        ]
        for a in s["activities"]
    ]
    return {
        "submissions": [submission],
        "activities": activities,
        "answers": [
            [org, a["question"], a["text"], a["choice"], a["number"]] for a in s["answers"]
        ],
        "indicator values": [
            [org, v["indicator"], v["value"], v["note"]] for v in s["indicator_values"]
        ],
    }


def round_for(*, county_code: str, year: int) -> FollowUpRound | None:
    """The county's round for ``year`` (the newest plan version's if there are several)."""
    return (
        FollowUpRound.objects.filter(plan__county__code=county_code, year=year)
        .order_by("-plan__version", "-id")
        .first()
    )
