"""The language switch in the footer of every page (Swedish ↔ English)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language as django_set_language


@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (POST ``language`` and ``next``; stores the choice in the
    language cookie), answering with 303 See Other instead of 302.

    The redirect after choosing a language from the login page points at the login page itself.
    ``RestoreTypedTextMiddleware`` reads an anonymous POST answered with a 302 to the login page
    as "the session ran out while typing" and stashes the form; a 303 is not read that way, and
    it is the proper answer to a POST anyway.
    """
    response = django_set_language(request)
    if response.status_code == 302:
        response.status_code = 303
    return response
