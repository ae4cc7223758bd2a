"""Shared fixtures. Tests use PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set
(CI sets them), SQLite and eager Celery otherwise."""

import os
from collections.abc import Callable

import pytest

from agreements.models import Organisation, OrganisationKind
from kvinnofrid.accounts.models import Membership, Role, User
from tests.factories import OrganisationFactory, UserFactory, county

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def pytest_collection_modifyitems(items):
    """Transactional tests always restore the reference data (counties, national goals).

    A ``transaction=True`` test ends with a flush that empties every table and re-creates the
    content types; without ``serialized_rollback`` the next tests find no counties, and the
    next serialized test fails on duplicate content types. So every transactional test gets
    ``serialized_rollback=True``.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            continue
        if marker.kwargs.get("serialized_rollback"):
            continue
        kwargs = {**marker.kwargs, "serialized_rollback": True}
        item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 costs ~0.9 s per user on these machines; tests do not need slow hashes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def make_user(db) -> Callable[..., User]:
    """Build a user with ``role`` at ``organisation`` (created in ``county_code`` if omitted)."""

    def _make(
        role: str,
        *,
        organisation: Organisation | None = None,
        county_code: str = "06",
        email: str | None = None,
    ) -> User:
        if organisation is None:
            kind = {
                Role.COORDINATOR: OrganisationKind.LANSSTYRELSE,
                Role.MANAGEMENT: OrganisationKind.REGION,
                Role.OBSERVER: OrganisationKind.MYNDIGHET,
            }.get(role, OrganisationKind.KOMMUN)
            org_county = None if role == Role.OBSERVER else county(county_code)
            organisation = OrganisationFactory(county=org_county, kind=kind)
        user = UserFactory(**({"email": email} if email else {}))
        Membership.objects.create(user=user, organisation=organisation, role=role)
        return user

    return _make


@pytest.fixture
def user_with_role(make_user) -> Callable[..., User | None]:
    """``anonymous`` gives None; ``other_county_<role>`` a user of Kronoberg (07)."""

    def _make(name: str, *, organisation: Organisation | None = None, county_code: str = "06"):
        if name == "anonymous":
            return None
        if name.startswith("other_county_"):
            return make_user(name.removeprefix("other_county_"), county_code="07")
        if name.startswith("other_org_"):
            return make_user(name.removeprefix("other_org_"), county_code=county_code)
        return make_user(name, organisation=organisation, county_code=county_code)

    return _make


@pytest.fixture(autouse=True)
def _celery_eager_by_default(request):
    """Tasks run in process unless a test is marked ``real_broker`` (it starts a worker)."""
    from kvinnofrid.celery import app

    if request.node.get_closest_marker("real_broker"):
        yield
        return
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
