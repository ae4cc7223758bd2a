"""The lägesrapport's indicators (issue 15 item 5): baseline, values over the years up to the
report's year, targets per year and the trend in words, in the data, the HTML and the PDF."""

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from actionplans.models import Indicator, IndicatorTarget, IndicatorValue
from followup.reports.context import report_data
from followup.reports.pdf import ReportRenderer
from tests.followup.test_report_support import build_county

pytestmark = pytest.mark.django_db


def _with_history(data) -> Indicator:
    indicator = Indicator.objects.get(plan=data.plan)  # "Antal utbildade", unit "personer"
    indicator.baseline = Decimal("30")
    indicator.source = "Länsstyrelsens årsuppföljning"
    indicator.save()
    for year, value in ((2020, "3"), (2021, "35"), (2023, "99")):  # 2022 holds 42 already
        IndicatorValue.objects.create(indicator=indicator, year=year, value=Decimal(value))
    IndicatorValue.objects.filter(indicator=indicator, year=2021).update(note="Ny mätmetod.")
    for year, value in ((2022, "40"), (2026, "60.5")):
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=Decimal(value))
    return indicator


def test_the_report_data_holds_every_year_up_to_the_reports_with_targets_and_trend():
    data = build_county()
    _with_history(data)
    (indicator,) = report_data(report_id=data.report.pk).indicators
    assert indicator.baseline == "30"
    rows = [(r.year, r.value, r.target, r.trend) for r in indicator.rows]
    assert rows == [
        (2020, "färre än 5", "–", ""),  # a count of persons below 5
        (2021, "35", "–", ""),  # no trend from a hidden value
        (2022, "42", "40", "Ökning jämfört med 2021"),
        (2026, "–", "60,5", ""),  # 2023's value came after the report's year
    ]
    assert "Värden: 2020: färre än 5 personer; 2021: 35 personer; 2022: 42 personer." in (
        indicator.description
    )
    assert "Målvärden: 2022: 40 personer; 2026: 60,5 personer." in indicator.description
    assert indicator.notes == [(2021, "Länet", "Ny mätmetod.")]
    assert 'role="img"' in indicator.chart
    assert indicator.description in indicator.chart


def test_trend_words_for_down_and_unchanged():
    data = build_county()
    indicator = Indicator.objects.get(plan=data.plan)
    indicator.unit = "st"
    indicator.name = "Antal samråd"
    indicator.save()
    IndicatorValue.objects.create(indicator=indicator, year=2020, value=50)
    IndicatorValue.objects.create(indicator=indicator, year=2021, value=42)
    (shown,) = report_data(report_id=data.report.pk).indicators
    assert [r.trend for r in shown.rows] == [
        "",
        "Minskning jämfört med 2020",
        "Oförändrat jämfört med 2021",
    ]


def test_the_report_queries_do_not_grow_with_indicators(django_assert_max_num_queries):
    data = build_county()
    _with_history(data)
    with django_assert_max_num_queries(100) as one:
        report_data(report_id=data.report.pk)
    for n in range(5):
        extra = Indicator.objects.create(plan=data.plan, name=f"Extra {n}", order=n + 2)
        IndicatorValue.objects.create(indicator=extra, year=2021, value=n)
        IndicatorTarget.objects.create(indicator=extra, year=2026, value=n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(report_data(report_id=data.report.pk).indicators) == 6


@pytest.mark.slow
def test_the_pdf_shows_baseline_values_targets_and_trend_over_the_years():
    data = build_county()
    _with_history(data)
    pdf = ReportRenderer().render(report_data(report_id=data.report.pk)).content
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in reader.pages))
    start = text.index("Antal utbildade: utgångsvärde, värden till och med 2022")
    table = text[start:]
    for needle in (
        "Utgångsvärde 30",
        "2020 färre än 5",
        "2021 35",
        "2022 42 40 Ökning jämfört med 2021",
        "2026 – 60,5",
    ):
        assert needle in table, needle
    assert "2023" not in table[: table.index("2026 – 60,5")]
    assert "2021, Länet: Ny mätmetod." in table
    # the chart's description, with its numbers, is printed under it
    assert "Värden: 2020: färre än 5 personer; 2021: 35 personer; 2022: 42 personer." in table
