"""Shared fixtures. Tests use PostgreSQL/Redis when DATABASE_URL/CELERY_BROKER_URL are set
(CI sets them), SQLite and eager Celery otherwise."""

import os
from collections.abc import Callable

import pytest
from django.test import override_settings

from kvinnofrid import settings as project_settings
from kvinnofrid.accounts.models import Membership, Role, User
from kvinnofrid.directory.models import Organisation, OrganisationKind
from tests.factories import OrganisationFactory, UserFactory, county, ensure_reference_data

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The hashers production uses (Argon2 first), for the tests of hashing.
PRODUCTION_PASSWORD_HASHERS = list(project_settings.PASSWORD_HASHERS)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Every test with database access starts with the counties and the national strategy.

    A ``transaction=True`` test (browser journeys, threads, a real worker) ends with a flush
    that empties every table, reference rows included. ``serialized_rollback`` cannot be used
    to bring them back: mixed with plain transactional tests it collides on content types. So
    one cheap query per test checks, and the idempotent data migrations reload what is gone.
    """
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
    } & set(request.fixturenames)
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        from kvinnofrid.directory.models import County

        if not County.objects.exists():
            ensure_reference_data()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached fragments are keyed by row ids and versions, which the next test may reuse."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """The suite's one password-hasher setting: Argon2 and PBKDF2 cost ~0.1–0.9 s per hash on
    these machines, so every test (module-scoped demo loads included) hashes with MD5. A test of
    hashing itself sets ``settings.PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS``."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _report_builds_in_process(settings):
    """Report builds run through Celery (eager here) so tests stay deterministic; the tests of
    the background-thread path (no broker, issue 15 item 8) turn REPORT_BUILD_IN_THREAD on."""
    settings.REPORT_BUILD_IN_THREAD = False


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


CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


def _reset_celery_pools() -> None:
    # The connection and producer pools are built lazily from broker_url; drop the cached ones.
    from kvinnofrid.celery import app

    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def dead_broker(monkeypatch):
    """Celery pointed at a closed port with eager execution off, as when Redis is stopped."""
    from kvinnofrid.celery import app

    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    # Celery prefers the CELERY_BROKER_URL environment variable over its config (CI sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT_BROKER)
    app.conf.broker_url = CLOSED_PORT_BROKER
    app.conf.task_always_eager = False
    _reset_celery_pools()
    yield
    app.conf.update(previous)
    _reset_celery_pools()
