"""The audit trail as a page: filter, paginate, describe, export (issue 16 item 4).

The object pages (agreement, plan, round, yttrande, lägesrapport) fetch their object with their
own permission checks and hand this module the object's entries; the county and national pages
are in ``kvinnofrid.accounts.audit_views``. Nothing here writes: the trail is read-only.
"""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kvinnofrid.accounts.models import Membership, User
from kvinnofrid.accounts.permissions import is_national_admin
from kvinnofrid.core.audit_catalogue import Line, action_title, describe
from kvinnofrid.core.models import AuditEntry
from kvinnofrid.core.spreadsheet import csv_text
from kvinnofrid.directory.permissions import can_manage_actors

PAGE_SIZE = 50
CSV_BATCH = 2000
SYSTEM = "system"


class AuditFilterForm(forms.Form):
    """GET filters; the choices are what occurs in the trail being shown."""

    person = forms.ChoiceField(label=gettext_lazy("Person"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Händelse"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("Från och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data: Any, *, entries: QuerySet[AuditEntry]) -> None:
        super().__init__(data)
        actor_ids = set(entries.values_list("actor_id", flat=True).distinct())
        people = sorted(
            User.objects.filter(pk__in=actor_ids - {None}),
            key=lambda u: (u.full_name or u.email).casefold(),
        )
        person_choices = [("", _("Alla"))]
        person_choices += [(str(u.pk), u.full_name or u.email) for u in people]
        if None in actor_ids:
            person_choices.append((SYSTEM, _("Systemet")))
        cast(forms.ChoiceField, self.fields["person"]).choices = person_choices
        keys = sorted(set(entries.values_list("action", flat=True).distinct()))
        action_choices = sorted(((k, action_title(k)) for k in keys), key=lambda c: c[1])
        cast(forms.ChoiceField, self.fields["action"]).choices = [
            ("", _("Alla")),
            *action_choices,
        ]
        for name, field in self.fields.items():
            css = "form-select" if name in ("person", "action") else "form-control"
            field.widget.attrs["class"] = css

    def error_list(self) -> list[str]:
        """The errors as sentences, each naming its field."""
        return [
            f"{self.fields[name].label}: {error}" if name != "__all__" else str(error)
            for name, errors in self.errors.items()
            for error in errors
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Startdatumet måste vara före slutdatumet."))
        return cleaned

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """The entries that pass the filters (all of them when the form is invalid)."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("person") == SYSTEM:
            entries = entries.filter(actor__isnull=True)
        elif data.get("person"):
            entries = entries.filter(actor_id=int(data["person"]))
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        zone = timezone.get_current_timezone()
        if data.get("date_from"):
            start = datetime.datetime.combine(data["date_from"], datetime.time.min, zone)
            entries = entries.filter(created_at__gte=start)
        if data.get("date_to"):
            end = datetime.datetime.combine(
                data["date_to"] + datetime.timedelta(days=1), datetime.time.min, zone
            )
            entries = entries.filter(created_at__lt=end)
        return entries


def organisation_lookup(entries: Iterable[AuditEntry]) -> Any:
    """A function naming the organisation an entry's actor acted for: their organisation in the
    entry's county, else a national one, else any (one query for all entries)."""
    entries = list(entries)
    user_ids = {e.actor_id for e in entries if e.actor_id is not None}
    by_user: dict[int, list[tuple[int | None, str]]] = {}
    for user_id, county_id, name in Membership.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organisation__county_id", "organisation__name"
    ):
        by_user.setdefault(user_id, []).append((county_id, name))

    def organisation_of(entry: AuditEntry) -> str:
        options = sorted(by_user.get(entry.actor_id or 0, []), key=lambda o: o[1])
        for wanted in (entry.county_id_snapshot, None):
            for county_id, name in options:
                if county_id == wanted:
                    return name
        return options[0][1] if options else ""

    return organisation_of


def describe_entries(entries: Iterable[AuditEntry]) -> list[Line]:
    entries = list(entries)
    return describe(entries, organisation_of=organisation_lookup(entries))


def _changes_text(line: Line) -> str:
    return "; ".join(
        f"{row.label}: {row.text}" if row.text else f"{row.label}: {row.before} → {row.after}"
        for row in line.changes
    )


def csv_response(entries: QuerySet[AuditEntry], filename: str) -> StreamingHttpResponse:
    """The entries as CSV for Excel: UTF-8 with a byte-order mark, semicolons, no formulas.
    Streamed in batches of ``CSV_BATCH`` entries, so a trail of any length is exported whole
    in constant memory."""
    language = get_language()
    header = [
        _("Tidpunkt"), _("Person"), _("Organisation"), _("Händelse"), _("Objekt"), _("Ändringar")
    ]  # fmt: skip

    def chunks() -> Iterator[bytes]:
        yield ("\ufeff" + _csv_lines([header])).encode("utf-8")
        batch: list[AuditEntry] = []
        # the body is produced after the view has returned: keep the request's language
        with translation.override(language):
            for entry in entries.select_related("actor").iterator(chunk_size=CSV_BATCH):
                batch.append(entry)
                if len(batch) == CSV_BATCH:
                    yield _csv_lines(_csv_rows(batch)).encode("utf-8")
                    batch = []
            if batch:
                yield _csv_lines(_csv_rows(batch)).encode("utf-8")

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _csv_rows(entries: list[AuditEntry]) -> Iterator[list[str]]:
    for line in describe_entries(entries):
        yield [
            csv_text(cell)
            for cell in (
                line.when,
                line.actor,
                line.organisation,
                line.sentence,
                line.object_label,
                _changes_text(line),
            )
        ]


def _csv_lines(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@dataclass(frozen=True)
class TrailPage:
    """What the object page says about itself."""

    title: str  # "Historik – Tranås kommun – 2022"
    breadcrumbs: list[tuple[str, str]]  # (label, url) before the current page
    filename: str  # of the CSV export, without ".csv"
    show_object: bool = False  # a column naming each entry's object (county and national pages)


def render_trail(
    request: HttpRequest, entries: QuerySet[AuditEntry], page: TrailPage
) -> HttpResponseBase:
    """The trail page (or its CSV with ``?format=csv``) of ``entries``, newest first."""
    entries = entries.order_by("-created_at", "-id")
    form = AuditFilterForm(request.GET or None, entries=entries)
    filtered = form.apply(entries) if form.is_bound else entries
    if request.GET.get("format") == "csv":
        return csv_response(filtered, page.filename)
    paginator = Paginator(filtered.select_related("actor"), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    query.pop("format", None)
    return render(
        request,
        "accounts/audit_trail.html",
        {
            "page": page,
            "form": form,
            "errors": form.error_list() if form.is_bound else [],
            "lines": describe_entries(page_obj.object_list),
            "page_obj": page_obj,
            "query": query.urlencode(),
        },
    )


def target_q(model_entries: Iterable[tuple[Any, Iterable[int]]]) -> Q:
    """Entries whose target is one of the given (content type, ids)."""
    q = Q(pk__in=[])
    for content_type, ids in model_entries:
        q |= Q(target_type=content_type, target_id__in=list(ids))
    return q


def can_read_audit(user: Any, county_id: int | None) -> bool:
    """The county's coordinators read its trail; the national admin reads every trail."""
    return is_national_admin(user) or can_manage_actors(user, county_id)
