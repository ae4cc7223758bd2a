"""The report's indicators: per indicator of the plan its baseline, its values over all years up
to the report's year, its targets per year, the trend from year to year in words, and a chart
whose description carries the numbers (:mod:`actionplans.indicator_overview`, the same overview
the plan page shows). Three queries whatever the number of indicators, values and targets.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from actionplans.indicator_overview import YearRow, indicator_overview
from actionplans.models import ActionPlan, Indicator, IndicatorTarget, IndicatorValue


@dataclass(frozen=True)
class ReportIndicator:
    """One indicator as the report shows it: display text only (counts of persons below the
    threshold already read "färre än 5"), the chart as SVG markup."""

    name: str
    unit: str
    source: str
    baseline: str
    rows: list[YearRow]
    description: str
    chart: str
    notes: list[tuple[int, str, str]]  # (year, "Länet" or the organisation, comment)


def report_indicators(*, plan: ActionPlan, year: int) -> list[ReportIndicator]:
    """The plan's indicators in the plan's order, with values up to ``year`` (a report tells
    what was known for its year) and every target."""
    indicators = (
        Indicator.objects.filter(plan=plan)
        .order_by("order", "id")
        .only("id", "name", "unit", "source", "baseline")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=IndicatorValue.objects.filter(year__lte=year)
                .select_related("organisation")
                .order_by("year", "organisation__name"),
            ),
            Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
        )
    )
    result = []
    for number, indicator in enumerate(indicators, 1):
        overview = indicator_overview(
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            values=[
                (v.year, v.organisation.name if v.organisation else None, v.value, v.note)
                for v in indicator.values.all()
            ],
            targets=[(t.year, t.value) for t in indicator.targets.all()],
            ident=f"rapport-indikator-{number}",
        )
        result.append(
            ReportIndicator(
                name=overview.name,
                unit=overview.unit,
                source=indicator.source,
                baseline=overview.baseline,
                rows=overview.rows,
                description=overview.description,
                chart=overview.chart,
                notes=overview.notes,
            )
        )
    return result


def indicator_section(*, plan: ActionPlan, year: int) -> dict[str, Any]:
    """The ``indicators`` field of :class:`~followup.reports.data.ReportData`."""
    return {"indicators": report_indicators(plan=plan, year=year)}
