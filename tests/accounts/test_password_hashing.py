"""Argon2 is the first hasher; a PBKDF2 hash from before is rehashed at the next login."""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2
from django.contrib.auth.hashers import make_password

from kvinnofrid.accounts.models import Role
from tests.conftest import PRODUCTION_PASSWORD_HASHERS


def test_argon2_first_and_pbkdf2_hash_upgraded_at_login(client, make_user, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
    settings.AXES_ENABLED = False
    assert settings.PASSWORD_HASHERS[0] == "kvinnofrid.accounts.hashers.Argon2PasswordHasher"
    user = make_user(Role.REPORTER)
    user.password = make_password("gammalt-losenord-1", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(
        "/konto/logga-in/", {"username": user.email, "password": "gammalt-losenord-1"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password("gammalt-losenord-1")


def test_argon2_hash_with_django_default_cost_is_rehashed_at_login(client, make_user, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
    settings.AXES_ENABLED = False
    user = make_user(Role.REPORTER)
    user.password = make_password("gammalt-losenord-1", hasher=DjangoArgon2())
    user.save(update_fields=["password"])
    assert "m=102400,t=2,p=8" in user.password
    client.post("/konto/logga-in/", {"username": user.email, "password": "gammalt-losenord-1"})
    user.refresh_from_db()
    assert "m=19456,t=2,p=1" in user.password
