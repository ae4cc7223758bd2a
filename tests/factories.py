"""factory_boy factories for tests. Reference data (counties, national goals) comes from the
data migrations, so factories look those up instead of creating them."""

import datetime
import io
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import factory
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from factory.django import DjangoModelFactory

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)
from agreements.models import Agreement, Party
from followup.models import FollowUpRound, Question, ReportedActivity, StatusReport, Submission
from kvinnofrid.accounts.models import Membership, Role, User
from kvinnofrid.directory.models import County, Organisation, OrganisationKind


def ensure_reference_data() -> None:
    """Reload the counties, the strategy frames (2017–2026, 2024–2026) and the retention rules
    through their idempotent data migrations (a transactional test's flush removes them)."""
    import importlib

    from django.apps import apps

    for module in (
        "kvinnofrid.directory.migrations.0003_load_counties",
        "actionplans.migrations.0009_load_action_programme_2024_2026_and_crosswalk",
        "kvinnofrid.directory.migrations.0005_load_municipalities",
    ):
        importlib.import_module(module).load(apps, None)
    importlib.import_module("kvinnofrid.core.migrations.0003_retention_rules_and_runs").seed_rules(
        apps, None
    )


@contextmanager
def demo_loaded(django_db_blocker: Any, media_root: str | None = None) -> Iterator[None]:
    """For a module-scoped fixture: the demo loaded once (its files under ``media_root``), in a
    transaction rolled back when the module is done. The reference data comes back first, as an
    earlier transactional test may have flushed it."""
    with ExitStack() as stack:
        if media_root is not None:
            stack.enter_context(override_settings(MEDIA_ROOT=media_root))
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(transaction.atomic())
        ensure_reference_data()
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def county(code: str = "06") -> County:
    return County.objects.get(code=code)


def national_goal(number: int) -> NationalGoal:
    return NationalGoal.objects.get(strategy__valid_from__year=2017, number=number)


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    county = factory.LazyFunction(lambda: county("06"))
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.KOMMUN


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.se")
    full_name = factory.Sequence(lambda n: f"Användare {n}")
    password = factory.PostGenerationMethodCall("set_password", "losenord-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REPORTER


class AgreementFactory(DjangoModelFactory[Agreement]):
    class Meta:
        model = Agreement

    county = factory.LazyFunction(lambda: county("06"))
    title = factory.Sequence(lambda n: f"Regional överenskommelse {n}")
    signed_on = datetime.date(2024, 3, 19)
    valid_from = datetime.date(2024, 3, 19)
    valid_until = datetime.date(2026, 12, 31)


class PartyFactory(DjangoModelFactory[Party]):
    class Meta:
        model = Party

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, county=factory.SelfAttribute("..agreement.county")
    )
    signatory_name = "Anna Andersson"
    signatory_title = "Landshövding"


class ActionPlanFactory(DjangoModelFactory[ActionPlan]):
    class Meta:
        model = ActionPlan

    county = factory.LazyFunction(lambda: county("06"))
    title = factory.Sequence(lambda n: f"Handlingsplan {n}")
    period_start = 2021
    period_end = 2026
    status = ActionPlan.Status.DRAFT
    strategy = factory.LazyFunction(lambda: NationalStrategy.objects.get(valid_from__year=2017))


class GoalFactory(DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    order = factory.SelfAttribute("number")
    title = factory.Sequence(lambda n: f"Mål {n}")


class SubGoalFactory(DjangoModelFactory[SubGoal]):
    class Meta:
        model = SubGoal

    goal = factory.SubFactory(GoalFactory)
    code = factory.Sequence(lambda n: f"1:{n + 1}")
    text = factory.Sequence(lambda n: f"Delmål {n}")
    order = factory.Sequence(lambda n: n)


class PlannedActivityFactory(DjangoModelFactory[PlannedActivity]):
    class Meta:
        model = PlannedActivity

    sub_goal = factory.SubFactory(SubGoalFactory)
    text = factory.Sequence(lambda n: f"Aktivitet {n}")


class IndicatorFactory(DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    plan = factory.SubFactory(ActionPlanFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    kind = Indicator.Kind.QUANTITATIVE


class FollowUpRoundFactory(DjangoModelFactory[FollowUpRound]):
    class Meta:
        model = FollowUpRound

    plan = factory.SubFactory(ActionPlanFactory)
    year = 2022
    title = factory.LazyAttribute(lambda o: f"Uppföljning {o.year}")
    opens_on = datetime.date(2023, 1, 9)
    deadline = datetime.date(2023, 2, 15)
    status = FollowUpRound.Status.OPEN


class QuestionFactory(DjangoModelFactory[Question]):
    class Meta:
        model = Question

    round = factory.SubFactory(FollowUpRoundFactory)
    text = factory.Sequence(lambda n: f"Fråga {n}?")


class SubmissionFactory(DjangoModelFactory[Submission]):
    class Meta:
        model = Submission

    round = factory.SubFactory(FollowUpRoundFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, county=factory.SelfAttribute("..round.plan.county")
    )
    status = Submission.Status.DRAFT


class ReportedActivityFactory(DjangoModelFactory[ReportedActivity]):
    class Meta:
        model = ReportedActivity

    submission = factory.SubFactory(SubmissionFactory)
    title = factory.Sequence(lambda n: f"Rapporterad aktivitet {n}")


class StatusReportFactory(DjangoModelFactory[StatusReport]):
    class Meta:
        model = StatusReport

    round = factory.SubFactory(FollowUpRoundFactory)
    title = factory.LazyAttribute(lambda o: f"Regional lägesrapport {o.round.year}")
