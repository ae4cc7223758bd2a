"""Every URL pattern, for every role, against objects of its own organisation, another
organisation in its county and another county (DESIGN §5, §10).

The table ``URLS`` classifies each named URL: who may see it (``rule``) and how to fill its
arguments from a small world of objects (``kwargs``). A URL that is added without a row here
makes ``test_every_url_is_classified`` fail, so the rule of DESIGN §5 is checked for every page
from the day it lands: out of scope → 404, visible but not allowed → 403, otherwise 200/302.

To classify a new URL: add ``"app:name": U(rule, lambda w: {...})`` below. ``w`` is the set of
objects for one scope (see ``build_world``); pick the rule that matches the view's permission
predicate (``county_read``, ``county_edit``, ``submission_read`` …) or write a new rule function.
POST-only views are detected (GET → 405) and then POSTed with empty data.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from actionplans.models import ActionPlan, IndicatorValue
from agreements.models import Commitment, Meeting
from followup.models import ReportBuild, StatusReport, Submission
from kvinnofrid.accounts.models import Invitation, Membership
from kvinnofrid.directory.models import OrganisationKind
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    FollowUpRoundFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    PartyFactory,
    PlannedActivityFactory,
    QuestionFactory,
    ReportedActivityFactory,
    StatusReportFactory,
    SubGoalFactory,
    SubmissionFactory,
    UserFactory,
    county,
)

ROLES = ("coordinator", "reporter", "management", "observer")
SCOPES = ("own", "other_org", "other_county")
LOGIN_PATH = "/konto/logga-in/"
EXCLUDED_NAMESPACES = {"admin"}

OK = frozenset({200, 204, 302})
NOT_FOUND = frozenset({404})
FORBIDDEN = frozenset({403})
# Visible but not changeable in this state (e.g. a submitted yttrande): refused with 403, or
# sent back to the read-only page with a message.
REFUSED = frozenset({302, 403})

Rule = Callable[[str, str], frozenset[int]]


# --- rules: (role, scope) -> allowed status codes ----------------------------------------------
def logged_in(role: str, scope: str) -> frozenset[int]:
    """Any logged-in user (lists filter by scope themselves)."""
    return OK


def county_read(role: str, scope: str) -> frozenset[int]:
    """Everyone in the county reads; observers read every county."""
    if role == "observer" or scope != "other_county":
        return OK
    return NOT_FOUND


def county_edit(role: str, scope: str) -> frozenset[int]:
    """Only the county's coordinators change; others who can see it get 403."""
    if scope == "other_county" and role != "observer":
        return NOT_FOUND
    return OK if role == "coordinator" else FORBIDDEN


def coordinator_anywhere(role: str, scope: str) -> frozenset[int]:
    """Pages without an object that only coordinators use (e.g. a new round)."""
    return OK if role == "coordinator" else FORBIDDEN


def round_overview(role: str, scope: str) -> frozenset[int]:
    """The response overview: coordinators and management of the county, observers."""
    if scope == "other_county" and role != "observer":
        return NOT_FOUND
    return FORBIDDEN if role == "reporter" else OK


def _submission_visible(role: str, scope: str) -> bool:
    # own: the reporter's organisation, draft; other_org: submitted; other_county: submitted.
    # Management and observers read submitted yttranden only (a draft is 404 for them).
    return {
        "coordinator": scope != "other_county",
        "reporter": scope == "own",
        "management": scope == "other_org",
        "observer": scope != "own",
    }[role]


def submission_read(role: str, scope: str) -> frozenset[int]:
    return OK if _submission_visible(role, scope) else NOT_FOUND


def submission_edit(role: str, scope: str) -> frozenset[int]:
    """The reporter's own draft (coordinators may edit on behalf); visible otherwise → refused."""
    if not _submission_visible(role, scope):
        return NOT_FOUND
    if scope == "own" and role in {"reporter", "coordinator"}:
        return OK
    return REFUSED


def submission_review(role: str, scope: str) -> frozenset[int]:
    if not _submission_visible(role, scope):
        return NOT_FOUND
    return OK if role == "coordinator" else FORBIDDEN


