"""Argon2 is the first hasher; a PBKDF2 hash from before is rehashed at the next login."""

from django.contrib.auth.hashers import make_password

from kvinnofrid.accounts.models import Role
from tests.conftest import PRODUCTION_PASSWORD_HASHERS


def test_argon2_first_and_pbkdf2_hash_upgraded_at_login(client, make_user, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_PASSWORD_HASHERS
    settings.AXES_ENABLED = False
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user(Role.REPORTER)
    user.password = make_password("gammalt-losenord-1", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(
        "/konto/logga-in/", {"username": user.email, "password": "gammalt-losenord-1"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("gammalt-losenord-1")
