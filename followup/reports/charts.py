"""Server-side SVG charts, the same markup for the web pages and the PDF.

Charts are drawn from numbers and labels only; every label is XML-escaped, so user text cannot
inject markup. Each chart carries ``role="img"``, a ``<title>`` and a ``<desc>`` with the figures
in words, for screen readers and the tagged PDF.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from followup.reports.data import ReportData

# Colours with at least 4.5:1 contrast against white.
BAR = "#3b1f5c"
BAR_LIGHT = "#6f5a8a"
AXIS = "#333333"
GRID = "#d0d0d0"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    total: float


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _svg(*, width: int, height: int, title: str, desc: str, body: list[str], ident: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def response_rate_chart(
    points: Sequence[tuple[int, int, int]], *, ident: str = "svar"
) -> SafeString:
    """Vertical bars: share of invited actors that answered, per year (year, invited, submitted)."""
    width, height = 520, 220
    left, right, top, bottom = 44, 12, 16, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    body: list[str] = []
    for pct in (0, 25, 50, 75, 100):
        y = top + plot_h - plot_h * pct / 100
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{AXIS}">{pct} %</text>'
        )
    n = max(len(points), 1)
    slot = plot_w / n
    bar_w = min(56.0, slot * 0.6)
    words = []
    for i, (year, invited, submitted) in enumerate(points):
        pct = round(100 * submitted / invited) if invited else 0
        h = plot_h * pct / 100
        x = left + slot * i + (slot - bar_w) / 2
        y = top + plot_h - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{BAR}"/>'
            f'<text x="{x + bar_w / 2:.1f}" y="{max(y - 4, top + 10):.1f}" font-size="11" '
            f'text-anchor="middle" fill="{AXIS}">{pct} %</text>'
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 16}" font-size="12" '
            f'text-anchor="middle" fill="{AXIS}">{year}</text>'
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 31}" font-size="10" '
            f'text-anchor="middle" fill="{AXIS}">{submitted}/{invited}</text>'
        )
        words.append(
            _("%(year)d: %(submitted)d av %(invited)d (%(pct)d %%)")
            % {"year": year, "submitted": submitted, "invited": invited, "pct": pct}
        )
    body.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="{AXIS}" stroke-width="1"/>'
    )
    desc = _("Andel inbjudna aktörer som svarade per år. ") + "; ".join(words) + "."
    return mark_safe(  # noqa: S308 - built from numbers and escaped labels only
        _svg(
            width=width,
            height=height,
            title=_("Svarsfrekvens per år"),
            desc=desc,
            body=body,
            ident=ident,
        )
    )


def horizontal_bar_chart(
    bars: Sequence[Bar], *, title: str, intro: str, item: str, ident: str
) -> SafeString:
    """Horizontal bars of ``value`` out of ``total``, one per label. ``item`` words one bar for
    the description (placeholders ``label``, ``value``, ``total``); ``intro`` opens it."""
    row_h = 26
    left, right, top = 150, 70, 10
    width = 520
    height = top * 2 + row_h * max(len(bars), 1)
    plot_w = width - left - right
    body: list[str] = []
    words = []
    for i, bar in enumerate(bars):
        y = top + i * row_h
        share = (bar.value / bar.total) if bar.total else 0
        w = plot_w * share
        label = bar.label if len(bar.label) <= 22 else bar.label[:21] + "…"
        body.append(
            f'<text x="{left - 8}" y="{y + 17}" font-size="12" text-anchor="end" '
            f'fill="{AXIS}">{escape(label)}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="{row_h - 8}" fill="none" '
            f'stroke="{GRID}"/>'
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{BAR_LIGHT}"/>'
            f'<text x="{left + plot_w + 6}" y="{y + 17}" font-size="12" fill="{AXIS}">'
            f"{int(bar.value)} / {int(bar.total)}</text>"
        )
        words.append(item % {"label": bar.label, "value": bar.value, "total": bar.total})
    desc = intro + "; ".join(words) + "."
    return mark_safe(  # noqa: S308 - built from numbers and escaped labels only
        _svg(width=width, height=height, title=title, desc=desc, body=body, ident=ident)
    )


def coverage_chart(bars: Sequence[Bar], *, ident: str = "tackning") -> SafeString:
    """Horizontal bars: how many of each goal's delmål had at least one reported activity."""
    return horizontal_bar_chart(
        bars,
        title=_("Delmål med rapporterade aktiviteter"),
        intro=_("Delmål med minst en rapporterad aktivitet per mål. "),
        item=_("%(label)s: %(value)d av %(total)d delmål"),
        ident=ident,
    )


def report_charts(data: ReportData) -> dict[str, SafeString]:
    """Both charts of a ``ReportData``."""
    history = [(p.year, p.invited, p.submitted) for p in data.history]
    bars = [
        Bar(label=_("Mål %(n)d") % {"n": g.number}, value=g.covered_count, total=g.sub_goal_count)
        for g in data.goals
    ]
    return {"response_rate": response_rate_chart(history), "coverage": coverage_chart(bars)}