def submission_history(role: str, scope: str) -> frozenset[int]:
    """The audit trail of a yttrande: the county's coordinators and the organisation's own
    reporters; others who see the yttrande get 403."""
    if not _submission_visible(role, scope):
        return NOT_FOUND
    return OK if role == "coordinator" or (role == "reporter" and scope == "own") else FORBIDDEN


def draft_plan(role: str, scope: str) -> frozenset[int]:
    """A draft plan (and every page of it) exists only for the county's coordinators."""
    return OK if role == "coordinator" and scope != "other_county" else NOT_FOUND


def report_download(role: str, scope: str) -> frozenset[int]:
    """The world's report is a draft without a PDF: only coordinators may ask for it (and get
    404 because no PDF has been built yet)."""
    allowed = county_edit(role, scope)
    return allowed | NOT_FOUND if role == "coordinator" else allowed


def submission_pdf(role: str, scope: str) -> frozenset[int]:
    """A yttrande's PDF: its organisation and the county's coordinators, once it is sent in; the
    reporter's own yttrande in the world is a draft (404), so only the coordinator reads the
    other organisation's submitted one. Everyone else: 404."""
    return OK if role == "coordinator" and scope == "other_org" else NOT_FOUND


def report_web_version(role: str, scope: str) -> frozenset[int]:
    """Like the download; the world's report is a draft, so it has no web version (404)."""
    allowed = county_edit(role, scope)
    return NOT_FOUND if allowed == OK else allowed


def national_read(role: str, scope: str) -> frozenset[int]:
    """National pages (strategy frames): observers and national admins read; for everyone else
    they are out of scope."""
    return OK if role in {"observer", "national_admin"} else NOT_FOUND


def national_edit(role: str, scope: str) -> frozenset[int]:
    """National admins change frames; observers see them but may not (403); others 404."""
    if role == "national_admin":
        return OK
    return FORBIDDEN if role == "observer" else NOT_FOUND


def national_admin_only(role: str, scope: str) -> frozenset[int]:
    """Pages of the national admin (DESIGN §5); none of the walked roles is one."""
    return FORBIDDEN


def national_admin_hidden(role: str, scope: str) -> frozenset[int]:
    """Pages of the national admin that do not exist for anyone else (404)."""
    return NOT_FOUND


def national_only(role: str, scope: str) -> frozenset[int]:
    """The national overview: observers (and national admins) only; everyone else 403."""
    return OK if role == "observer" else FORBIDDEN


@dataclass(frozen=True)
class U:
    """One URL's classification. ``rule=None`` means public (anonymous gets ``anonymous``)."""

    rule: Rule | None
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    anonymous: frozenset[int] | None = None  # None: 302 to the login page
    post_rule: Rule | None = None  # who may POST, when it differs from who may GET


PUBLIC = frozenset({200})


def _c(w: Any) -> dict[str, Any]:
    return {"county_code": w.county.code}


def _plan(w: Any) -> dict[str, Any]:
    return {"county_code": w.county.code, "pk": w.plan.pk}


def _agr(w: Any) -> dict[str, Any]:
    return {"county_code": w.county.code, "pk": w.agreement.pk}


def _frame(w: Any) -> dict[str, Any]:
    return {"pk": w.plan.strategy_id}


def _frame_goal(w: Any) -> dict[str, Any]:
    return {"pk": w.plan.strategy_id, "goal_pk": w.national_goal.pk}


def _org(w: Any) -> dict[str, Any]:
    return {"county_code": w.county.code, "pk": w.organisation.pk}


