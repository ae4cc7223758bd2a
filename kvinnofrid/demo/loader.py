"""Writes the seed-derived demo data of ``fixtures/demo`` (DESIGN §8) to the database.

Each row is found by a natural key. By default an aggregate that already exists (an agreement,
a plan, a follow-up round, a user) is left alone, so running ``load_demo`` again neither
duplicates anything nor throws away what someone did in the demo. With ``update=True`` every
field is compared with the seed and only rows that differ are saved, so a second run with
``--update`` changes nothing either.

The loader writes with the ORM directly: this is reference/demo data, not a domain operation.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    IndicatorTarget,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)
from agreements.models import Agreement, Commitment, Party
from fixtures.demo import jamtland, jonkoping, jonkoping_report, kronoberg, organisations, users
from followup.models import StatusReport
from followup.registry import Registry
from followup.reports.final import final_version, store_final_version
from kvinnofrid.accounts.models import Membership
from kvinnofrid.demo.base import parse_date, parse_datetime
from kvinnofrid.demo.rounds import FollowUpDemo
from kvinnofrid.directory.models import County, Organisation


class DemoLoader(FollowUpDemo):
    """Everything of DESIGN §8, written in one transaction (see the module docstring)."""

    def load(self) -> None:
        """Write the demo rows in one transaction, then publish the 2022 lägesrapport (its PDF
        is built outside that transaction, as the worker would)."""
        report = self.load_rows()
        finalised_at = parse_datetime(jonkoping_report.FINALISED_ON)
        if report.status == StatusReport.Status.DRAFT and report.pk in self._new_reports:
            assert finalised_at is not None  # noqa: S101 - the fixture names a date
            self.publish_report(report, finalised_at=finalised_at)
        elif report.status == StatusReport.Status.FINAL and final_version(report) is None:
            # A demo loaded before final versions were stored: store it now, once.
            with transaction.atomic():
                store_final_version(report)

    @transaction.atomic
    def load_rows(self) -> StatusReport:
        with translation.override("sv"):
            self.load_organisations()
            self.load_users()
            self.sync(
                Registry,
                {"county": County.objects.get(code="06")},
                jonkoping.REGISTRY,
            )
            jonkoping_plan = self.load_plan(jonkoping.STRATEGY, status=ActionPlan.Status.ADOPTED)
            self.load_round(
                jonkoping_plan,
                jonkoping.ROUND_2021,
                submitted=[(name, at, None) for name, at in jonkoping.SUBMITTED_2021],
                drafts=[],
                activities=jonkoping.ACTIVITIES_2021,
                answers=jonkoping.ANSWERS_2021,
            )
            round_2022 = self.load_round(
                jonkoping_plan,
                jonkoping.ROUND_2022,
                submitted=jonkoping.SUBMITTED_2022,
                drafts=jonkoping.DRAFT_2022,
                activities=jonkoping.ACTIVITIES_2022,
                answers=jonkoping.ANSWERS_2022,
                draft_answers=jonkoping.DRAFT_ANSWERS_2022,
            )
            report = self.load_report(round_2022, jonkoping_report)
            self.load_round(
                jonkoping_plan,
                jonkoping.ROUND_2025,
                submitted=[(name, at, None) for name, at in jonkoping.SUBMITTED_2025],
                drafts=jonkoping.DRAFT_2025,
                activities=jonkoping.ACTIVITIES_2025,
                answers={},
                accept=False,
            )
            kronoberg_agreement = self.load_agreement(kronoberg.COUNTY, kronoberg.AGREEMENT)
            self.load_plan(
                kronoberg.PLAN, status=ActionPlan.Status.ADOPTED, agreement=kronoberg_agreement
            )
            self.load_agreement(jamtland.COUNTY, jamtland.AGREEMENT)
        return report

    # --- organisations and users --------------------------------------------------------------
    def load_organisations(self) -> None:
        for code, (municipalities, actors) in organisations.BY_COUNTY.items():
            county = County.objects.get(code=code)
            for name, municipality_code in municipalities:
                self.sync(
                    Organisation,
                    {"county": county, "name": name},
                    {"kind": "kommun", "municipality_code": municipality_code},
                )
            for name, kind in actors:
                self.sync(Organisation, {"county": county, "name": name}, {"kind": kind})
        for name, kind in organisations.NATIONAL_ACTORS:
            self.sync(Organisation, {"county": None, "name": name}, {"kind": kind})

    def load_users(self) -> None:
        email, full_name, password = users.ADMIN
        self._user(
            email,
            {"full_name": full_name, "is_staff": True, "is_superuser": True},
            password,
        )
        admin_org, role = users.ADMIN_MEMBERSHIP
        self.sync(
            Membership,
            {"user": self._users[email], "organisation": self.org(None, admin_org), "role": role},
        )
        for email, full_name, role, county_code, org_name, password in users.USERS:
            user = self._user(email, {"full_name": full_name}, password)
            self.sync(
                Membership,
                {"user": user, "organisation": self.org(county_code, org_name), "role": role},
                on_create={"title": users.TITLES.get(email, "")},
            )
        self.load_authenticators()

    def load_authenticators(self) -> None:
        """Demo users asked for a TOTP code share the known key ``users.TOTP_SECRET``
        (``demo_logins`` prints it and the current code)."""
        from kvinnofrid.accounts.models import TotpDevice
        from kvinnofrid.accounts.two_factor import requires_second_factor

        for user in self._users.values():
            user.forget_memberships()
            if requires_second_factor(user):
                TotpDevice.objects.get_or_create(
                    user=user,
                    defaults={"secret": users.TOTP_SECRET, "confirmed_at": timezone.now()},
                )

    def load_agreement(self, county_code: str, data: dict[str, Any]) -> Agreement:
        county = County.objects.get(code=county_code)
        agreement, created = self.sync(
            Agreement,
            {"county": county, "signed_on": parse_date(data["signed_on"])},
            {
                "title": data["title"],
                "governing_body": data["governing_body"],
                "meetings_per_year": data["meetings_per_year"],
                "purpose": data["purpose"],
                "vision": data["vision"],
                "scope_text": data["scope_text"],
                "signed_place": data["signed_place"],
                "valid_from": parse_date(data["valid_from"]),
                "valid_until": parse_date(data["valid_until"]),
                "diarienummer": data["diarienummer"] or "",
            },
        )
        if not (created or self.update):
            return agreement
        for order, (org_name, signatory_name, signatory_title) in enumerate(data["parties"], 1):
            self.sync(
                Party,
                {"agreement": agreement, "organisation": self.org(county_code, org_name)},
                {
                    "signatory_name": signatory_name,
                    "signatory_title": signatory_title,
                    "order": order,
                },
            )
        for order, commitment in enumerate(data["commitments"], 1):
            self.sync(
                Commitment,
                {"agreement": agreement, "order": order},
                {
                    "heading": commitment["heading"],
                    "text": commitment["text"],
                    "national_goal": self.optional_national_goal(commitment["national_goal"]),
                    "indicator_hint": commitment.get("indicator_hint", ""),
                },
            )
        return agreement

    # --- plans --------------------------------------------------------------------------------
    def optional_national_goal(self, number: int | None) -> NationalGoal | None:
        return None if number is None else self.national_goal(number)

    def national_goal(self, number: int) -> NationalGoal:
        return NationalGoal.objects.get(strategy=self.strategy(), number=number)

    def strategy(self) -> NationalStrategy:
        return NationalStrategy.objects.get(valid_from__year=2017)

    def load_plan(
        self, data: dict[str, Any], *, status: str, agreement: Agreement | None = None
    ) -> ActionPlan:
        county_code = data["county"]
        plan, created = self.sync(
            ActionPlan,
            {
                "county": County.objects.get(code=county_code),
                "kind": data["kind"],
                "period_start": data["period"]["start"],
                "version": 1,
            },
            {
                "title": data["title"],
                "period_end": data["period"]["end"],
                "agreement": agreement,
                "strategy": self.strategy(),
                "vision": data.get("vision") or "",
                "purpose": data.get("purpose") or "",
                "target_groups": data.get("target_groups") or "",
                "perspectives": data.get("perspectives") or "",
                "areas": data.get("areas") or "",
                "diarienummer": data.get("diarienummer") or "",
                "serial_number": data.get("serial_number") or "",
            },
            # Revising the plan in the demo archives this version: never flip it back.
            on_create={"status": status, "adopted_on": parse_date(data.get("adopted_on"))},
        )
        if not (created or self.update):
            return plan

        positions: dict[tuple[int, int], SubGoal] = {}
        for goal_order, goal_data in enumerate(data["goals"], 1):
            goal, _ = self.sync(
                Goal,
                {"plan": plan, "number": goal_data["number"]},
                {
                    "title": goal_data["title"],
                    "description": goal_data.get("description") or "",
                    "order": goal_order,
                },
            )
            self.set_m2m(
                goal,
                "national_goals",
                [self.national_goal(n) for n in goal_data["national_goals"]],
            )
            for position, sub_data in enumerate(goal_data["sub_goals"], 1):
                sub_goal, _ = self.sync(
                    SubGoal,
                    {"goal": goal, "order": position},
                    {"code": sub_data["code"], "text": sub_data["text"]},
                )
                positions[(goal_data["number"], position)] = sub_goal
                for activity_order, activity_data in enumerate(sub_data["activities"], 1):
                    activity, _ = self.sync(
                        PlannedActivity,
                        {"sub_goal": sub_goal, "order": activity_order},
                        {"text": activity_data["text"]},
                    )
                    self.set_m2m(
                        activity,
                        "responsible",
                        [self.org(county_code, n) for n in activity_data["responsible"]],
                    )
        self.load_indicators(plan, data["indicators"], positions)
        return plan

    def load_indicators(
        self,
        plan: ActionPlan,
        indicators: list[dict[str, Any]],
        positions: dict[tuple[int, int], SubGoal],
    ) -> None:
        for order, indicator_data in enumerate(indicators, 1):
            indicator, _ = self.sync(
                Indicator,
                {"plan": plan, "name": indicator_data["name"]},
                {
                    "kind": indicator_data["kind"],
                    "source": indicator_data.get("source") or "",
                    "unit": indicator_data.get("unit") or "",
                    "order": order,
                },
            )
            self.sync_targets(indicator, indicator_data.get("targets") or [])
            self.set_m2m(
                indicator,
                "sub_goals",
                [positions[(ref["goal"], ref["position"])] for ref in indicator_data["sub_goals"]],
            )

    def sync_targets(self, indicator: Indicator, targets: list[dict[str, Any]]) -> None:
        """The indicator's targets per year as the seed gives them (update mode also removes
        the years the seed does not name)."""
        for target in targets:
            self.sync(
                IndicatorTarget,
                {"indicator": indicator, "year": target["year"]},
                {"value": Decimal(str(target["value"]))},
            )
        if self.update:
            indicator.targets.exclude(year__in=[t["year"] for t in targets]).delete()
