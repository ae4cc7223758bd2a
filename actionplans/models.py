"""The national strategy, and each county's action plan: goals, delmål, activities, indicators."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kvinnofrid.accounts.models import Actor, Role, active_user
from kvinnofrid.core.models import LockVersionedModel, TimeStampedModel
from kvinnofrid.directory.scopes import county_scope_q


class NationalStrategy(models.Model):
    """A national strategy frame: a title, a period and numbered goals (målsättningar).

    The strategy 2017–2026 and the action programme 2024–2026 arrive by data migration; a
    national admin creates later frames in the portal or imports them (``import_strategy``).
    """

    name = models.CharField(_("titel"), max_length=300, unique=True)
    valid_from = models.DateField(_("gäller från"))
    valid_until = models.DateField(_("gäller till och med"))
    # shown inside cached plan fragments: a change must change their key
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("nationell strategi")
        verbose_name_plural = _("nationella strategier")
        ordering = ["-valid_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="nationalstrategy_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_label(self) -> str:
        """The frame's years, e.g. "2017–2026"."""
        return f"{self.valid_from.year}–{self.valid_until.year}"


class NationalGoal(models.Model):
    strategy = models.ForeignKey(
        NationalStrategy, verbose_name=_("strategi"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("målsättning"), max_length=300)
    short_title = models.CharField(_("kort namn"), max_length=100)
    # reference data shown inside cached plan fragments: a change must change their key
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("nationell målsättning")
        verbose_name_plural = _("nationella målsättningar")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["strategy", "number"], name="nationalgoal_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.short_title}"


class NationalSubGoal(models.Model):
    """An optional sub-goal (delmål) of a national goal; ``code`` is free text ("1.1" or "")."""

    goal = models.ForeignKey(
        NationalGoal,
        verbose_name=_("nationell målsättning"),
        on_delete=models.CASCADE,
        related_name="sub_goals",
    )
    code = models.CharField(_("beteckning"), max_length=30, blank=True)
    title = models.CharField(_("delmål"), max_length=500)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("nationellt delmål")
        verbose_name_plural = _("nationella delmål")
        ordering = ["goal_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class GoalCrosswalk(models.Model):
    """``from_goal`` (an earlier frame's goal) continues in ``to_goal`` (a later frame's goal).

    One old goal may map to several new ones and the other way round, so a county's activities
    by national goal can be compared across a change of frame.
    """

    from_goal = models.ForeignKey(
        NationalGoal,
        verbose_name=_("från målsättning"),
        on_delete=models.CASCADE,
        related_name="crosswalk_to",
    )
    to_goal = models.ForeignKey(
        NationalGoal,
        verbose_name=_("till målsättning"),
        on_delete=models.CASCADE,
        related_name="crosswalk_from",
    )

    class Meta:
        verbose_name = _("målsättningsöversättning")
        verbose_name_plural = _("målsättningsöversättningar")
        ordering = ["from_goal_id", "to_goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["from_goal", "to_goal"], name="crosswalk_unique_pair"),
            models.CheckConstraint(
                condition=~Q(from_goal=models.F("to_goal")), name="crosswalk_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_goal} → {self.to_goal}"


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def visible_to(self, user: Actor) -> "ActionPlanQuerySet":
        """Adopted and archived plans of every county ``user`` reads; drafts only for the
        county's coordinators, whose work in progress they are (pairs with
        ``actionplans.permissions.can_view_plan``; issue 12 item 11)."""
        active = active_user(user)
        if active is None:
            return self.none()
        if active.is_superuser:
            return self
        draft = ActionPlan.Status.DRAFT
        published = ~Q(status=draft) & county_scope_q(active, "county")
        coordinated = active.county_ids_for({Role.COORDINATOR})
        return self.filter(published | Q(status=draft, county_id__in=coordinated))

    def current(self) -> "ActionPlanQuerySet":
        """Adopted plans first, then drafts; the newest version wins."""
        return self.exclude(status=ActionPlan.Status.ARCHIVED)


class ActionPlan(LockVersionedModel):
    class Kind(models.TextChoices):
        HANDLINGSPLAN = "handlingsplan", _("Handlingsplan")
        STRATEGI = "strategi", _("Regional strategi")
        ATGARDSPLAN = "atgardsplan", _("Åtgärdsplan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        ADOPTED = "adopted", _("Antagen")
        ARCHIVED = "archived", _("Arkiverad")

    county = models.ForeignKey(
        "directory.County", verbose_name=_("län"), on_delete=models.PROTECT, related_name="plans"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("överenskommelse"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    strategy = models.ForeignKey(
        NationalStrategy,
        verbose_name=_("nationell strategi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    kind = models.CharField(
        _("typ"), max_length=20, choices=Kind.choices, default=Kind.HANDLINGSPLAN
    )
    title = models.CharField(_("titel"), max_length=300)
    period_start = models.PositiveSmallIntegerField(pgettext_lazy("plan", "från år"))
    period_end = models.PositiveSmallIntegerField(pgettext_lazy("plan", "till och med år"))
    vision = models.TextField(_("vision"), blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    target_groups = models.TextField(_("målgrupper"), blank=True)
    perspectives = models.TextField(_("perspektiv"), blank=True)
    areas = models.TextField(_("områden"), blank=True)
    diarienummer = models.CharField(_("diarienummer"), max_length=50, blank=True)
    serial_number = models.CharField(_("löpnummer"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    adopted_on = models.DateField(_("antagen"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("ersätter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")
        ordering = ["county__code", "-period_start", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.period_start}–{self.period_end})"

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Planperioden kan inte sluta före den börjar.")})

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Goal(LockVersionedModel):
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("handlingsplan"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = models.CharField(_("mål"), max_length=500)
    description = models.TextField(_("beskrivning"), blank=True)
    national_goals = models.ManyToManyField(
        NationalGoal, verbose_name=_("nationella målsättningar"), blank=True, related_name="goals"
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["plan_id", "order", "number", "id"]

    def __str__(self) -> str:
        return f"Mål {self.number} – {self.title}"


class SubGoal(LockVersionedModel):
    """A delmål. ``code`` is free text ("1:1", "Delmål 1" or empty)."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="sub_goals"
    )
    code = models.CharField(_("beteckning"), max_length=30, blank=True)
    text = models.TextField(_("delmål"))
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("delmål")
        verbose_name_plural = _("delmål")
        ordering = ["goal_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} {self.text}".strip()


class PlannedActivity(LockVersionedModel):
    """An example activity (exempel på aktivitet / åtgärd) under a delmål."""

    sub_goal = models.ForeignKey(
        SubGoal, verbose_name=_("delmål"), on_delete=models.CASCADE, related_name="activities"
    )
    text = models.TextField(_("aktivitet"))
    responsible = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("ansvariga"),
        blank=True,
        related_name="planned_activities",
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("planerad aktivitet")
        verbose_name_plural = _("planerade aktiviteter")
        ordering = ["sub_goal_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class Indicator(LockVersionedModel):
    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Kvantitativ")
        SOURCE = "source", _("Uppföljningskälla")
        DEVELOPMENT = "development", _("Utvecklingsindikator")

    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("handlingsplan"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    name = models.CharField(_("namn"), max_length=300)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.SOURCE)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    unit = models.CharField(_("enhet"), max_length=50, blank=True)
    baseline = models.DecimalField(
        _("utgångsvärde"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # the targets, one per year, are IndicatorTarget rows (``targets``)
    sub_goals = models.ManyToManyField(
        SubGoal, verbose_name=_("delmål"), blank=True, related_name="indicators"
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["plan_id", "order", "id"]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """The value an indicator should reach in a year; at most one target per indicator and year."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(
        pgettext_lazy("indicator", "målvärde"), max_digits=14, decimal_places=2
    )

    class Meta:
        verbose_name = _("målvärde för år")
        verbose_name_plural = _("målvärden per år")
        ordering = ["indicator_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="indicatortarget_unique_per_year",
                violation_error_message=_("Det finns redan ett målvärde för året."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class IndicatorValue(TimeStampedModel):
    """A value of an indicator for a year, for one organisation or (organisation empty) the county."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=2)
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        ordering = ["indicator_id", "year", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "organisation"],
                condition=Q(organisation__isnull=False),
                name="indicatorvalue_unique_per_org",
                violation_error_message=_("Det finns redan ett värde för året och organisationen."),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(organisation__isnull=True),
                name="indicatorvalue_unique_county_total",
                violation_error_message=_("Det finns redan ett länsvärde för året."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class ExpiryNotice(models.Model):
    """One e-mail sent to a county's coordinators N days before an agreement or plan expires.

    Unique per (object, days before, expiry date), so the daily job sends each notice once and a
    prolonged agreement gets fresh notices for its new end date.
    """

    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("överenskommelse"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="expiry_notices",
    )
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("handlingsplan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="expiry_notices",
    )
    days_before = models.PositiveSmallIntegerField(_("dagar före"))
    expires_on = models.DateField(_("upphör"))
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)
    recipients = models.TextField(_("mottagare"), blank=True)

    class Meta:
        verbose_name = _("utgångsavisering")
        verbose_name_plural = _("utgångsaviseringar")
        ordering = ["-sent_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement__isnull=True, plan__isnull=False)
                | Q(agreement__isnull=False, plan__isnull=True),
                name="expirynotice_one_target",
            ),
            models.UniqueConstraint(
                fields=["agreement", "days_before", "expires_on"],
                condition=Q(agreement__isnull=False),
                name="expirynotice_unique_agreement",
            ),
            models.UniqueConstraint(
                fields=["plan", "days_before", "expires_on"],
                condition=Q(plan__isnull=False),
                name="expirynotice_unique_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement or self.plan}: {self.days_before}"
