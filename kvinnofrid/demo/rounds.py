"""The demo's follow-up: the Jönköping rounds with their submissions, activities and answers,
and the published 2022 lägesrapport."""

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from actionplans.models import ActionPlan, SubGoal
from fixtures.demo import organisations, users
from followup.models import (
    Answer,
    FollowUpRound,
    GoalAnalysis,
    Question,
    ReportBuild,
    ReportedActivity,
    StatusReport,
    Submission,
)
from followup.reports.builds import report_build_sync
from followup.reports.services import report_finalise
from followup.services.registry import registry_next_number
from followup.standard_questions import STANDARD_QUESTIONS
from kvinnofrid.demo.base import DemoWriter, parse_date, parse_datetime
from kvinnofrid.directory.models import Organisation


class FollowUpDemo(DemoWriter):
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
                "opens_on": parse_date(data["opens_on"]),
                "deadline": parse_date(data["deadline"]),
                "status": data["status"],
            },
        )
        if not (created or self.update):
            return round_
        invited = [self.org(county_code, n) for n, _c in organisations.JONKOPING_MUNICIPALITIES]
        invited += [self.org(county_code, n) for n, _k in organisations.JONKOPING_STRATEGY_ACTORS]
        self.set_m2m(round_, "invited_organisations", invited)

        questions = self.load_questions(round_)
        submissions = self.load_submissions(round_, invited, submitted, drafts, accept=accept)
        self.load_activities(plan, submissions, activities)
        for source in (answers, draft_answers or {}):
            for name, by_key in source.items():
                for key, text in by_key.items():
                    self.sync(
                        Answer,
                        {"submission": submissions[name], "question": questions[key]},
                        {"text": text},
                    )
        return round_

    def load_questions(self, round_: FollowUpRound) -> dict[str, Question]:
        """The standard questions of a round, by key."""
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
        return questions

    def load_submissions(
        self,
        round_: FollowUpRound,
        invited: list[Organisation],
        submitted: list[tuple[str, str, str | None]],
        drafts: list[str],
        *,
        accept: bool,
    ) -> dict[str, Submission]:
        """One submission per invited organisation, in the state the seed gives it, by name."""
        county_code = round_.plan.county.code
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
                    "submitted_at": parse_datetime(at),
                    "submitted_by": reporters.get(org.name),
                    "accepted_at": parse_datetime(accepted_at or at) if accept else None,
                    "accepted_by": coordinator if accept else None,
                }
            elif org.name in drafts:
                values = {"status": Submission.Status.DRAFT}
            else:
                values = {"status": Submission.Status.NOT_STARTED}
            submissions[org.name], _ = self.sync(
                Submission, {"round": round_, "organisation": org}, values
            )
        self.register_received(round_, submissions.values())
        return submissions

    def register_received(self, round_: FollowUpRound, submissions: Iterable[Submission]) -> None:
        """Give the received yttranden their diarienummer in the order they arrived, as the
        county's series would have (those that have one keep it)."""
        received = sorted(
            (s for s in submissions if s.submitted_at and not s.diarienummer),
            key=lambda s: (s.submitted_at, s.pk),
        )
        for submission in received:
            number = registry_next_number(
                county_id=round_.plan.county_id,
                on=timezone.localtime(submission.submitted_at).date(),
            )
            if number:
                submission.diarienummer = number
                submission.save(update_fields=["diarienummer"])

    def load_activities(
        self,
        plan: ActionPlan,
        submissions: dict[str, Submission],
        activities: list[dict[str, Any]],
    ) -> None:
        """The reported activities, in the seed's order, with their delmål and highlights."""
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

    def load_report(self, round_: FollowUpRound, texts: Any) -> StatusReport:
        """The coordinator's texts of the round's lägesrapport, as a draft ready to build.

        Found by round; its status is never touched, so a report finalised in the demo stays so.
        """
        existing = StatusReport.objects.filter(round=round_).first()
        if existing is not None and existing.status == StatusReport.Status.FINAL:
            return existing  # a final report is immutable, also to --update
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
        self._new_reports.add(report.pk)
        goals = {goal.number: goal for goal in round_.plan.goals.all()}
        for number, analysis in texts.ANALYSES.items():
            self.sync(
                GoalAnalysis, {"report": report, "goal": goals[number]}, {"analysis": analysis}
            )
        return report

    def publish_report(self, report: StatusReport, *, finalised_at: datetime.datetime) -> None:
        """Build the report's PDF and finalise it through the services the coordinator uses,
        then date both to when the seed was published, so the demo holds a final report whose
        PDF management can download."""
        if not report.diarienummer:  # registered when it was adopted, not today
            report.diarienummer = registry_next_number(
                county_id=report.round.plan.county_id, on=finalised_at.date()
            )
        report.signed_on = finalised_at.date()  # before the build: the cover shows it
        report.save(update_fields=["diarienummer", "signed_on"])
        build = report_build_sync(report_id=report.pk, actor=None, skip_permission_checks=True)
        if build.status != ReportBuild.Status.DONE:
            raise RuntimeError(f"The demo report's PDF could not be built: {build.error}")
        # Dated when the seed was adopted, so its final version (rendered here, once) says so.
        report_finalise(
            report_id=report.pk,
            actor=None,
            skip_permission_checks=True,
            finalised_at=finalised_at,
        )
        ReportBuild.objects.filter(pk=build.pk).update(
            requested_at=finalised_at, started_at=finalised_at, finished_at=finalised_at
        )
