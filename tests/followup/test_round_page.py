"""The response overview's written-out readers give what the ORM gives
(followup.selectors.round_page): the round with its plan, county and lägesrapporter; the
round's submissions with their activity counts and the e-mails logged for them."""

import datetime

import pytest
from django.db.models import Count
from django.utils import timezone

from followup.models import FollowUpRound, ReminderLog, StatusReport, Submission
from followup.selectors.round_page import (
    COUNTY_FIELDS,
    PLAN_FIELDS,
    ROUND_FIELDS,
    ReportLink,
    round_page,
    round_submissions,
)
from kvinnofrid.directory.models import OrganisationKind
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    OrganisationFactory,
    ReportedActivityFactory,
    StatusReportFactory,
    SubmissionFactory,
    county,
)

pytestmark = pytest.mark.django_db


def _fields(obj, names):
    return tuple(getattr(obj, name) for name in names)


def _orm(round_id):
    round_ = FollowUpRound.objects.select_related("plan__county").get(pk=round_id)
    reports = [
        ReportLink(r.pk, r.status, r.title)
        for r in StatusReport.objects.filter(round_id=round_id)
        .only("pk", "status", "title", "round_id")
        .order_by("-finalised_at", "-id")
    ]
    return (
        _fields(round_, ROUND_FIELDS),
        _fields(round_.plan, PLAN_FIELDS),
        _fields(round_.plan.county, COUNTY_FIELDS),
        str(round_.plan),
        reports,
    )


def _read(round_id, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = round_page(round_id=round_id)
        assert found is not None
        round_, reports = found
        # what the page reads of the round, its plan and county: no further query
        read = (
            _fields(round_, ROUND_FIELDS),
            _fields(round_.plan, PLAN_FIELDS),
            _fields(round_.plan.county, COUNTY_FIELDS),
            str(round_.plan),
            reports,
        )
    assert isinstance(round_, FollowUpRound)
    assert (
        round_.get_status_display() == FollowUpRound.objects.get(pk=round_id).get_status_display()
    )
    return read


def test_round_page_without_reports_matches_the_orm(django_assert_num_queries):
    round_ = FollowUpRoundFactory(plan=ActionPlanFactory(county=county("06")), opens_on=None)
    FollowUpRoundFactory(plan=round_.plan, year=2021)  # another round of the plan
    assert _read(round_.pk, django_assert_num_queries) == _orm(round_.pk)
    assert _orm(round_.pk)[4] == []


def test_round_page_reports_in_the_orms_order(django_assert_num_queries):
    round_ = FollowUpRoundFactory(
        plan=ActionPlanFactory(county=county("12")), status=FollowUpRound.Status.CLOSED
    )
    now = timezone.now()
    StatusReportFactory(round=round_, title="Äldre <fastställd>", status="final", finalised_at=now)
    StatusReportFactory(
        round=round_,
        title="Nyare fastställd",
        status="final",
        finalised_at=now + datetime.timedelta(days=1),
    )
    StatusReportFactory(round=round_, title="Utkast", status="draft")  # one draft a round
    StatusReportFactory(round=FollowUpRoundFactory(plan=round_.plan, year=2021), title="Annan")
    read = _read(round_.pk, django_assert_num_queries)
    assert read == _orm(round_.pk)
    assert len(read[4]) == 3


def test_round_page_of_a_missing_round_is_none():
    assert round_page(round_id=987654) is None


def _orm_submissions(round_id):
    submissions = list(
        Submission.objects.filter(round_id=round_id)
        .values_list(
            "pk",
            "organisation_id",
            "organisation__name",
            "organisation__kind",
            "status",
            "submitted_at",
            "deadline_extended_to",
            "personal_data_flagged",
            "diarienummer",
        )
        .annotate(n_activities=Count("activities"))
        .order_by("organisation__name", "pk")
    )
    reminders = {}
    for submission_id, kind, sent_at, recipients in (
        ReminderLog.objects.filter(submission__round_id=round_id)
        .order_by("sent_at", "pk")
        .values_list("submission_id", "kind", "sent_at", "recipients")
    ):
        reminders.setdefault(submission_id, []).append((kind, sent_at, recipients))
    return submissions, reminders


def test_round_submissions_match_the_orm(django_assert_num_queries):
    round_ = FollowUpRoundFactory(plan=ActionPlanFactory(county=county("06")))
    other = FollowUpRoundFactory(plan=round_.plan, year=2021)
    sent = timezone.now().replace(microsecond=0)
    subs = [
        SubmissionFactory(
            round=round_,
            organisation=OrganisationFactory(name="Örebro kommun", kind=OrganisationKind.KOMMUN),
            status=Submission.Status.SUBMITTED,
            submitted_at=sent,
            personal_data_flagged=True,
            diarienummer="LST 2025-1",
        ),
        SubmissionFactory(
            round=round_,
            organisation=OrganisationFactory(name="Alvesta kommun", kind=OrganisationKind.KOMMUN),
            deadline_extended_to=datetime.date(2023, 3, 1),
        ),
        SubmissionFactory(round=round_, organisation=OrganisationFactory(name="Region <Z>")),
    ]
    for _ in range(3):
        ReportedActivityFactory(submission=subs[0])
    ReportedActivityFactory(submission=subs[2])
    ReportedActivityFactory(submission=SubmissionFactory(round=other))
    for i, kind in enumerate(["reminder_v2", "invitation", "submitted"]):
        ReminderLog.objects.create(
            submission=subs[0],
            kind=kind,
            sent_at=sent - datetime.timedelta(hours=3 * i),
            recipients="a@x.se, b@x.se," if i else "",
        )
    ReminderLog.objects.create(submission=subs[2], kind="invitation", sent_at=sent)
    with django_assert_num_queries(1):
        read = round_submissions(round_id=round_.pk)
    assert read == _orm_submissions(round_.pk)
    assert [s[2] for s in read[0]] == ["Alvesta kommun", "Region <Z>", "Örebro kommun"]
    assert [s[9] for s in read[0]] == [0, 1, 3]
    assert [kind for kind, _sent, _to in read[1][subs[0].pk]] == [
        "submitted",
        "invitation",
        "reminder_v2",
    ]
    assert read[0][2][5].tzinfo is not None


def test_round_submissions_of_a_round_without_any():
    round_ = FollowUpRoundFactory(plan=ActionPlanFactory(county=county("06")))
    assert round_submissions(round_id=round_.pk) == ([], {})