URLS: dict[str, U] = {
    # public and account pages
    "accounts:login": U(None, anonymous=PUBLIC),
    "accounts:logout": U(None, anonymous=frozenset({302, 405})),
    "accounts:password_reset": U(None, anonymous=PUBLIC),
    "accounts:password_reset_done": U(None, anonymous=PUBLIC),
    "accounts:password_reset_confirm": U(
        None, lambda w: {"uidb64": "MQ", "token": "ogiltig-lank"}, anonymous=PUBLIC
    ),
    "accounts:password_reset_complete": U(None, anonymous=PUBLIC),
    "core:accessibility": U(None, anonymous=PUBLIC),
    # e-ID login (kvinnofrid/accounts/oidc.py): 404 while no provider is configured, as here
    "accounts:oidc_login": U(None, anonymous=NOT_FOUND),
    "accounts:oidc_callback": U(None, anonymous=NOT_FOUND),
    # the TOTP step: a session that owes no code is sent on (force_login submits no password)
    "accounts:two_factor": U(logged_in),
    "accounts:two_factor_reset": U(national_admin_hidden, lambda w: {"user_id": 1}),
    # language switch (kvinnofrid/language.py): POST sets the cookie and answers 303 to the
    # page; GET only redirects back. Anonymous users may switch language on the login page.
    "set_language": U(None, anonymous=frozenset({303})),
    "core:session-keepalive": U(logged_in, anonymous=frozenset({401, 405})),
    "home": U(logged_in),
    # the county's actors and people (issue 13)
    "actors:list": U(county_edit, _c),
    "actors:create": U(county_edit, _c),
    "actors:import": U(county_edit, _c),
    "actors:county-logo": U(county_edit, _c),
    "actors:detail": U(county_edit, _org),
    "actors:invite": U(county_edit, _org),
    "actors:people": U(county_edit, _c),
    "actors:invitation-resend": U(
        county_edit, lambda w: {"county_code": w.county.code, "pk": w.invitation.pk}
    ),
    "actors:invitation-revoke": U(
        county_edit, lambda w: {"county_code": w.county.code, "pk": w.invitation.pk}
    ),
    "actors:membership-role": U(
        county_edit, lambda w: {"county_code": w.county.code, "pk": w.membership.pk}
    ),
    "actors:membership-title": U(
        county_edit, lambda w: {"county_code": w.county.code, "pk": w.membership.pk}
    ),
    "actors:membership-remove": U(
        county_edit, lambda w: {"county_code": w.county.code, "pk": w.membership.pk}
    ),
    # an unknown token is refused with 404 (the same page for used, revoked and expired ones)
    "actors:invitation-accept": U(None, lambda w: {"token": "ogiltig-lank"}, anonymous=NOT_FOUND),
    "actors:national-coordinators": U(national_admin_only),
    # audit trails (issue 16 item 4): the county's coordinators and the national admin
    "actors:county-history": U(county_edit, _c),
    "actors:national-history": U(national_admin_only),
    "actors:retention-runs": U(national_admin_only),
    "agreements:agreement-history": U(county_edit, _agr),
    "followup:round-history": U(county_edit, lambda w: {"pk": w.round.pk}),
    "followup:submission-history": U(submission_history, lambda w: {"pk": w.submission.pk}),
    "followup:report-history": U(county_edit, lambda w: {"pk": w.report.pk}),
    # agreements
    "agreements:agreement-list": U(county_read, _c),
    "agreements:agreement-create": U(county_edit, _c),
    "agreements:agreement-detail": U(county_read, _agr),
    "agreements:agreement-edit": U(county_edit, _agr),
    "agreements:agreement-copy": U(county_edit, _agr),
    "agreements:item-create": U(county_edit, lambda w: {**_agr(w), "kind": "parter"}),
    "agreements:item-edit": U(
        county_edit, lambda w: {**_agr(w), "kind": "malomraden", "item_pk": w.commitment.pk}
    ),
    "agreements:item-delete": U(
        county_edit, lambda w: {**_agr(w), "kind": "sammantraden", "item_pk": w.meeting.pk}
    ),
    "agreements:item-move": U(
        county_edit, lambda w: {**_agr(w), "kind": "parter", "item_pk": w.party.pk}
    ),
    # action plans
    "actionplans:county-start": U(county_read, _c),
    "actionplans:plan-list": U(county_read, _c),
    "actionplans:plan-create": U(county_edit, _c),
    "actionplans:plan-import": U(county_edit, _c),
    "actionplans:plan-detail": U(county_read, _plan),
    "actionplans:plan-editor": U(county_edit, _plan),
    "actionplans:plan-edit": U(county_edit, _plan),
    "actionplans:plan-adopt": U(county_edit, _plan),
    "actionplans:plan-revise": U(county_edit, _plan),
    "actionplans:plan-delete": U(county_edit, _plan),
    "actionplans:plan-history": U(county_edit, _plan),
    "actionplans:plan-compare": U(county_read, _plan),
    "actionplans:plan-export": U(county_read, lambda w: {**_plan(w), "fmt": "json"}),
    "actionplans:indicator-values": U(
        county_read, lambda w: {**_plan(w), "part_pk": w.indicator.pk}, post_rule=county_edit
    ),
    "actionplans:indicator-value-delete": U(
        county_edit,
        lambda w: {**_plan(w), "part_pk": w.indicator.pk, "value_pk": w.indicator_value.pk},
    ),
    "actionplans:part-create": U(county_edit, lambda w: {**_plan(w), "kind": "mal"}),
    "actionplans:part-edit": U(
        county_edit, lambda w: {**_plan(w), "kind": "delmal", "part_pk": w.sub_goal.pk}
    ),
    "actionplans:part-delete": U(
        county_edit, lambda w: {**_plan(w), "kind": "aktivitet", "part_pk": w.activity.pk}
    ),
    "actionplans:part-move": U(
        county_edit, lambda w: {**_plan(w), "kind": "mal", "part_pk": w.goal.pk}
    ),
    # national strategy frames (the same national objects in every scope)
    "actionplans:strategy-list": U(national_read),
    "actionplans:strategy-create": U(national_edit),
    "actionplans:strategy-detail": U(national_read, _frame),
    "actionplans:strategy-edit": U(national_edit, _frame),
    "actionplans:strategy-goal-create": U(national_edit, _frame),
    "actionplans:strategy-goal-edit": U(national_edit, _frame_goal),
    "actionplans:strategy-goal-delete": U(national_edit, _frame_goal),
    # follow-up
    "followup:index": U(logged_in),
    "followup:round-create": U(coordinator_anywhere),
    "followup:round-detail": U(round_overview, lambda w: {"pk": w.round.pk}),
    "followup:round-edit": U(county_edit, lambda w: {"pk": w.round.pk}),
    "followup:round-questions": U(county_edit, lambda w: {"pk": w.round.pk}),
    "followup:round-transition": U(county_edit, lambda w: {"pk": w.round.pk, "action": "close"}),
    "followup:round-export": U(county_edit, lambda w: {"pk": w.round.pk}),
    "followup:round-remind-all": U(county_edit, lambda w: {"pk": w.round.pk}),
    "followup:submission-remind": U(submission_review, lambda w: {"pk": w.submission.pk}),
    "followup:registry-edit": U(county_edit, _c),
    "followup:submission-register": U(submission_review, lambda w: {"pk": w.submission.pk}),
    "followup:report-register": U(county_edit, lambda w: {"pk": w.report.pk}),
    "followup:submission-edit": U(submission_edit, lambda w: {"pk": w.submission.pk}),
    "followup:submission-detail": U(submission_read, lambda w: {"pk": w.submission.pk}),
    "followup:submission-submit": U(submission_edit, lambda w: {"pk": w.submission.pk}),
    "followup:submission-copy-last-year": U(submission_edit, lambda w: {"pk": w.submission.pk}),
    "followup:submission-review": U(
        submission_review, lambda w: {"pk": w.submission.pk, "action": "accept"}
    ),
    "followup:activity-add": U(submission_edit, lambda w: {"pk": w.submission.pk}),
    "followup:activity-edit": U(
        submission_edit,
        lambda w: {"pk": w.submission.pk, "activity_id": w.reported_activity.pk},
    ),
    "followup:submission-pdf": U(submission_pdf, lambda w: {"pk": w.submission.pk}),
    "followup:activity-delete": U(
        submission_edit,
        lambda w: {"pk": w.submission.pk, "activity_id": w.reported_activity.pk},
    ),
    # lägesrapport
    "followup:report-list": U(county_read, _c),
    "followup:report-create": U(county_edit, lambda w: {"round_pk": w.round.pk}),
    "followup:report-detail": U(county_edit, lambda w: {"pk": w.report.pk}),
    "followup:report-edit": U(county_edit, lambda w: {"pk": w.report.pk}),
    "followup:report-preview": U(county_edit, lambda w: {"pk": w.report.pk}),
    "followup:report-text-preview": U(county_edit, lambda w: {"pk": w.report.pk}),
    "followup:report-build": U(county_edit, lambda w: {"pk": w.report.pk}),
    "followup:report-build-status": U(
        county_edit, lambda w: {"pk": w.report.pk, "build_pk": w.build.pk}
    ),
    "followup:report-finalise": U(county_edit, lambda w: {"pk": w.report.pk}),
    "followup:report-download": U(report_download, lambda w: {"pk": w.report.pk}),
    "followup:report-web-version": U(report_web_version, lambda w: {"pk": w.report.pk}),
    # national level (issue 14)
    "followup:national-overview": U(national_only),
    "followup:national-export": U(national_only),
    "followup:report-back-latest": U(county_edit, _c),
    "followup:report-back": U(county_edit, lambda w: {**_c(w), "year": w.round.year}),
    "followup:report-back-finalise": U(county_edit, lambda w: {**_c(w), "year": w.round.year}),
    "followup:report-back-download": U(
        county_edit, lambda w: {**_c(w), "year": w.round.year, "fmt": "docx"}
    ),
}


