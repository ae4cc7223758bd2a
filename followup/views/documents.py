"""A submitted yttrande as a PDF document (``followup.documents``)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from followup.documents import can_download_yttrande, yttrande_pdf
from followup.models import Submission


@login_required
def submission_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The yttrande's PDF/A-2: its organisation and the county's coordinators; everyone else, and
    a yttrande not sent in, get 404."""
    submission = get_object_or_404(
        Submission.objects.visible_to(request.user).select_related(
            "round__plan__county", "organisation"
        ),
        pk=pk,
    )
    if not can_download_yttrande(request.user, submission):
        raise Http404
    name = slugify(submission.diarienummer) or str(submission.pk)
    response = HttpResponse(yttrande_pdf(submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="yttrande-{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
