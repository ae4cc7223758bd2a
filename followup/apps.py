from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


def county_start_panel(request: HttpRequest, county: Any) -> SafeString:
    """The current round's panel on the county start page (see ``kvinnofrid.core.panels``)."""
    from followup.templatetags.followup_tags import followup_panel

    return followup_panel({"request": request}, county)


def reporter_landing(user: Any) -> str | None:
    """A reporter's open yttrande (the newest open round's editable submission of one of their
    organisations), for the invitation page to land on (see ``kvinnofrid.core.landing``)."""
    from django.urls import reverse

    from followup.models import FollowUpRound, Submission
    from followup.permissions import EDITABLE_STATUSES

    organisation_ids = user.reporter_organisation_ids()
    if not organisation_ids:
        return None
    submission = (
        Submission.objects.filter(
            organisation_id__in=organisation_ids,
            round__status=FollowUpRound.Status.OPEN,
            status__in=EDITABLE_STATUSES,
        )
        .order_by("-round__year", "-pk")
        .only("pk")
        .first()
    )
    return reverse("followup:submission-edit", args=[submission.pk]) if submission else None


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Uppföljning")

    def ready(self) -> None:
        from followup.audit_actions import register_actions

        register_actions()
        from kvinnofrid.core.panels import register_county_start_panel

        register_county_start_panel(county_start_panel)

        from kvinnofrid.core.landing import register_landing

        register_landing(reporter_landing)