# --- the resolver ------------------------------------------------------------------------------
def resolver_url_names() -> dict[str, str]:
    """{qualified name: route} for every named pattern except admin and static files."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in EXCLUDED_NAMESPACES:
                    continue
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if route.startswith(("static/", "media/")):
                    continue
                if p.name is None:
                    found[f"<unnamed> {route}"] = route
                    continue
                found[f"{namespace}:{p.name}" if namespace else p.name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def test_every_url_is_classified():
    names = resolver_url_names()
    missing = sorted(set(names) - set(URLS))
    assert not missing, (
        "These URLs are not classified in tests/test_url_walk.py (URLS): "
        + ", ".join(f"{n} ({names[n]})" for n in missing)
        + ". Add a row saying who may use each (rule) and how to build its arguments, so the "
        "permission walk covers them."
    )


def test_classification_has_no_stale_rows():
    stale = sorted(set(URLS) - set(resolver_url_names()))
    assert not stale, f"URLS rows for URLs that no longer exist: {stale}; remove them."


# --- the world -----------------------------------------------------------------------------------
def _plan_objects(c: Any, agreement: Any, status: str, version: int) -> SimpleNamespace:
    plan = ActionPlanFactory(county=c, agreement=agreement, status=status, version=version)
    goal = GoalFactory(plan=plan)
    sub_goal = SubGoalFactory(goal=goal)
    indicator = IndicatorFactory(plan=plan)
    return SimpleNamespace(
        plan=plan,
        goal=goal,
        sub_goal=sub_goal,
        activity=PlannedActivityFactory(sub_goal=sub_goal),
        indicator=indicator,
        indicator_value=IndicatorValue.objects.create(indicator=indicator, year=2022, value=3),
    )


def _county_objects(code: str, name: str) -> SimpleNamespace:
    """A county's agreement, its adopted plan (version 1) with a round and a draft report, and a
    draft revision of the plan (version 2, ``draft``: only the county's coordinators see it)."""
    c = county(code)
    agreement = AgreementFactory(county=c)
    adopted = _plan_objects(c, agreement, ActionPlan.Status.ADOPTED, 1)
    round_ = FollowUpRoundFactory(plan=adopted.plan)
    QuestionFactory(round=round_)
    report = StatusReportFactory(round=round_, status=StatusReport.Status.DRAFT)
    return SimpleNamespace(
        county=c,
        agreement=agreement,
        party=PartyFactory(agreement=agreement),
        commitment=Commitment.objects.create(agreement=agreement, heading=f"Målområde {name}"),
        meeting=Meeting.objects.create(agreement=agreement, date="2024-05-01", title="Möte"),
        **vars(adopted),
        draft=_plan_objects(c, agreement, ActionPlan.Status.DRAFT, 2),
        round=round_,
        report=report,
        build=ReportBuild.objects.create(report=report),
        national_goal=adopted.plan.strategy.goals.order_by("number").first(),
    )


def _submission(objects: SimpleNamespace, organisation: Any, status: str) -> SimpleNamespace:
    submitted_at = timezone.now() if status == Submission.Status.SUBMITTED else None
    submission = SubmissionFactory(
        round=objects.round, organisation=organisation, status=status, submitted_at=submitted_at
    )
    member = UserFactory()
    return SimpleNamespace(
        **vars(objects),
        organisation=organisation,
        invitation=Invitation.objects.create(
            email=f"inbjuden-{organisation.pk}@example.se",
            organisation=organisation,
            role="reporter",
            token_hash=f"{organisation.pk:064d}",
            expires_at=timezone.now() + datetime.timedelta(days=14),
        ),
        membership=Membership.objects.create(
            user=member, organisation=organisation, role="reporter"
        ),
        submission=submission,
        reported_activity=ReportedActivityFactory(submission=submission),
    )


def build_world() -> tuple[dict[str, Any], dict[str, SimpleNamespace]]:
    """Users of each role in Jönköpings län (06) and objects in three scopes.

    own: the county's objects and the reporter's own organisation's draft submission;
    other_org: the same county's objects and another municipality's submitted submission;
    other_county: Kronoberg's (07) objects and a submitted submission there.
    """
    home = _county_objects("06", "F")
    away = _county_objects("07", "G")
    own_org = OrganisationFactory(county=home.county, kind=OrganisationKind.KOMMUN)
    orgs = {
        "coordinator": OrganisationFactory(county=home.county, kind=OrganisationKind.LANSSTYRELSE),
        "reporter": own_org,
        "management": OrganisationFactory(county=home.county, kind=OrganisationKind.REGION),
        "observer": OrganisationFactory(county=None, kind=OrganisationKind.MYNDIGHET),
    }
    users = {}
    for role, org in orgs.items():
        users[role] = UserFactory()
        Membership.objects.create(user=users[role], organisation=org, role=role)
    other_org = OrganisationFactory(county=home.county, kind=OrganisationKind.KOMMUN)
    away_org = OrganisationFactory(county=away.county, kind=OrganisationKind.KOMMUN)
    scopes = {
        "own": _submission(home, own_org, Submission.Status.DRAFT),
        "other_org": _submission(home, other_org, Submission.Status.SUBMITTED),
        "other_county": _submission(away, away_org, Submission.Status.SUBMITTED),
    }
    return users, scopes


def _url(name: str, spec: U, objects: SimpleNamespace | None) -> str:
    kwargs = spec.kwargs(objects) if spec.kwargs and objects is not None else {}
    return reverse(name, kwargs=kwargs)


def _request(client: Client, url: str, method: str = "GET") -> tuple[str, int, str]:
    """GET (or POST empty data to) the URL; for POST-only views (GET → 405) POST instead.
    Whatever the request writes is rolled back."""
    with transaction.atomic():
        response = client.post(url, {}) if method == "POST" else client.get(url)
        if method == "GET" and response.status_code == 405:
            response = client.post(url, {})
            method = "POST"
        transaction.set_rollback(True)
    return method, response.status_code, response.get("Location", "")


CLASSIFIED = sorted(URLS)


@pytest.mark.django_db
def test_anonymous_is_sent_to_login():
    # given
    _users, scopes = build_world()
    client = Client()
    existing = resolver_url_names()
    failures = []
    # when every URL is requested without logging in
    for name in CLASSIFIED:
        if name not in existing:
            continue
        spec = URLS[name]
        url = _url(name, spec, scopes["own"])
        try:
            method, status, location = _request(client, url)
        except Exception as exc:
            failures.append(f"{name} {url}: raised {exc!r}")
            continue
        # then
        if spec.anonymous is not None:
            if status not in spec.anonymous:
                failures.append(f"{name} {method} {url}: {status}, expected {set(spec.anonymous)}")
        elif status != 302 or urlsplit(location).path != LOGIN_PATH:
            failures.append(f"{name} {method} {url}: {status} {location}, expected 302 to login")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_role_sees_own_scope_and_nothing_else(role):
    # given a user of the role and objects in three scopes
    users, scopes = build_world()
    client = Client()
    client.force_login(users[role])
    existing = resolver_url_names()
    failures = []
    # when every classified login-required URL is requested for each scope
    for name in CLASSIFIED:
        spec = URLS[name]
        if name not in existing or spec.rule is None:
            continue
        for scope in SCOPES if spec.kwargs else ("own",):
            url = _url(name, spec, scopes[scope])
            failures.extend(_check(client, name, url, role, scope, spec))
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _check(client: Client, name: str, url: str, role: str, scope: str, spec: U) -> list[str]:
    """GET (POST for POST-only views) against ``rule``; then POST empty data against
    ``post_rule`` (405 allowed for read-only views), so a form that shows for reading cannot be
    posted by someone who may not change it."""
    assert spec.rule is not None
    problems: list[str] = []
    post_expected = (spec.post_rule or spec.rule)(role, scope)
    try:
        method, status, location = _request(client, url)
        results = [(method, status, location, spec.rule(role, scope))]
        if method == "GET":
            post = _request(client, url, "POST")
            # an allowed POST of an empty form may answer 400 with the form and its errors
            allowed_post = post_expected | {405} | ({400} if 200 in post_expected else set())
            results.append((*post, frozenset(allowed_post)))
    except Exception as exc:
        return [f"{name} [{scope}] {url}: raised {exc!r}"]
    for method, status, location, expected in results:
        if status not in expected:
            problems.append(
                f"{name} [{scope}] {method} {url}: {status}, expected {sorted(expected)}"
            )
        elif status == 302 and urlsplit(location).path == LOGIN_PATH:
            problems.append(f"{name} [{scope}] {method} {url}: logged-in user sent to login")
    return problems


# Every page of one plan: the action-plan URLs whose arguments name a plan.
PLAN_URLS = sorted(
    n
    for n, spec in URLS.items()
    if n.startswith("actionplans:")
    and spec.kwargs is not None
    and spec.kwargs is not _c
    and spec.rule not in {national_read, national_edit}
)


NATIONAL_URLS = sorted(
    name for name, spec in URLS.items() if spec.rule in {national_read, national_edit}
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_draft_plan_is_for_the_countys_coordinators_only(role):
    """Issue 12 item 11: every page of a draft plan is 404 for reporters, management, observers
    and other counties' coordinators; the county's coordinators get the page as usual."""
    # given the draft revision (version 2) of each county's plan
    users, scopes = build_world()
    client = Client()
    client.force_login(users[role])
    failures = []
    # when every page of the plan is requested
    for name in PLAN_URLS:
        spec = URLS[name]
        for scope in SCOPES:
            objects = scopes[scope]
            draft = SimpleNamespace(**{**vars(objects), **vars(objects.draft)})
            url = _url(name, spec, draft)
            failures.extend(_check(client, name, url, role, scope, U(draft_plan, spec.kwargs)))
    # then
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_national_admin_on_the_national_pages():
    # given a national admin (the other roles are walked above)
    _users, scopes = build_world()
    admin = UserFactory()
    organisation = OrganisationFactory(county=None, kind=OrganisationKind.MYNDIGHET)
    Membership.objects.create(user=admin, organisation=organisation, role="national_admin")
    client = Client()
    client.force_login(admin)
    failures = []
    # when every national page is requested and posted for each scope
    for name in NATIONAL_URLS:
        spec = URLS[name]
        for scope in SCOPES if spec.kwargs else ("own",):
            url = _url(name, spec, scopes[scope])
            failures.extend(_check(client, name, url, "national_admin", scope, spec))
    # then each answers as the rule says
    assert len(NATIONAL_URLS) == 7
    assert not failures, "\n".join(failures)
