"""Each submitted yttrande as a document: tagged PDF/A-2 with the PDF/UA-1 identification, from
the report's renderer (same fetcher, same finishing), with its diarienummer and receipt time.

``yttrande_pdf(submission)`` is also what the archive package calls for each yttrande.
"""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from followup.models import Submission
from followup.permissions import READABLE_WHEN_SUBMITTED, can_manage_round
from followup.reports.pdf import ReportRenderer
from followup.selectors import submission_form_data
from kvinnofrid.accounts.models import Actor, active_user


class YttrandeRenderer(ReportRenderer):
    template_name = "followup/documents/yttrande.html"
    stylesheet = "yttrande.css"


def is_document(submission: Submission) -> bool:
    """Only a yttrande that has been sent in (and not returned) is a received document."""
    return submission.status in READABLE_WHEN_SUBMITTED and submission.submitted_at is not None


def can_download_yttrande(user: Actor, submission: Submission) -> bool:
    """The organisation's reporters and the county's coordinators; no one else."""
    active = active_user(user)
    if active is None or not is_document(submission):
        return False
    return active.reports_for(submission.organisation_id) or can_manage_round(
        active, submission.round
    )


def yttrande_html(submission: Submission, renderer: ReportRenderer | None = None) -> str:
    renderer = renderer or YttrandeRenderer()
    data = submission_form_data(submission=submission)
    context: dict[str, Any] = {
        "submission": submission,
        "round": submission.round,
        "county": submission.round.plan.county,
        "submitted_at": timezone.localtime(submission.submitted_at)
        if submission.submitted_at
        else None,
        "answers": [(q, data.answers.get(q.pk)) for q in data.questions],
        "indicator_rows": [(i, data.indicator_answers.get(i.pk)) for i in data.indicators],
        "activities": data.activities,
        "stylesheet_href": renderer.stylesheet,
    }
    with translation.override(renderer.language):
        return render_to_string(renderer.template_name, context)


def yttrande_pdf(submission: Submission) -> bytes:
    """The submitted yttrande as a tagged PDF/A-2 (PDF/UA-1 identified). Raises ValueError for a
    yttrande that has not been sent in."""
    if not is_document(submission):
        raise ValueError("only a submitted yttrande is a document")
    renderer = YttrandeRenderer()
    return renderer.render_pdf(yttrande_html(submission, renderer)).content
