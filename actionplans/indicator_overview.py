"""An indicator over the years: its baseline, its values, its targets per year, the trend from
year to year and a server-made SVG chart, the same for the plan page and the lägesrapport.

Counts of persons (by the words of the indicator's unit and name) are shown through
:func:`kvinnofrid.core.small_numbers.format_count`: a value below the threshold reads "färre än 5"
in the table, in the chart's description and in the trend, and is not drawn in the chart.
Every label of the chart is XML-escaped; the chart carries ``role="img"``, a ``<title>`` and a
``<desc>`` that holds all its numbers in words.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kvinnofrid.core.small_numbers import format_count, is_person_count, is_small

# Colours with at least 4.5:1 contrast against white (the report's charts use the same purple).
VALUE_COLOUR = "#3b1f5c"
TARGET_COLOUR = "#9a3d00"
AXIS = "#333333"
GRID = "#d0d0d0"


@dataclass(frozen=True)
class YearRow:
    """One year of an indicator: the county's value, the target, the trend in words and the
    organisations' own values (name, value), all as display text."""

    year: int
    value: str
    target: str
    trend: str
    organisations: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class IndicatorOverview:
    name: str
    unit: str
    baseline: str
    rows: list[YearRow]
    description: str
    chart: SafeString  # SVG markup, "" when there is nothing to draw
    # the values' comments: (year, "Länet" or the organisation, comment)
    notes: list[tuple[int, str, str]] = field(default_factory=list)


def words() -> dict[str, str]:
    """The overview's fixed texts in the current language: looked up once per page (the plan
    view passes them to every indicator's overview) rather than once per indicator."""
    return {
        "rise": _("Ökning jämfört med %(year)d"),
        "fall": _("Minskning jämfört med %(year)d"),
        "same": _("Oförändrat jämfört med %(year)d"),
        "county": _("Länet"),
        "title": _("Indikatorn %(name)s över åren"),
        "name": _("Indikatorn %(name)s."),
        "baseline_is": _("Utgångsvärde: %(value)s."),
        "values": _("Värden: %(list)s."),
        "no_values": _("Inga värden ännu."),
        "targets": _("Målvärden: %(list)s."),
        "value": _("Värde"),
        "target": _("Målvärde"),
        "baseline": _("Utgångsvärde"),
    }


def _trend_words(texts: dict[str, str]) -> tuple[str, str, str]:
    """The words of a rise, a fall and no change."""
    return texts["rise"], texts["fall"], texts["same"]


def _trend(
    value: Decimal, previous: Decimal, previous_year: int, words: tuple[str, str, str]
) -> str:
    rise, fall, same = words
    if value > previous:
        return rise % {"year": previous_year}
    if value < previous:
        return fall % {"year": previous_year}
    return same % {"year": previous_year}


def indicator_overview(
    *,
    name: str,
    unit: str,
    baseline: Decimal | None,
    values: Iterable[tuple[int, str | None, Decimal, str]],
    targets: Iterable[tuple[int, Decimal]],
    ident: str,
    texts: dict[str, str] | None = None,
) -> IndicatorOverview:
    """The overview of one indicator. ``values`` are (year, organisation name or None for the
    county, value, comment); ``targets`` (year, value); ``ident`` makes the chart's ids unique;
    ``texts`` are :func:`words` if the caller has them already."""
    texts = texts or words()
    persons = is_person_count(unit=unit, name=name)

    def show(number: Decimal | None) -> str:
        # 7.50 reads "7,5": the column's two decimals are no precision of the measurement
        shown = number.normalize() if number is not None else None
        return format_count(shown, is_person_count=persons)

    county: dict[int, Decimal] = {}
    by_organisation: dict[int, list[tuple[str, str]]] = {}
    notes: list[tuple[int, str, str]] = []
    for year, organisation, value, note in values:
        if note.strip():
            notes.append((year, organisation or texts["county"], note.strip()))
        if organisation is None:
            county[year] = value
        else:
            by_organisation.setdefault(year, []).append((organisation, show(value)))
    goal = dict(targets)
    rows = []
    previous: tuple[int, Decimal] | None = None
    trend_words = _trend_words(texts)
    for year in sorted(set(county) | set(goal) | set(by_organisation)):
        county_value = county.get(year)
        trend = ""
        if county_value is not None:
            hidden = persons and (
                is_small(county_value) or (previous is not None and is_small(previous[1]))
            )
            if previous is not None and not hidden:
                trend = _trend(county_value, previous[1], previous[0], trend_words)
            previous = (year, county_value)
        rows.append(
            YearRow(
                year=year,
                value=show(county_value),
                target=show(goal.get(year)),
                trend=trend,
                organisations=by_organisation.get(year, []),
            )
        )
    description = _describe(name, unit, show(baseline) if baseline is not None else "", rows, texts)
    drawn = {y: v for y, v in county.items() if not (persons and is_small(v))}
    chart = _chart(
        years=[r.year for r in rows],
        values=drawn,
        targets=goal,
        baseline=baseline,
        labels={r.year: (r.value, r.target) for r in rows},
        title=texts["title"] % {"name": name},
        description=description,
        ident=ident,
        texts=texts,
    )
    return IndicatorOverview(
        name=name,
        unit=unit,
        baseline=show(baseline) if baseline is not None else "",
        rows=rows,
        description=description,
        chart=chart,
        notes=sorted(notes, key=lambda n: n[0]),
    )


