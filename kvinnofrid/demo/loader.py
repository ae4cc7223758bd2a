"""Writes the seed-derived demo data of ``fixtures/demo`` (DESIGN §8) to the database.

Each row is found by a natural key. By default an aggregate that already exists (an agreement,
a plan, a follow-up round, a user) is left alone, so running ``load_demo`` again neither
duplicates anything nor throws away what someone did in the demo. With ``update=True`` every
field is compared with the seed and only rows that differ are saved, so a second run with
``--update`` changes nothing either.

The loader writes with the ORM directly: this is reference/demo data, not a domain operation.
"""

import datetime
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction
from django.utils import timezone, translation

from actionplans.models import (
    ActionPlan,
    Goal,
    Indicator,
    NationalGoal,
    NationalStrategy,
    PlannedActivity,
    SubGoal,
)
from agreements.models import Agreement, Commitment, Party
from fixtures.demo import jamtland, jonkoping, jonkoping_report, kronoberg, organisations, users
from followup.models import (
    Answer,
    FollowUpRound,
    GoalAnalysis,
    Question,
    ReportedActivity,
    StatusReport,
    Submission,
)
from followup.standard_questions import STANDARD_QUESTIONS
from kvinnofrid.accounts.models import Membership, User
from kvinnofrid.directory.models import County, Organisation

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _datetime(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    return datetime.datetime.fromisoformat(value).replace(tzinfo=STOCKHOLM)


class DemoLoader:
    def __init__(self, *, update: bool = False) -> None:
        self.update = update
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.links = 0
        self._orgs: dict[tuple[str | None, str], Organisation] = {}
        self._users: dict[str, User] = {}

    # --- generic helpers ----------------------------------------------------------------------
    def sync[M: models.Model](
        self,
        model: type[M],
        lookup: dict[str, Any],
        values: dict[str, Any] | None = None,
        *,
        on_create: dict[str, Any] | None = None,
    ) -> tuple[M, bool]:
        """Find the row by ``lookup``; create it, or (update mode) save the fields that differ.

        ``on_create`` values are only written when the row is created (e.g. a plan's status,
        which the plan's own life cycle changes afterwards)."""
        values = values or {}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values, **(on_create or {}))
            self.created[model.__name__] += 1
            return obj, True
        if self.update:
            changed = [name for name, value in values.items() if self._differs(obj, name, value)]
            if changed:
                for name in changed:
                    setattr(obj, name, values[name])
                if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                    changed.append("updated_at")
                obj.save(update_fields=changed)
                self.updated[model.__name__] += 1
        return obj, False

    @staticmethod
    def _differs(obj: models.Model, name: str, value: Any) -> bool:
        field = obj._meta.get_field(name)
        if field.is_relation:
            return getattr(obj, field.attname) != (value.pk if value is not None else None)
        return getattr(obj, name) != value

    def set_m2m(self, obj: models.Model, name: str, targets: list[models.Model]) -> None:
        manager = getattr(obj, name)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(targets)
            self.links += 1

    def org(self, county_code: str | None, name: str) -> Organisation:
        key = (county_code, name)
        if key not in self._orgs:
            self._orgs[key] = (
                Organisation.objects.get(county__code=county_code, name=name)
                if county_code
                else Organisation.objects.get(county__isnull=True, name=name)
            )
        return self._orgs[key]

    # --- the whole load -----------------------------------------------------------------------
    @transaction.atomic
    def load(self) -> None:
        with translation.override("sv"):
            self.load_organisations()
            self.load_users()
            jonkoping_plan = self.load_plan(jonkoping.STRATEGY, status="adopted")
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
            self.load_report(round_2022, jonkoping_report)
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
            self.load_plan(kronoberg.PLAN, status="adopted", agreement=kronoberg_agreement)
            self.load_agreement(jamtland.COUNTY, jamtland.AGREEMENT)

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

    def _user(self, email: str, values: dict[str, Any], password: str) -> User:
        user, created = self.sync(User, {"email": email}, values)
        if created or (self.update and not user.check_password(password)):
            user.set_password(password)
            user.save(update_fields=["password"])
        self._users[email] = user
        return user

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

    def coordinator(self, county_code: str) -> User | None:
        for email, _name, role, code, _org, _password in users.USERS:
            if role == "coordinator" and code == county_code:
                return self._users[email]
        return None

    # --- agreements ---------------------------------------------------------------------------
    def load_agreement(self, county_code: str, data: dict[str, Any]) -> Agreement:
        county = County.objects.get(code=county_code)
        agreement, created = self.sync(
            Agreement,
            {"county": county, "signed_on": _date(data["signed_on"])},
            {
                "title": data["title"],
                "governing_body": data["governing_body"],
                "meetings_per_year": data["meetings_per_year"],
                "purpose": data["purpose"],
                "vision": data["vision"],
                "scope_text": data["scope_text"],
                "signed_place": data["signed_place"],
                "valid_from": _date(data["valid_from"]),
                "valid_until": _date(data["valid_until"]),
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
                    "national_goal": self.national_goal(commitment["national_goal"]),
                    "indicator_hint": commitment.get("indicator_hint", ""),
                },
            )
        return agreement

    # --- plans --------------------------------------------------------------------------------
    def national_goal(self, number: int | None) -> NationalGoal | None:
        if number is None:
            return None
        return NationalGoal.objects.get(strategy=self.strategy(), number=number)

    def strategy(self) -> NationalStrategy:
        return NationalStrategy.objects.get(valid_from=2017)

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
            on_create={"status": status, "adopted_on": _date(data.get("adopted_on"))},
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
        for order, indicator_data in enumerate(data["indicators"], 1):
            indicator, _ = self.sync(
                Indicator,
                {"plan": plan, "name": indicator_data["name"]},
                {
                    "kind": indicator_data["kind"],
                    "source": indicator_data.get("source") or "",
                    "unit": indicator_data.get("unit") or "",
                    "target": indicator_data.get("target"),
                    "target_year": indicator_data.get("target_year"),
                    "order": order,
                },
            )
            self.set_m2m(
                indicator,
                "sub_goals",
                [positions[(ref["goal"], ref["position"])] for ref in indicator_data["sub_goals"]],
            )
        return plan

    # --- follow-up rounds ---------------------------------------------------------------------
    def load_round(
        self,
        plan: ActionPlan,
        data: dict[str, Any],
        *,
        submitted: list[tuple[str, str, str | None]],
        drafts: list[str],
        activities: list[dict[str, Any]],
        answers: dict[str, dict[str, str]],
        draft_answers: dict[str, dict[str, str]] | None = None,
        accept: bool = True,
    ) -> FollowUpRound:
        county_code = plan.county.code
        round_, created = self.sync(
            FollowUpRound,
            {"plan": plan, "year": data["year"]},
            {
                "title": data["title"],
                "instructions": data["instructions"],
                "opens_on": _date(data["opens_on"]),
                "deadline": _date(data["deadline"]),
                "status": data["status"],
            },
        )
        if not (created or self.update):
            return round_
        invited = [self.org(county_code, n) for n, _c in organisations.JONKOPING_MUNICIPALITIES]
        invited += [self.org(county_code, n) for n, _k in organisations.JONKOPING_STRATEGY_ACTORS]
        self.set_m2m(round_, "invited_organisations", invited)

        questions = {}
        for question in STANDARD_QUESTIONS:
            questions[question["key"]], _ = self.sync(
                Question,
                {"round": round_, "key": question["key"]},
                {
                    "text": str(question["text"]),
                    "help_text": str(question["help_text"]),
                    "kind": question["kind"],
                    "required": question["required"],
                    "order": question["order"],
                },
            )

        coordinator = self.coordinator(county_code)
        reporters = {
            org: self._users[email]
            for email, _n, role, code, org, _p in users.USERS
            if role == "reporter" and code == county_code
        }
        times = {name: (at, accepted) for name, at, accepted in submitted}
        submissions = {}
        for org in invited:
            if org.name in times:
                at, accepted_at = times[org.name]
                status = Submission.Status.ACCEPTED if accept else Submission.Status.SUBMITTED
                values = {
                    "status": status,
                    "submitted_at": _datetime(at),
                    "submitted_by": reporters.get(org.name),
                    "accepted_at": _datetime(accepted_at or at) if accept else None,
                    "accepted_by": coordinator if accept else None,
                }
            elif org.name in drafts:
                values = {"status": Submission.Status.DRAFT}
            else:
                values = {"status": Submission.Status.NOT_STARTED}
            submissions[org.name], _ = self.sync(
                Submission, {"round": round_, "organisation": org}, values
            )

        sub_goals = {sg.code: sg for sg in SubGoal.objects.filter(goal__plan=plan).exclude(code="")}
        per_submission: Counter[str] = Counter()
        highlight = 0
        for activity_data in activities:
            name = activity_data["organisation"]
            per_submission[name] += 1
            if activity_data["highlighted"]:
                highlight += 1
            activity, _ = self.sync(
                ReportedActivity,
                {"submission": submissions[name], "order": per_submission[name]},
                {
                    "title": activity_data["title"],
                    "description": activity_data["description"],
                    "status": activity_data["status"],
                    "prevention_level": activity_data["prevention_level"],
                    "areas": activity_data["areas"],
                    "partners": activity_data.get("partners", ""),
                    "highlighted": activity_data["highlighted"],
                    "highlight_order": highlight if activity_data["highlighted"] else 0,
                },
            )
            self.set_m2m(
                activity, "sub_goals", [sub_goals[code] for code in activity_data["sub_goals"]]
            )

        for source in (answers, draft_answers or {}):
            for name, by_key in source.items():
                for key, text in by_key.items():
                    self.sync(
                        Answer,
                        {"submission": submissions[name], "question": questions[key]},
                        {"text": text},
                    )
        return round_

    # --- the lägesrapport ----------------------------------------------------------------------
    def load_report(self, round_: FollowUpRound, texts: Any) -> StatusReport:
        """The coordinator's texts of the round's lägesrapport, as a draft ready to build.

        Found by round; its status is never touched, so a report finalised in the demo stays so.
        """
        report, created = self.sync(
            StatusReport,
            {"round": round_},
            {
                "title": texts.TITLE,
                "introduction": texts.INTRODUCTION,
                "method_text": texts.METHOD_TEXT,
                "usage_text": texts.USAGE_TEXT,
                "resources_text": texts.RESOURCES_TEXT,
                "strategy_work_text": texts.STRATEGY_WORK_TEXT,
                "closing_words": texts.CLOSING_WORDS,
                "place": texts.PLACE,
                "signatures": texts.SIGNATURES,
            },
        )
        if not (created or self.update):
            return report
        goals = {goal.number: goal for goal in round_.plan.goals.all()}
        for number, analysis in texts.ANALYSES.items():
            self.sync(
                GoalAnalysis, {"report": report, "goal": goals[number]}, {"analysis": analysis}
            )
        return report
