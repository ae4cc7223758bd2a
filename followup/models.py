"""The yearly follow-up: rounds, the actors' submissions (yttranden) and the lägesrapport."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kvinnofrid.accounts.models import Actor
from kvinnofrid.core.models import LockVersionedModel, TimeStampedModel
from kvinnofrid.directory.scopes import county_scope_q


class FollowUpRoundQuerySet(models.QuerySet["FollowUpRound"]):
    def visible_to(self, user: Actor) -> "FollowUpRoundQuerySet":
        return self.filter(county_scope_q(user, "plan__county"))


class FollowUpRound(LockVersionedModel):
    """One yearly follow-up of a plan; opening it invites the chosen organisations."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        OPEN = "open", _("Öppen")
        CLOSED = "closed", _("Stängd")
        REPORTED = "reported", _("Rapporterad")

    plan = models.ForeignKey(
        "actionplans.ActionPlan",
        verbose_name=_("handlingsplan"),
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    year = models.PositiveSmallIntegerField(_("år"))
    title = models.CharField(_("rubrik"), max_length=300)
    instructions = models.TextField(_("instruktioner"), blank=True)
    opens_on = models.DateField(_("öppnar"), null=True, blank=True)
    deadline = models.DateField(_("sista svarsdag"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    invited_organisations = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("inbjudna aktörer"),
        blank=True,
        related_name="invited_rounds",
    )

    objects = FollowUpRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("årlig uppföljning")
        verbose_name_plural = _("årliga uppföljningar")
        ordering = ["plan_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"],
                name="round_unique_plan_year",
                violation_error_message=_("Det finns redan en uppföljning för planen och året."),
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(deadline__gte=models.F("opens_on")),
                name="round_deadline_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Fritext")
        YES_PARTLY_NO = "yes_partly_no", _("Ja / Delvis / Nej")
        NUMBER = "number", _("Tal")

    round = models.ForeignKey(
        FollowUpRound,
        verbose_name=_("uppföljning"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    key = models.SlugField(
        _("nyckel"),
        max_length=50,
        blank=True,
        help_text=_("Standardfrågans nyckel, t.ex. own_plan; tom för egna frågor."),
    )
    text = models.TextField(_("fråga"))
    help_text = models.TextField(_("hjälptext"), blank=True)
    kind = models.CharField(_("svarstyp"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("obligatorisk"), default=False)
    order = models.PositiveIntegerField(_("ordning"), default=0)
    # the actor form's cached body is keyed on its questions' newest change
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")
        ordering = ["round_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def visible_to(self, user: Actor) -> "SubmissionQuerySet":
        from followup.permissions import submission_scope_q

        return self.filter(submission_scope_q(user))


class Submission(LockVersionedModel):
    """An organisation's yttrande for a round."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Ej påbörjad")
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")
        RETURNED = "returned", _("Återsänd för komplettering")
        ACCEPTED = "accepted", _("Godkänd")

    round = models.ForeignKey(
        FollowUpRound,
        verbose_name=_("uppföljning"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inskickad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_comment = models.TextField(_("kommentar vid återsändning"), blank=True)
    accepted_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkänd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline_extended_to = models.DateField(_("förlängd svarstid till"), null=True, blank=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=50, blank=True)
    personal_data_flagged = models.BooleanField(_("möjliga personuppgifter"), default=False)
    personal_data_findings = models.JSONField(
        _("fynd av möjliga personuppgifter"), default=list, blank=True
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("yttrande")
        verbose_name_plural = _("yttranden")
        ordering = ["round_id", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="submission_unique_round_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.round.year}"

    @property
    def effective_deadline(self) -> datetime.date:
        """The round's deadline, or the later date it was extended to for this organisation."""
        return max(filter(None, [self.round.deadline, self.deadline_extended_to]))

    @property
    def is_late(self) -> bool:
        if not self.submitted_at:
            return False
        submitted_on: datetime.date = timezone.localdate(self.submitted_at)
        return submitted_on > self.effective_deadline


class PreventionLevel(models.TextChoices):
    UNIVERSELL = "universell", _("Universell")
    SELEKTIV = "selektiv", _("Selektiv")
    INDIKATIV = "indikativ", _("Indikativ")


class ViolenceArea(models.TextChoices):
    NARA_RELATION = "våld i nära relation", _("Våld i nära relation")
    HEDER = "hedersrelaterat våld och förtryck", _("Hedersrelaterat våld och förtryck")
    SEXUELLT = "sexuellt våld", _("Sexuellt våld")
    PROSTITUTION = "prostitution och människohandel", _("Prostitution och människohandel")
    DIGITALT = "digitalt våld", _("Digitalt våld")


class ReportedActivity(TimeStampedModel):
    """An activity an actor reports as done, ongoing or planned, tagged to delmål."""

    class Status(models.TextChoices):
        GENOMFORD = "genomförd", _("Genomförd")
        PAGAENDE = "pågående", _("Pågående")
        PLANERAD = "planerad", _("Planerad")

    submission = models.ForeignKey(
        Submission, verbose_name=_("yttrande"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("aktivitet"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    sub_goals = models.ManyToManyField(
        "actionplans.SubGoal",
        verbose_name=_("delmål"),
        blank=True,
        related_name="reported_activities",
    )
    prevention_level = models.CharField(
        _("preventionsnivå"), max_length=20, choices=PreventionLevel.choices, blank=True
    )
    areas = models.JSONField(_("områden"), default=list, blank=True)
    target_groups = models.CharField(_("målgrupper"), max_length=500, blank=True)
    partners = models.CharField(_("samverkanspartner"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GENOMFORD
    )
    highlighted = models.BooleanField(_("lyfts fram i lägesrapporten"), default=False)
    highlight_order = models.PositiveIntegerField(_("ordning i lägesrapporten"), default=0)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("rapporterad aktivitet")
        verbose_name_plural = _("rapporterade aktiviteter")
        ordering = ["submission_id", "order", "id"]

    def __str__(self) -> str:
        return self.title


class Answer(TimeStampedModel):
    submission = models.ForeignKey(
        Submission, verbose_name=_("yttrande"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("fråga"), on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(_("svar"), blank=True)
    number = models.DecimalField(_("tal"), max_digits=14, decimal_places=2, null=True, blank=True)
    choice = models.CharField(
        _("val"),
        max_length=10,
        blank=True,
        choices=[("yes", _("Ja")), ("partly", _("Delvis")), ("no", _("Nej"))],
    )

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["submission_id", "question__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="answer_unique_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.text[:40]}"


class IndicatorAnswer(TimeStampedModel):
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("yttrande"),
        on_delete=models.CASCADE,
        related_name="indicator_answers",
    )
    indicator = models.ForeignKey(
        "actionplans.Indicator",
        verbose_name=_("indikator"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("kommentar"), blank=True)
    indicator_value = models.ForeignKey(
        "actionplans.IndicatorValue",
        verbose_name=_("registrerat indikatorvärde"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("indikatorsvar")
        verbose_name_plural = _("indikatorsvar")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], name="indicatoranswer_unique_indicator"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class StatusReportQuerySet(models.QuerySet["StatusReport"]):
    def visible_to(self, user: Actor) -> "StatusReportQuerySet":
        return self.filter(county_scope_q(user, "round__plan__county"))


class StatusReport(LockVersionedModel):
    """The lägesrapport of a round; the coordinator writes the analysis, the rest is generated."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        FINAL = "final", _("Fastställd")

    round = models.ForeignKey(
        FollowUpRound,
        verbose_name=_("uppföljning"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    title = models.CharField(_("titel"), max_length=300)
    introduction = models.TextField(_("inledning"), blank=True)
    method_text = models.TextField(_("hur lägesrapporten tagits fram"), blank=True)
    usage_text = models.TextField(_("hur lägesrapporten kan användas"), blank=True)
    resources_text = models.TextField(_("regionala resurser"), blank=True)
    strategy_work_text = models.TextField(_("regional strategi och handlingsplaner"), blank=True)
    closing_words = models.TextField(_("avslutande ord"), blank=True)
    place = models.CharField(_("ort"), max_length=100, blank=True)
    signed_on = models.DateField(_("datum"), null=True, blank=True)
    signatures = models.TextField(
        _("underskrifter"), blank=True, help_text=_("En underskrift per rad: namn, titel.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    diarienummer = models.CharField(_("diarienummer"), max_length=50, blank=True)
    finalised_at = models.DateTimeField(_("fastställd"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fastställd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = StatusReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("lägesrapport")
        verbose_name_plural = _("lägesrapporter")
        ordering = ["round_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=Q(status="draft"),
                name="statusreport_one_draft_per_round",
                violation_error_message=_("Det finns redan ett utkast till lägesrapport."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class GoalAnalysis(TimeStampedModel):
    report = models.ForeignKey(
        StatusReport,
        verbose_name=_("lägesrapport"),
        on_delete=models.CASCADE,
        related_name="analyses",
    )
    goal = models.ForeignKey(
        "actionplans.Goal", verbose_name=_("mål"), on_delete=models.CASCADE, related_name="analyses"
    )
    analysis = models.TextField(_("analys och förbättringsområden"), blank=True)

    class Meta:
        verbose_name = _("analys per mål")
        verbose_name_plural = _("analyser per mål")
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="goalanalysis_unique_goal")
        ]

    def __str__(self) -> str:
        return f"{self.report} – {self.goal}"


def report_upload_to(instance: "ReportBuild", filename: str) -> str:
    return (
        f"reports/{instance.report.round.plan.county.code}/{instance.report.round.year}/{filename}"
    )


class ReportBuild(models.Model):
    """The durable record of one PDF build; the UI reads job state from here, never from Redis."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    report = models.ForeignKey(
        StatusReport,
        verbose_name=_("lägesrapport"),
        on_delete=models.CASCADE,
        related_name="builds",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beställd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("beställd"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("köad"), null=True, blank=True)
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    # While running, the build is leased to one worker until this time; a later claim may take
    # a build whose lease ran out (its worker died) and the sweeper re-enqueues such builds.
    lease_expires_at = models.DateTimeField(_("reserverad till"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("försök"), default=0)
    error = models.TextField(_("felmeddelande"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_upload_to, blank=True)
    source_digest = models.CharField(_("källsumma"), max_length=64, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    page_count = models.PositiveIntegerField(_("antal sidor"), null=True, blank=True)

    class Meta:
        verbose_name = _("PDF-bygge")
        verbose_name_plural = _("PDF-byggen")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "requested_at"], name="reportbuild_status_idx")]

    def __str__(self) -> str:
        return f"{self.report} – {self.get_status_display()}"

    def lease_expired(self, now: datetime.datetime | None = None) -> bool:
        """Running past its lease: its worker died (matches ``builds._lease_expired_q``)."""
        if self.status != self.Status.RUNNING:
            return False
        expires = self.lease_expires_at or (self.started_at or self.requested_at) + (
            datetime.timedelta(seconds=settings.REPORT_BUILD_LEASE_SECONDS)
        )
        return expires <= (now or timezone.now())

    def is_stuck(self, now: datetime.datetime | None = None) -> bool:
        """Running past its lease (the worker died) or queued for longer than the sweeper waits."""
        now = now or timezone.now()
        if self.status == self.Status.RUNNING:
            return self.lease_expired(now)
        if self.status == self.Status.QUEUED:
            stale = datetime.timedelta(minutes=settings.REPORT_BUILD_STALE_MINUTES)
            return self.requested_at <= now - stale
        return False


# Models kept in modules of their own; imported here so Django registers them.
from followup.highlights import ReportedActivityHighlight as ReportedActivityHighlight  # noqa: E402
from followup.national.models import ReportBack  # noqa: E402, F401
from followup.registry import Registry, RegistryCounter  # noqa: E402, F401
from followup.reminder_log import ReminderLog as ReminderLog  # noqa: E402
from followup.reminder_log import RoundSummaryLog as RoundSummaryLog  # noqa: E402
from followup.reports.final_models import FinalReportVersion as FinalReportVersion  # noqa: E402
