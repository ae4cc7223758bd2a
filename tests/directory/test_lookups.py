"""A county page's county (kvinnofrid.directory.lookups.visible_county_or_404) is read with a
written-out query: the same county, or the same 404, as
``get_object_or_404(County.objects.visible_to(user), code=code)``."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from kvinnofrid.directory.lookups import visible_county_or_404
from kvinnofrid.directory.models import County

pytestmark = pytest.mark.django_db


def _orm(user, code):
    try:
        return get_object_or_404(County.objects.visible_to(user), code=code)
    except Http404:
        return None


def _written(user, code):
    try:
        return visible_county_or_404(user, code)
    except Http404:
        return None


@pytest.mark.parametrize(
    "role", ["coordinator", "reporter", "management", "observer", "national_admin", "none"]
)
def test_the_county_is_the_orms(make_user, role):
    users = [None, AnonymousUser()]
    if role != "none":
        users.append(make_user(role))
    for user in users:
        for code in ("06", "07", "99", ""):
            expected, got = _orm(user, code), _written(user, code)
            assert got == expected
            if got is not None:
                fields = [f.attname for f in County._meta.concrete_fields]
                assert [getattr(got, f) for f in fields] == [getattr(expected, f) for f in fields]
                assert got.logo == expected.logo
                assert got.get_deferred_fields() == set()


def test_a_user_without_counties_costs_no_query(make_user, django_assert_num_queries):
    user = make_user("reporter")
    user.memberships.all().delete()
    with django_assert_num_queries(1):  # the user's memberships, no county query
        assert _written(user, "06") is None
