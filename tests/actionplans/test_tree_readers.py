"""The plan tree's written-out reads (actionplans.tree_readers) give what the ORM queries they
stand for give, row by row, in the same order and with the same values, on whatever database
the tests run on."""

import datetime
from decimal import Decimal

import pytest

from actionplans import tree_readers
from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
)
from kvinnofrid.directory.models import OrganisationKind
from tests.factories import (
    ActionPlanFactory,
    GoalFactory,
    IndicatorFactory,
    OrganisationFactory,
    PlannedActivityFactory,
    SubGoalFactory,
    county,
    national_goal,
)

pytestmark = pytest.mark.django_db


def _orm_goals(plan):
    return list(
        Goal.objects.filter(plan=plan)
        .order_by(
            "order", "number", "id", "national_goals__strategy", "national_goals__number",
            "sub_goals__order", "sub_goals__id",
        )
        .values_list(
            "id", "number", "title", "description", "national_goals__id",
            "national_goals__number", "national_goals__short_title", "national_goals__title",
            "sub_goals__id", "sub_goals__code", "sub_goals__text",
        )
    )  # fmt: skip


def _orm_activities(plan):
    return list(
        PlannedActivity.objects.filter(sub_goal__goal__plan=plan)
        .order_by("sub_goal_id", "order", "id", "responsible__county__code", "responsible__name")
        .values_list("id", "sub_goal_id", "text", "responsible__name")
    )


def _orm_indicators(plan):
    return list(
        Indicator.objects.filter(plan=plan)
        .order_by("order", "id", "sub_goals__goal__order", "sub_goals__order", "sub_goals__id")
        .values_list("id", "name", "kind", "source", "unit", "baseline", "sub_goals__id")
    )


def _orm_values(plan):
    return list(
        IndicatorValue.objects.filter(indicator__plan=plan)
        .order_by("indicator_id", "year", "organisation__name")
        .values_list("indicator_id", "year", "organisation__name", "value", "note")
    )


def _orm_targets(plan):
    return list(
        IndicatorTarget.objects.filter(indicator__plan=plan)
        .order_by("indicator_id", "year")
        .values_list("indicator_id", "year", "value")
    )


def _same(rows, orm_rows):
    assert [tuple(r) for r in rows] == orm_rows
    # the same Python values, not only equal ones (Decimal('1.50') is not 1.5)
    assert [[type(v) for v in r] for r in rows] == [[type(v) for v in r] for r in orm_rows]
    assert [[str(v) for v in r] for r in rows] == [[str(v) for v in r] for r in orm_rows]


@pytest.fixture
def plan():
    """A plan whose orders differ from numbers, codes and ids, with ties; goals linked to
    national goals of two strategies, activities with organisations of two counties or none,
    indicators with and without delmål, values with and without organisation, targets."""
    plan = ActionPlanFactory(county=county("06"))
    g1 = GoalFactory(plan=plan, number=1, order=9, title="Ökad kunskap")
    g2 = GoalFactory(plan=plan, number=2, order=5, title="Tidiga insatser", description="a\nb")
    GoalFactory(plan=plan, number=3, order=0, title="Mål utan delmål")
    newer = NationalStrategy.objects.create(
        name="En nyare strategi",
        valid_from=datetime.date(2030, 1, 1),
        valid_until=datetime.date(2040, 12, 31),
    )
    other = NationalGoal.objects.create(strategy=newer, number=1, title="Ny", short_title="Ny")
    g1.national_goals.add(national_goal(3), national_goal(1), other)
    g2.national_goals.add(national_goal(2))
    s12 = SubGoalFactory(goal=g1, code="1:2", text="Utbildning", order=2)
    s11 = SubGoalFactory(goal=g1, code="1:1", text="Kunskapen ska öka", order=1)
    s23 = SubGoalFactory(goal=g2, code="2:3", text="Tredje", order=3)
    s2x = SubGoalFactory(goal=g2, code="", text="Utan beteckning", order=3)
    a = PlannedActivityFactory(sub_goal=s11, order=2, text="Kampanj")
    b = PlannedActivityFactory(sub_goal=s11, order=1, text="Utbildning\r\nsteg 2")
    PlannedActivityFactory(sub_goal=s11, order=1, text="Utan ansvariga")
    PlannedActivityFactory(sub_goal=s23, order=0)
    a.responsible.add(
        OrganisationFactory(name="Örebro kommun", county=county("18")),
        OrganisationFactory(name="Bank", county=county("06")),
        OrganisationFactory(name="Myndigheten", county=None, kind=OrganisationKind.MYNDIGHET),
    )
    b.responsible.add(OrganisationFactory(name="Aneby kommun"))
    i1 = IndicatorFactory(plan=plan, order=2, name="Andel", unit="%", baseline=Decimal("12.50"))
    i2 = IndicatorFactory(plan=plan, order=1, name="Antal", source="SCB")
    IndicatorFactory(plan=plan, order=1, name="Utan delmål", baseline=Decimal(3))
    i1.sub_goals.add(s12, s11, s2x)
    i2.sub_goals.add(s23)
    for org, year, value in [
        (OrganisationFactory(name="Vetlanda"), 2024, "1.5"),
        (OrganisationFactory(name="Eksjö"), 2024, "-2"),
        (None, 2023, "7.25"),
        (None, 2025, "100"),
    ]:
        IndicatorValue.objects.create(
            indicator=i1, organisation=org, year=year, value=Decimal(value), note="n"
        )
    IndicatorValue.objects.create(indicator=i2, year=2020, value=Decimal("0.01"))
    IndicatorTarget.objects.create(indicator=i1, year=2026, value=Decimal("20"))
    IndicatorTarget.objects.create(indicator=i1, year=2024, value=Decimal("15.5"))
    IndicatorTarget.objects.create(indicator=i2, year=2030, value=Decimal("3"))
    # another plan's parts are not included
    other_plan = ActionPlanFactory(county=county("06"))
    other_sub = SubGoalFactory(goal=GoalFactory(plan=other_plan, number=1))
    PlannedActivityFactory(sub_goal=other_sub)
    other_indicator = IndicatorFactory(plan=other_plan)
    other_indicator.sub_goals.add(other_sub)
    IndicatorValue.objects.create(indicator=other_indicator, year=2024, value=Decimal(1))
    IndicatorTarget.objects.create(indicator=other_indicator, year=2024, value=Decimal(1))
    return plan


