"""The national overview page and its XLSX download (observer and national admin only)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from followup.national.cells import chart_rows, indicator_rows, table_rows
from followup.national.exports import national_xlsx
from followup.national.permissions import can_view_national_overview
from followup.national.selectors import (
    CountyRow,
    NationalOverview,
    indicator_figures,
    national_overview,
)
from followup.national.selectors import overview_years as selectable_years
from followup.reports.charts import Bar, horizontal_bar_chart
from kvinnofrid.core import fragments
from kvinnofrid.core.parsing import parse_int
from kvinnofrid.core.small_numbers import format_count

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _percent(row: CountyRow) -> int:
    if row.round is None:
        return -1
    return row.round.percent or 0


# column key → (header, sort key); the first is the default, ascending
SORTS: dict[str, tuple[Any, Callable[[CountyRow], Any]]] = {
    "lan": (gettext_lazy("Län"), lambda r: r.county_code),
    "overenskommelse": (
        gettext_lazy("Överenskommelse"),
        lambda r: (r.agreement_valid_to is None, r.agreement_valid_to),
    ),
    "plan": (gettext_lazy("Handlingsplan och ram"), lambda r: (r.plan_id is None, r.plan_title)),
    "svar": (gettext_lazy("Svar"), _percent),
    "aktiviteter": (
        gettext_lazy("Aktiviteter per nationell målsättning"),
        lambda r: r.activity_total,
    ),
    "delmal": (gettext_lazy("Delmål med aktiviteter"), lambda r: r.coverage_percent or -1),
}


def _require(request: HttpRequest) -> None:
    if not can_view_national_overview(request.user):
        raise PermissionDenied


def _year(request: HttpRequest, years: list[int] | None = None) -> int:
    """``?ar=`` if it is a plausible year, else the latest year with a round (or last year);
    ``years``: the years with a round, when the caller has read them."""
    year = parse_int(request.GET.get("ar"), minimum=2000, maximum=2100)
    if year is not None:
        return year
    if request.GET.get("ar"):
        messages.warning(request, _("Året måste vara ett årtal mellan 2000 och 2100."))
    years = selectable_years() if years is None else years
    return years[0] if years else timezone.localdate().year - 1


def _sorted(rows: list[CountyRow], sort: str) -> tuple[list[CountyRow], str, bool]:
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "lan", "lan"
    descending = sort.startswith("-")
    return sorted(rows, key=SORTS[key][1], reverse=descending), key, descending


def _headers(year: int, key: str, descending: bool) -> list[dict[str, Any]]:
    """Each sortable column's header: its link (toggling the direction) and ``aria-sort``."""
    out = []
    for name, (label, _fn) in SORTS.items():
        active = name == key
        next_sort = f"-{name}" if active and not descending else name
        out.append(
            {
                "label": label,
                "href": "?" + urlencode({"ar": str(year), "sortera": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if active else None,
            }
        )
    return out


def _charts(overview: NationalOverview) -> dict[str, Any]:
    with_round = [r for r in overview.rows if r.round]
    response = [
        Bar(label=r.county_name, value=r.round.submitted, total=r.round.invited)
        for r in with_round
        if r.round
    ]
    totals = {key: 0 for key, _s, _t in overview.national_goals}
    for row in overview.rows:
        for key, n in row.activities_by_national_goal.items():
            totals[key] = totals.get(key, 0) + n
    biggest = max(totals.values(), default=0) or 1
    titles = {key: short for key, short, _t in overview.national_goals}
    activities = [
        Bar(label=f"{key}. {titles.get(key, '')}".strip(), value=n, total=biggest)
        for key, n in totals.items()
    ]
    return {
        "response": horizontal_bar_chart(
            response,
            title=_("Svarsfrekvens per län %(year)d") % {"year": overview.year},
            intro=_("Inbjudna aktörer som svarade, per län. "),
            item=_("%(label)s: %(value)d av %(total)d"),
            ident="nat-svar",
        ),
        "response_rows": response,
        "activities": horizontal_bar_chart(
            activities,
            title=_("Aktiviteter per nationell målsättning %(year)d") % {"year": overview.year},
            intro=_("Rapporterade aktiviteter i alla län per nationell målsättning. "),
            item=_("%(label)s: %(value)d aktiviteter"),
            ident="nat-aktiviteter",
        ),
        "activity_rows": [(bar.label, int(bar.value)) for bar in activities],
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Every county for a year (``?ar=``), sortable with ``?sortera=`` links, with charts."""
    _require(request)
    years = selectable_years()
    year = _year(request, years)
    sort = request.GET.get("sortera", "lan")
    content = fragments.cached_fragment(
        template="followup/national/_overview_content.html",
        county_id=None,  # renewed by every write: the rows themselves are cached per county
        flags=(year, sort, tuple(years), timezone.localdate()),
        context=lambda: _overview_context(year, sort, years),
    )
    return render(request, "followup/national/overview.html", {"year": year, "content": content})


def _overview_context(year: int, sort: str, years: list[int]) -> dict[str, Any]:
    data = national_overview(year=year)
    rows, key, descending = _sorted(data.rows, sort)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    keys = [k for k, _s, _t in data.national_goals]
    indicators = [
        (f, format_count(f.value, is_person_count=f.is_person_count))
        for f in indicator_figures(overview=data)
    ]
    charts = _charts(data)
    response_rows, activity_rows = chart_rows(charts["response_rows"], charts["activity_rows"])
    return {
        "data": data,
        "table_rows": table_rows(rows, keys, year),
        "year": year,
        "years": years,
        "headers": _headers(year, key, descending),
        "charts": charts,
        "response_rows": response_rows,
        "activity_rows": activity_rows,
        "export_url": reverse("followup:national-export") + "?" + urlencode({"ar": str(year)}),
        "indicators": bool(indicators),
        "indicator_rows": indicator_rows(indicators),
    }


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The overview of ``?ar=`` as an XLSX file."""
    _require(request)
    year = _year(request)
    response = HttpResponse(national_xlsx(national_overview(year=year)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="nationell-oversikt-{year}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
