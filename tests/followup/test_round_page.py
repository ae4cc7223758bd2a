"""The response overview's written-out reader of the round, its plan and county and its
lägesrapporter gives what the ORM gives (followup.selectors.round_page)."""

import datetime

import pytest
from django.utils import timezone

from followup.models import FollowUpRound, StatusReport
from followup.selectors.round_page import (
    COUNTY_FIELDS,
    PLAN_FIELDS,
    ROUND_FIELDS,
    ReportLink,
    round_page,
)
from tests.factories import (
    ActionPlanFactory,
    FollowUpRoundFactory,
    StatusReportFactory,
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
