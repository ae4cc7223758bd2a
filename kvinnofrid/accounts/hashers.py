"""The password hasher: Django's Argon2id hasher with OWASP's baseline cost.

Django's defaults (100 MiB, 2 passes, 8 lanes) cost about 0.2 s of CPU per login on the 2-core
machines this runs on, so a morning's logins of a county's reporters queue the sync workers
behind password hashes (bench/followup_load.py). OWASP's Password Storage Cheat Sheet gives
19 MiB, 2 passes, 1 lane as the minimum for Argon2id: about 0.03 s of CPU. Hashes made with other
parameters (or by PBKDF2 before) are rehashed with these at the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    """Argon2id, 19 MiB, 2 passes, 1 lane."""

    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
