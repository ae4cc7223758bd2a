"""Lägesrapport pages: list/download area, editor, preview, PDF build with progress, finalise.

Every view fetches through ``visible_to`` (another county → 404) and then checks a predicate
(visible but not allowed → 403). PDFs are streamed by the view, never served from /media.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from followup import permissions
from followup.exceptions import FollowUpError
from followup.models import FollowUpRound, ReportBuild, StatusReport
from followup.reports import builds as report_builds
from followup.reports import flow, guards, services
from followup.reports.charts import report_charts
from followup.reports.context import editor_goals, report_data
from followup.reports.facts import fact_checks, placeholder_help
from followup.reports.final import final_version
from followup.reports.forms import StatusReportEditForm, county_people
from followup.reports.list_rows import report_rows
from followup.reports.pdf import ReportRenderer
from followup.reports.voices import editor_voices
from kvinnofrid.core import fragments
from kvinnofrid.core.csrf import CSRF_PLACEHOLDER, fill_csrf
from kvinnofrid.core.locking import StaleObjectError
from kvinnofrid.directory.lookups import visible_county_or_404

POLL_STATUSES = {ReportBuild.Status.QUEUED, ReportBuild.Status.RUNNING}


def _report(request: HttpRequest, pk: int) -> StatusReport:
    return get_object_or_404(
        StatusReport.objects.visible_to(request.user).select_related("round__plan__county"),
        pk=pk,
    )


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
def report_list(request: HttpRequest, county_code: str) -> HttpResponse:
    """The download area: the county's final reports by year; coordinators also see drafts
    and can start a report for a round.

    The lists are a cached fragment (key: the county's version, the edit flag, the
    language); the forms that start a report (a round without a draft) are rendered with it,
    with a placeholder for the CSRF token that each request fills in."""
    county = visible_county_or_404(request.user, county_code)
    may_edit = permissions.can_edit_county(request.user, county.pk)

    def context() -> dict[str, Any]:
        # the county is visible to the user (above), and so are its reports
        finals, drafts, rounds_without_draft = report_rows(county_id=county.pk, drafts=may_edit)
        # the forms that start a report, rendered with the fragment and given this request's
        # CSRF token on the way out
        new_reports = render_to_string(
            "followup/report/_new_reports.html",
            {"rounds": rounds_without_draft, "csrf_token": CSRF_PLACEHOLDER},
        )
        return {
            "county": county,
            "finals": finals,
            "drafts": drafts,
            "may_edit": may_edit,
            "live": str(new_reports),
        }

    sections, new_reports = fragments.cached_render(
        template="followup/report/_list_sections.html",
        county_id=county.pk,
        flags=(may_edit,),
        context=context,
    )
    return render(
        request,
        "followup/report/list.html",
        {
            "county": county,
            "sections": sections,
            "new_reports": fill_csrf(mark_safe(new_reports), request),  # noqa: S308 - our own template's output
            "may_edit": may_edit,
        },
    )


@login_required
@require_POST
def report_create(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = get_object_or_404(
        FollowUpRound.objects.visible_to(request.user).select_related("plan__county"), pk=round_pk
    )
    _require(permissions.can_manage_round(request.user, round_))
    try:
        report = services.report_create(round_id=round_.pk, actor=request.user)
    except FollowUpError as exc:
        messages.error(request, str(exc))
        return redirect("followup:report-list", county_code=round_.plan.county.code)
    messages.success(request, _("Ett utkast till lägesrapport har skapats."))
    return redirect("followup:report-edit", pk=report.pk)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's overview: status, builds, and the actions the user may take."""
    report = _report(request, pk)
    may_edit = permissions.can_edit_report(request.user, report)
    _require(may_edit or permissions.can_download_report(request.user, report))
    builds = list(report.builds.order_by("-requested_at", "-id")[:10])
    latest_done = report_builds.latest_done_build(report)
    data = report_data(report_id=report.pk)
    return render(
        request,
        "followup/report/detail.html",
        {
            "report": report,
            "data": data,
            "charts": report_charts(data),
            "builds": builds,
            "latest_done": latest_done,
            "may_edit": may_edit and report.status == StatusReport.Status.DRAFT,
            "may_download": permissions.can_download_report(request.user, report),
            "fact_checks": fact_checks(report_id=report.pk)
            if may_edit and report.status == StatusReport.Status.DRAFT
            else [],
            "web_version": final_version(report),
        },
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor. A stale ``lock_version`` shows the conflict page with the typed text kept."""
    report = _report(request, pk)
    _require(permissions.can_edit_report(request.user, report))
    if report.status != StatusReport.Status.DRAFT:
        messages.error(request, _("Lägesrapporten är fastställd och kan inte ändras."))
        return redirect("followup:report-detail", pk=report.pk)
    goals = editor_goals(report_id=report.pk)
    people = county_people(county_id=report.round.plan.county_id)
    if request.method == "POST":
        form = StatusReportEditForm(request.POST, instance=report, goals=goals, people=people)
        if form.is_valid():
            try:
                services.report_update(
                    report_id=report.pk,
                    actor=request.user,
                    expected_version=form.cleaned_data["lock_version"],
                    **form.service_arguments(),
                )
            except StaleObjectError as exc:
                return _conflict(request, form, exc.current, goals, people)
            except FollowUpError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Lägesrapporten har sparats."))
                if "preview" in request.POST:
                    return redirect("followup:report-preview", pk=report.pk)
                return redirect("followup:report-edit", pk=report.pk)
        if _int_or_none(request.POST.get("lock_version")) is None:
            # A tampered or truncated post: re-show the typed text against the current version.
            data = request.POST.copy()
            data["lock_version"] = str(report.lock_version)
            form.data = data
    else:
        form = StatusReportEditForm(
            instance=report,
            goals=goals,
            people=people,
            initial={"lock_version": report.lock_version},
        )
    return render(
        request,
        "followup/report/edit.html",
        {"report": report, "form": form, **_editor_context(report, form)},
        status=400 if request.method == "POST" else 200,
    )


def _editor_context(report: StatusReport, form: StatusReportEditForm) -> dict[str, Any]:
    """The goal blocks with the actors' voices beside each analysis, the facts that contradict
    the round and the placeholders the texts may use."""
    voices = editor_voices(report=report)
    blocks = form.goal_blocks()
    for block in blocks:
        block["voices"] = voices.get(block["goal"]["id"], [])
    return {
        "goal_blocks": blocks,
        "fact_checks": fact_checks(report_id=report.pk),
        "placeholders": placeholder_help(),
    }


def _conflict(
    request: HttpRequest,
    form: StatusReportEditForm,
    current: StatusReport,
    goals: list[dict[str, Any]],
    people: list[Any],
) -> HttpResponse:
    saved_goals = {g["id"]: g["analysis"] for g in editor_goals(report_id=current.pk)}
    rows = []
    for name in guards.TEXT_FIELDS:
        mine = form.cleaned_data.get(name)
        saved = getattr(current, name)
        rows.append(
            {
                "label": form.fields[name].label,
                "mine": "" if mine is None else mine,
                "saved": "" if saved is None else saved,
                "differs": (mine or "") != (saved or ""),
            }
        )
    for goal in goals:
        mine = form.cleaned_data.get(f"analysis_{goal['id']}", "")
        saved = saved_goals.get(goal["id"], "")
        rows.append(
            {
                "label": form.fields[f"analysis_{goal['id']}"].label,
                "mine": mine,
                "saved": saved,
                "differs": mine != saved,
            }
        )
    # The user's own values stay in the form, now carrying the saved version.
    data = request.POST.copy()
    data["lock_version"] = str(current.lock_version)
    fresh = StatusReportEditForm(data, instance=current, goals=goals, people=people)
    fresh.is_valid()
    return render(
        request,
        "followup/report/conflict.html",
        {"report": current, "rows": rows, "form": fresh, **_editor_context(current, fresh)},
        status=409,
    )


@login_required
def report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as HTML, from the very template the PDF uses."""
    report = _report(request, pk)
    _require(permissions.can_edit_report(request.user, report))
    html = ReportRenderer().render_html(
        report_data(report_id=report.pk),
        preview=True,
        extra={"back_url": reverse("followup:report-detail", args=[report.pk])},
    )
    return HttpResponse(html)


@login_required
@require_POST
def report_build(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Bygg PDF": a durable build row, enqueued after commit; then the progress page."""
    report = _report(request, pk)
    _require(permissions.can_edit_report(request.user, report))
    try:
        build = report_builds.report_request_build(report_id=report.pk, actor=request.user)
    except FollowUpError as exc:
        messages.error(request, str(exc))
        return redirect("followup:report-detail", pk=report.pk)
    return redirect("followup:report-build-status", pk=report.pk, build_pk=build.pk)


@login_required
def report_build_status(request: HttpRequest, pk: int, build_pk: int) -> HttpResponse:
    """Progress of one build; htmx polls the fragment every 2 s until done or failed.

    A stuck build (its worker died, or it waited too long in the queue) stops the polling and
    offers "Bygg PDF på nytt", which replaces it with a new build."""
    report = _report(request, pk)
    _require(permissions.can_edit_report(request.user, report))
    build = get_object_or_404(ReportBuild.objects.filter(report=report), pk=build_pk)
    stuck = report.status == StatusReport.Status.DRAFT and build.is_stuck()
    context = {
        "report": report,
        "build": build,
        "stuck": stuck,
        "polling": build.status in POLL_STATUSES and not stuck,
        "may_finalise": report.status == StatusReport.Status.DRAFT
        and build.status == ReportBuild.Status.DONE,
    }
    if request.headers.get("HX-Request"):
        return render(request, "followup/report/_build_status.html", context)
    return render(request, "followup/report/build_status.html", context)


@login_required
def report_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Fastställ": confirm on GET, finalise on POST."""
    report = _report(request, pk)
    _require(permissions.can_edit_report(request.user, report))
    incomplete = (
        flow.incomplete_submissions(round_id=report.round_id)
        if report.status == StatusReport.Status.DRAFT
        else []
    )
    if request.method == "POST" and incomplete and not request.POST.get("confirm_incomplete"):
        messages.error(
            request,
            _(
                "Lägesrapporten är inte fastställd. Alla yttranden är inte granskade och "
                "godkända: bekräfta att du vill fastställa ändå."
            ),
        )
        return _finalise_page(request, report, incomplete, status=400)
    if request.method == "POST":
        try:
            services.report_finalise(
                report_id=report.pk,
                actor=request.user,
                expected_version=_int_or_none(request.POST.get("lock_version")),
            )
        except StaleObjectError:
            messages.error(
                request,
                _("Lägesrapporten har ändrats av någon annan. Kontrollera och försök igen."),
            )
        except FollowUpError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Lägesrapporten är fastställd."))
        return redirect("followup:report-detail", pk=report.pk)
    return _finalise_page(request, report, incomplete)


def _finalise_page(
    request: HttpRequest,
    report: StatusReport,
    incomplete: list[flow.IncompleteSubmission],
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "followup/report/finalise_confirm.html",
        {
            "report": report,
            "latest_done": report_builds.latest_done_build(report),
            "fact_checks": fact_checks(report_id=report.pk)
            if report.status == StatusReport.Status.DRAFT
            else [],
            "unreviewed": [s for s in incomplete if s.unreviewed],
            "unsent": [s for s in incomplete if not s.unreviewed],
        },
        status=status,
    )


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@login_required
def report_download(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """The report's PDF as an attachment: final reports for everyone in the county (and
    observers), drafts only for the coordinators."""
    report = _report(request, pk)
    _require(permissions.can_download_report(request.user, report))
    # A final report: exactly the file stored at "Fastställ" (its SHA-256 is on the version).
    version = final_version(report)
    if version is not None:
        stored = version.pdf
    else:
        build = report_builds.latest_done_build(report)
        if build is None:
            raise Http404
        stored = build.pdf
    filename = f"lagesrapport-{report.round.plan.county.code}-{report.round.year}.pdf"
    if report.status != StatusReport.Status.FINAL:
        filename = filename.replace(".pdf", "-utkast.pdf")
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def report_web_version(request: HttpRequest, pk: int) -> HttpResponse:
    """The final report's HTML version, exactly as frozen at "Fastställ" (never re-rendered);
    for everyone who may download the PDF. Drafts have none (404)."""
    report = _report(request, pk)
    _require(permissions.can_download_report(request.user, report))
    version = final_version(report)
    if version is None:
        raise Http404
    return HttpResponse(version.html, content_type="text/html; charset=utf-8")
