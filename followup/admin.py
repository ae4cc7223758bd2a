from django.contrib import admin

from followup.models import (
    Answer,
    FollowUpRound,
    GoalAnalysis,
    IndicatorAnswer,
    Question,
    ReminderLog,
    ReportBuild,
    ReportedActivity,
    RoundSummaryLog,
    StatusReport,
    Submission,
)
from followup.national.models import ReportBack


class QuestionInline(admin.TabularInline[Question, FollowUpRound]):
    model = Question
    extra = 0


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(admin.ModelAdmin[FollowUpRound]):
    list_display = ["title", "plan", "year", "status", "deadline"]
    list_filter = ["status", "plan__county"]
    inlines = [QuestionInline]


class ReportedActivityInline(admin.StackedInline[ReportedActivity, Submission]):
    model = ReportedActivity
    extra = 0


class AnswerInline(admin.TabularInline[Answer, Submission]):
    model = Answer
    extra = 0


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = ["organisation", "round", "status", "submitted_at"]
    list_filter = ["status", "round__plan__county", "round__year"]
    inlines = [ReportedActivityInline, AnswerInline]


@admin.register(IndicatorAnswer)
class IndicatorAnswerAdmin(admin.ModelAdmin[IndicatorAnswer]):
    list_display = ["submission", "indicator", "value"]


class GoalAnalysisInline(admin.StackedInline[GoalAnalysis, StatusReport]):
    model = GoalAnalysis
    extra = 0


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin[StatusReport]):
    list_display = ["title", "round", "status", "finalised_at"]
    inlines = [GoalAnalysisInline]


@admin.register(ReportBuild)
class ReportBuildAdmin(admin.ModelAdmin[ReportBuild]):
    list_display = ["report", "status", "requested_at", "finished_at", "page_count"]
    list_filter = ["status"]


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin[ReminderLog]):
    list_display = ["submission", "kind", "sent_at"]


@admin.register(RoundSummaryLog)
class RoundSummaryLogAdmin(admin.ModelAdmin[RoundSummaryLog]):
    list_display = ["round", "sent_on", "sent_at"]


@admin.register(ReportBack)
class ReportBackAdmin(admin.ModelAdmin[ReportBack]):
    list_display = ["county", "year", "status", "finalised_at"]
    list_filter = ["status", "county"]
