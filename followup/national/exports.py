"""The national overview as ``kvinnofrid-national/1`` JSON (DESIGN §9) and as XLSX.

Used by ``manage.py export_national`` and the overview's download link. Counts of persons go
through ``kvinnofrid.core.small_numbers`` ("färre än 5"), and every cell that holds user text is
written as text, so a plan title such as ``=HYPERLINK(…)`` is never a formula in Excel.
"""

import io
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from followup.national.selectors import (
    CountyRow,
    NationalOverview,
    indicator_figures,
    national_overview,
)
from kvinnofrid.core.small_numbers import export_count
from kvinnofrid.core.spreadsheet import append_text_row

FORMAT = "kvinnofrid-national/1"


def _round(row: CountyRow) -> dict[str, Any] | None:
    if row.round is None:
        return None
    return {
        "invited": row.round.invited,
        "submitted": row.round.submitted,
        "on_time": row.round.on_time,
        "late": row.round.late,
        "previous_year_submitted": row.round.previous_year_submitted,
    }


def _activities(overview: NationalOverview, row: CountyRow) -> dict[str, int]:
    counts = {key: 0 for key, _s, _t in overview.national_goals} if row.round else {}
    counts.update(row.activities_by_national_goal)
    return counts


def final_report_url(row: CountyRow) -> str | None:
    if row.final_report_id is None:
        return None
    return reverse("followup:report-download", kwargs={"pk": row.final_report_id})


def national_dict(overview: NationalOverview) -> dict[str, Any]:
    """The overview in the stable JSON shape of DESIGN §9."""
    return {
        "format": FORMAT,
        "year": overview.year,
        "counties": [
            {
                "county_code": row.county_code,
                "county_name": row.county_name,
                "agreement_valid_to": (
                    row.agreement_valid_to.isoformat() if row.agreement_valid_to else None
                ),
                "plan_id": row.plan_id,
                "strategy": row.strategy,
                "round": _round(row),
                "activities_by_national_goal": _activities(overview, row),
                "final_report": final_report_url(row),
            }
            for row in overview.rows
        ],
    }


def national_xlsx(overview: NationalOverview) -> bytes:
    """The overview as a workbook: one sheet of counties, one of indicator values."""
    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = _("Län")
    goal_keys = [key for key, _s, _t in overview.national_goals]
    append_text_row(
        sheet,
        [
            _("Länskod"),
            _("Län"),
            _("Överenskommelse gäller till"),
            _("Handlingsplan"),
            _("Nationell strategi"),
            _("Inbjudna"),
            _("Svar"),
            _("Svar i tid"),
            _("Sena svar"),
            _("Svar året innan"),
            *[_("Mål (nationell målsättning %(n)s)") % {"n": k} for k in goal_keys],
            *[_("Aktiviteter (nationell målsättning %(n)s)") % {"n": k} for k in goal_keys],
            _("Delmål"),
            _("Delmål med aktiviteter"),
            _("Slutlig lägesrapport"),
        ],
    )
    for row in overview.rows:
        figures = row.round
        append_text_row(
            sheet,
            [
                row.county_code,
                row.county_name,
                row.agreement_valid_to.isoformat() if row.agreement_valid_to else "",
                row.plan_title,
                row.strategy or "",
                figures.invited if figures else None,
                figures.submitted if figures else None,
                figures.on_time if figures else None,
                figures.late if figures else None,
                figures.previous_year_submitted if figures else None,
                *[row.goals_by_national_goal.get(k, 0) for k in goal_keys],
                *[row.activities_by_national_goal.get(k, 0) for k in goal_keys],
                row.sub_goal_count,
                row.sub_goals_covered,
                final_report_url(row) or "",
            ],
        )
    values = wb.create_sheet(_("Indikatorvärden"))
    append_text_row(values, [_("Länskod"), _("Län"), _("Indikator"), _("Enhet"), _("Värde")])
    for figure in indicator_figures(overview=overview):
        append_text_row(
            values,
            [
                figure.county_code,
                figure.county_name,
                figure.indicator,
                figure.unit,
                export_count(figure.value, is_person_count=figure.is_person_count),
            ],
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_national(*, year: int) -> NationalOverview:
    """The overview the exports are made from."""
    return national_overview(year=year)