def test_goal_rows_match_the_orm(plan):
    rows = tree_readers.goal_rows(plan.pk)
    _same(rows, _orm_goals(plan))
    assert [r[1] for r in rows][0] == 3  # goal 3 (order 0) first
    assert len({r[4] for r in rows if r[1] == 1}) == 3


def test_activity_rows_match_the_orm(plan):
    rows = tree_readers.activity_rows(plan.pk)
    _same(rows, _orm_activities(plan))
    assert len(rows) == 6


def test_indicator_rows_match_the_orm(plan):
    rows = tree_readers.indicator_rows(plan.pk)
    _same(rows, _orm_indicators(plan))
    assert Decimal("12.50") in [r[5] for r in rows]


def test_value_and_target_rows_match_the_orm(plan):
    values, targets = tree_readers.values_and_targets(plan.pk)
    _same(values, _orm_values(plan))
    _same(targets, _orm_targets(plan))
    assert (len(values), len(targets)) == (5, 3)


def test_a_plan_without_parts_has_no_rows():
    plan = ActionPlanFactory(county=county("06"))
    for read in (
        tree_readers.goal_rows,
        tree_readers.activity_rows,
        tree_readers.indicator_rows,
    ):
        assert read(plan.pk) == []
    assert tree_readers.values_and_targets(plan.pk) == ([], [])


def test_revisions_match_the_orm():
    plan = ActionPlanFactory(county=county("06"), status=ActionPlan.Status.ADOPTED, version=1)
    assert tree_readers.revisions(plan.pk) == []
    for start, version, status in [
        (2021, 2, ActionPlan.Status.ARCHIVED),
        (2023, 3, ActionPlan.Status.DRAFT),
        (2021, 4, ActionPlan.Status.ADOPTED),
    ]:
        ActionPlanFactory(
            county=county("06"), supersedes=plan, period_start=start, version=version, status=status
        )
    ActionPlanFactory(county=county("06"), supersedes=ActionPlanFactory(county=county("06")))
    rows = tree_readers.revisions(plan.pk)
    assert rows == list(plan.superseded_by.values("pk", "status", "version"))
    assert [r["version"] for r in rows] == [3, 4, 2]


def _orm_detail(pk, code):
    return (
        ActionPlan.objects.select_related("county")
        .only(*tree_readers._DETAIL_FIELDS, "county__code", "county__name")
        .filter(pk=pk, county__code=code)
        .first()
    )


def test_the_plan_view_s_plan_is_the_orms(django_assert_num_queries):
    adopted = ActionPlanFactory(
        county=county("06"),
        status=ActionPlan.Status.ADOPTED,
        adopted_on=datetime.date(2024, 3, 5),
        diarienummer="Dnr <1>",
        vision="Ett\nliv",
    )
    draft = ActionPlanFactory(county=county("18"), status=ActionPlan.Status.DRAFT)
    cases = [(adopted.pk, "06"), (draft.pk, "18"), (adopted.pk, "18"), (draft.pk, "06")]
    cases += [(0, "06"), (-1, "06"), (2**63, "06"), (-(2**63) - 1, "06"), (adopted.pk, "")]
    for pk, code in cases:
        expected = _orm_detail(pk, code) if abs(pk) < 2**63 else None
        with django_assert_num_queries(0 if abs(pk) >= 2**63 else 1):
            got = tree_readers.plan_for_detail(pk, code)
        assert got == expected
        if got is None:
            continue
        assert got.get_deferred_fields() == expected.get_deferred_fields()
        assert got.county.get_deferred_fields() == expected.county.get_deferred_fields()
        for f in ActionPlan._meta.concrete_fields:
            if f.attname not in got.get_deferred_fields():
                value, orm_value = getattr(got, f.attname), getattr(expected, f.attname)
                assert (type(value), value) == (type(orm_value), orm_value)
        with django_assert_num_queries(0):  # the county is read with the plan
            assert (got.county.pk, got.county.code, got.county.name) == (
                expected.county.pk, expected.county.code, expected.county.name,
            )  # fmt: skip
