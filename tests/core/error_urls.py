"""A URLconf with pages that fail, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from kvinnofrid.urls import urlpatterns as project_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("odd input")


urlpatterns = [
    path("test-fel/500/", boom),
    path("test-fel/403/", forbidden),
    path("test-fel/400/", suspicious),
    *project_urlpatterns,
]