def _describe(
    name: str, unit: str, baseline: str, rows: Sequence[YearRow], texts: dict[str, str]
) -> str:
    """Every number of the chart in words (the chart's ``<desc>`` and the report's alt text)."""
    suffix = f" {unit}" if unit else ""
    parts = [texts["name"] % {"name": name}]
    if baseline:
        parts.append(texts["baseline_is"] % {"value": baseline + suffix})
    shown = [f"{r.year}: {r.value}{suffix}" for r in rows if r.value != "–"]
    parts.append(texts["values"] % {"list": "; ".join(shown)} if shown else texts["no_values"])
    goals = [f"{r.year}: {r.target}{suffix}" for r in rows if r.target != "–"]
    if goals:
        parts.append(texts["targets"] % {"list": "; ".join(goals)})
    return " ".join(parts)


def _scale(numbers: Sequence[Decimal]) -> tuple[float, float]:
    low = min([0.0, *(float(n) for n in numbers)])
    high = max([0.0, *(float(n) for n in numbers)])
    if high <= low:
        high = low + 1
    return low, high


def _legend(left: int, *, with_baseline: bool, texts: dict[str, str]) -> str:
    """The legend: the shape, not only the colour, tells the series apart."""
    legend = (
        f'<circle cx="{left + 6}" cy="12" r="4" fill="{VALUE_COLOUR}"/>'
        f'<text x="{left + 14}" y="16" font-size="11" fill="{AXIS}">{escape(texts["value"])}</text>'
        f'<rect x="{left + 88}" y="8" width="8" height="8" fill="none" stroke="{TARGET_COLOUR}" '
        f'stroke-width="2" transform="rotate(45 {left + 92} 12)"/>'
        f'<text x="{left + 102}" y="16" font-size="11" fill="{AXIS}">'
        f"{escape(texts['target'])}</text>"
    )
    if with_baseline:
        legend += (
            f'<line x1="{left + 200}" y1="12" x2="{left + 222}" y2="12" stroke="{AXIS}" '
            f'stroke-dasharray="5 3" stroke-width="2"/>'
            f'<text x="{left + 228}" y="16" font-size="11" fill="{AXIS}">'
            f"{escape(texts['baseline'])}</text>"
        )
    return legend


def _year_marks(
    x: float, value_y: float | None, target_y: float | None, texts: tuple[str, str], zero_y: float
) -> str:
    """One year's point (or, for a hidden small count, its words) and target diamond."""
    value_text, target_text = texts
    marks = ""
    if value_y is not None:
        marks += (
            f'<circle cx="{x:.1f}" cy="{value_y:.1f}" r="4" fill="{VALUE_COLOUR}"/>'
            f'<text x="{x:.1f}" y="{max(value_y - 8, 38):.1f}" font-size="11" '
            f'text-anchor="middle" fill="{AXIS}">{escape(value_text)}</text>'
        )
    elif value_text != "–":  # a hidden small count: its words, not its height
        marks += (
            f'<text x="{x:.1f}" y="{zero_y - 6:.1f}" font-size="10" '
            f'text-anchor="middle" fill="{AXIS}">{escape(value_text)}</text>'
        )
    if target_y is not None:
        marks += (
            f'<rect x="{x - 5:.1f}" y="{target_y - 5:.1f}" width="10" height="10" fill="none" '
            f'stroke="{TARGET_COLOUR}" stroke-width="2" '
            f'transform="rotate(45 {x:.1f} {target_y:.1f})"/>'
            f'<text x="{x + 10:.1f}" y="{target_y + 4:.1f}" font-size="11" '
            f'fill="{TARGET_COLOUR}">{escape(target_text)}</text>'
        )
    return marks


def _chart(
    *,
    years: Sequence[int],
    values: dict[int, Decimal],
    targets: dict[int, Decimal],
    baseline: Decimal | None,
    labels: dict[int, tuple[str, str]],
    title: str,
    description: str,
    ident: str,
    texts: dict[str, str],
) -> SafeString:
    """A line of the county's values, diamonds for the targets and a dashed baseline."""
    if not years:
        return SafeString("")
    width, height = 520, 240
    left, right, top, bottom = 16, 16, 34, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    numbers = [*values.values(), *targets.values(), *([baseline] if baseline is not None else [])]
    low, high = _scale(numbers)

    def y_of(number: Decimal | float) -> float:
        return top + plot_h - plot_h * (float(number) - low) / (high - low)

    def x_of(index: int) -> float:
        return left + plot_w * (index + 0.5) / len(years)

    zero_y = y_of(max(low, 0))
    body = [
        f'<line x1="{left}" y1="{zero_y:.1f}" x2="{width - right}" y2="{zero_y:.1f}" '
        f'stroke="{AXIS}" stroke-width="1"/>',
        _legend(left, with_baseline=baseline is not None, texts=texts),
    ]
    if baseline is not None:
        body.append(
            f'<line x1="{left}" y1="{y_of(baseline):.1f}" x2="{width - right}" '
            f'y2="{y_of(baseline):.1f}" stroke="{AXIS}" stroke-dasharray="5 3" stroke-width="1.5"/>'
        )
    points = [(x_of(i), y_of(values[year])) for i, year in enumerate(years) if year in values]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{VALUE_COLOUR}" stroke-width="2"/>'
        )
    for i, year in enumerate(years):
        body.append(
            f'<text x="{x_of(i):.1f}" y="{height - 10}" font-size="12" text-anchor="middle" '
            f'fill="{AXIS}">{year}</text>'
            + _year_marks(
                x_of(i),
                y_of(values[year]) if year in values else None,
                y_of(targets[year]) if year in targets else None,
                labels[year],
                zero_y,
            )
        )
    return mark_safe(  # noqa: S308 - built from numbers and escaped labels only
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart indicator-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
