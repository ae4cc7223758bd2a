"""Database constraints of the data model; they must hold on SQLite and on PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from actionplans.models import ActionPlan, IndicatorValue, NationalGoal
from agreements.models import Agreement, Party
from followup.models import Answer, FollowUpRound, Submission
from kvinnofrid.directory.models import Organisation
from tests.factories import (
    ActionPlanFactory,
    AgreementFactory,
    FollowUpRoundFactory,
    IndicatorFactory,
    OrganisationFactory,
    PartyFactory,
    QuestionFactory,
    SubmissionFactory,
    county,
)

pytestmark = pytest.mark.django_db


def refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


class TestIndicatorValue:
    def test_one_value_per_indicator_year_and_organisation(self):
        indicator = IndicatorFactory()
        org = OrganisationFactory()
        IndicatorValue.objects.create(indicator=indicator, year=2022, organisation=org, value=1)

        assert refused(
            lambda: IndicatorValue.objects.create(
                indicator=indicator, year=2022, organisation=org, value=2
            )
        )
        # other year, other organisation: fine
        IndicatorValue.objects.create(indicator=indicator, year=2023, organisation=org, value=2)
        IndicatorValue.objects.create(
            indicator=indicator, year=2022, organisation=OrganisationFactory(), value=3
        )

    def test_one_county_total_per_indicator_and_year(self):
        # NULL organisation: a plain unique constraint would let duplicates through on
        # PostgreSQL (NULLs are distinct), so the county total has its own partial constraint.
        indicator = IndicatorFactory()
        IndicatorValue.objects.create(indicator=indicator, year=2022, value=Decimal("12.5"))

        assert refused(
            lambda: IndicatorValue.objects.create(indicator=indicator, year=2022, value=13)
        )
        IndicatorValue.objects.create(indicator=indicator, year=2023, value=13)
        assert IndicatorValue.objects.filter(indicator=indicator).count() == 2

    def test_validate_constraints_reports_the_duplicate_in_swedish(self):
        indicator = IndicatorFactory()
        IndicatorValue.objects.create(indicator=indicator, year=2022, value=1)

        duplicate = IndicatorValue(indicator=indicator, year=2022, value=2)
        with pytest.raises(ValidationError, match="Det finns redan ett länsvärde för året."):
            duplicate.validate_constraints()


class TestAgreement:
    def test_valid_until_may_not_precede_valid_from(self):
        assert refused(
            lambda: AgreementFactory(
                valid_from=datetime.date(2024, 3, 19), valid_until=datetime.date(2024, 3, 18)
            )
        )
        AgreementFactory(
            valid_from=datetime.date(2024, 3, 19), valid_until=datetime.date(2024, 3, 19)
        )
        AgreementFactory(valid_from=None, valid_until=datetime.date(2026, 12, 31))

    def test_clean_names_the_field(self):
        agreement = Agreement(
            county=county("07"),
            title="Regional överenskommelse",
            valid_from=datetime.date(2024, 3, 19),
            valid_until=datetime.date(2023, 1, 1),
        )
        with pytest.raises(ValidationError) as excinfo:
            agreement.clean()
        assert "valid_until" in excinfo.value.message_dict

    def test_status_follows_the_dates(self):
        agreement = AgreementFactory(
            signed_on=datetime.date(2024, 3, 19),
            valid_from=datetime.date(2024, 3, 19),
            valid_until=datetime.date(2026, 12, 31),
        )
        assert agreement.status_on(datetime.date(2024, 3, 18)) == Agreement.Status.DRAFT
        assert agreement.status_on(datetime.date(2026, 12, 31)) == Agreement.Status.IN_FORCE
        assert agreement.status_on(datetime.date(2027, 1, 1)) == Agreement.Status.EXPIRED

    def test_an_organisation_signs_once(self):
        party = PartyFactory()
        assert refused(
            lambda: Party.objects.create(agreement=party.agreement, organisation=party.organisation)
        )


class TestOrganisation:
    def test_municipality_code_is_unique(self):
        OrganisationFactory(name="Tranås kommun", municipality_code="0687")

        assert refused(lambda: OrganisationFactory(name="Tranås", municipality_code="0687"))

    def test_empty_municipality_codes_do_not_collide(self):
        OrganisationFactory(municipality_code="")
        OrganisationFactory(municipality_code="")
        assert Organisation.objects.filter(municipality_code="").count() >= 2

    def test_name_is_unique_within_a_county_only(self):
        OrganisationFactory(county=county("06"), name="Polismyndigheten")
        OrganisationFactory(county=county("07"), name="Polismyndigheten")

        assert refused(lambda: OrganisationFactory(county=county("06"), name="Polismyndigheten"))

    def test_active_range(self):
        assert refused(
            lambda: OrganisationFactory(
                active_from=datetime.date(2024, 1, 1), active_until=datetime.date(2023, 12, 31)
            )
        )
        org = OrganisationFactory(
            active_from=datetime.date(2020, 1, 1), active_until=datetime.date(2023, 12, 31)
        )
        assert org in Organisation.objects.active_on(datetime.date(2023, 6, 1))
        assert org not in Organisation.objects.active_on(datetime.date(2024, 6, 1))


class TestPlansAndRounds:
    def test_plan_period_may_not_end_before_it_starts(self):
        assert refused(lambda: ActionPlanFactory(period_start=2026, period_end=2025))
        assert ActionPlanFactory(period_start=2025, period_end=2030).period_end == 2030

    def test_national_goal_numbers_are_unique_per_strategy(self):
        goal = NationalGoal.objects.get(strategy__valid_from__year=2017, number=1)
        assert refused(
            lambda: NationalGoal.objects.create(
                strategy=goal.strategy, number=1, title="x", short_title="x"
            )
        )
        assert NationalGoal.objects.filter(strategy=goal.strategy).count() == 4

    def test_one_round_per_plan_and_year(self):
        round_ = FollowUpRoundFactory()
        assert refused(lambda: FollowUpRoundFactory(plan=round_.plan, year=round_.year))

    def test_round_deadline_after_opening(self):
        assert refused(
            lambda: FollowUpRoundFactory(
                opens_on=datetime.date(2023, 2, 1), deadline=datetime.date(2023, 1, 31)
            )
        )

    def test_one_submission_per_round_and_organisation(self):
        submission = SubmissionFactory()
        assert refused(
            lambda: Submission.objects.create(
                round=submission.round, organisation=submission.organisation
            )
        )

    def test_one_answer_per_question(self):
        submission = SubmissionFactory()
        question = QuestionFactory(round=submission.round)
        Answer.objects.create(submission=submission, question=question, text="a")
        assert refused(
            lambda: Answer.objects.create(submission=submission, question=question, text="b")
        )

    def test_deleting_a_plan_with_rounds_is_refused(self):
        from django.db.models import ProtectedError

        round_ = FollowUpRoundFactory()
        with pytest.raises(ProtectedError):
            round_.plan.delete()
        assert FollowUpRound.objects.filter(pk=round_.pk).exists()
        assert ActionPlan.objects.filter(pk=round_.plan_id).exists()
