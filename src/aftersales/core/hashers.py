"""Password hashing with its cost written down (decision 63).

Django's Argon2 hasher takes its parameters from the Django release, which has raised them before
(3.2: 512 KiB → 100 MiB); pinned here, a login's memory is a number this project chose and
documents (README "Running in production"), not one an upgrade changes. The values are Django
5.2's, so every hash already stored verifies as it did and none is rewritten at the next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2PasswordHasher


class Argon2PasswordHasher(DjangoArgon2PasswordHasher):
    """Argon2id, `algorithm = "argon2"` as Django's (so it reads the hashes stored before).

    One hash — setting a password, or checking one at a login — holds `memory_cost` KiB
    (100 MiB) for its duration (a quarter to half a second on 2 cores) and gives it back. A sync web worker serves
    one request at a time, so it runs at most one hash at once: the web server's logins hold at
    most WEB_CONCURRENCY × 100 MiB, and a worker's resident memory peaks ~100 MiB above its
    steady size during a login (`make bench` prints both)."""

    time_cost = 2
    memory_cost = 102_400  # KiB
    parallelism = 8
