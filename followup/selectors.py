"""Non-trivial reads for the follow-up. Return plain data, never lazy querysets."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from followup.models import FollowUpRound, Submission

SUBMITTED_STATUSES = (Submission.Status.SUBMITTED, Submission.Status.ACCEPTED)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    invited: int
    submitted: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0


@dataclass(frozen=True)
class RoundSummary:
    """Response figures of one round, the shape of DESIGN §9's ``summary``."""

    year: int
    invited: int
    submitted: int
    on_time: int
    late: int
    by_kind: list[KindCount] = field(default_factory=list)
    previous_year: int | None = None
    previous_year_submitted: int | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.invited) if self.invited else 0

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used by ``export_round``."""
        return {
            "invited": self.invited,
            "submitted": self.submitted,
            "on_time": self.on_time,
            "late": self.late,
            "by_kind": {
                k.kind: {"invited": k.invited, "submitted": k.submitted} for k in self.by_kind
            },
            "previous_year_submitted": self.previous_year_submitted,
        }


def previous_round(*, round_: FollowUpRound) -> FollowUpRound | None:
    """The same county's round of the year before (any plan version), if there was one."""
    return (
        FollowUpRound.objects.filter(plan__county_id=round_.plan.county_id, year=round_.year - 1)
        .order_by("-id")
        .first()
    )


def submitted_count(*, round_id: int) -> int:
    return Submission.objects.filter(round_id=round_id, status__in=SUBMITTED_STATUSES).count()


def round_summary(*, round_id: int) -> RoundSummary:
    """Invited, submitted (submitted or accepted), on time vs late, by actor kind, and the
    previous year's submitted count. A fixed number of queries whatever the round's size."""
    from agreements.models import OrganisationKind

    round_ = FollowUpRound.objects.select_related("plan").get(pk=round_id)
    submissions = list(
        Submission.objects.filter(round_id=round_id).values(
            "status", "submitted_at", "deadline_extended_to", "organisation__kind"
        )
    )
    invited = len(submissions)
    submitted = on_time = 0
    kinds: dict[str, list[int]] = {}
    for row in submissions:
        counts = kinds.setdefault(row["organisation__kind"], [0, 0])
        counts[0] += 1
        if row["status"] in SUBMITTED_STATUSES:
            submitted += 1
            counts[1] += 1
            deadline = max(filter(None, [round_.deadline, row["deadline_extended_to"]]))
            if row["submitted_at"] is None or timezone.localdate(row["submitted_at"]) <= deadline:
                on_time += 1
    labels = dict(OrganisationKind.choices)
    order = [k for k, _label in OrganisationKind.choices]
    by_kind = [
        KindCount(kind=k, label=str(labels.get(k, k)), invited=v[0], submitted=v[1])
        for k, v in sorted(
            kinds.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
        )
    ]
    prev = (
        FollowUpRound.objects.filter(plan__county_id=round_.plan.county_id, year=round_.year - 1)
        .annotate(n=Count("submissions", filter=Q(submissions__status__in=SUBMITTED_STATUSES)))
        .order_by("-id")
        .values_list("n", flat=True)
        .first()
    )
    return RoundSummary(
        year=round_.year,
        invited=invited,
        submitted=submitted,
        on_time=on_time,
        late=submitted - on_time,
        by_kind=by_kind,
        previous_year=round_.year - 1 if prev is not None else None,
        previous_year_submitted=prev,
    )
