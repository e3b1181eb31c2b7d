"""Password hashing with its cost pinned (core.hashers, decision 63): a login's Argon2 memory is
the project's number, and the passwords stored before it still log in, untouched."""

from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2
from django.contrib.auth.hashers import identify_hasher

from aftersales import settings as production
from aftersales.core.hashers import Argon2PasswordHasher
from tests.factories import PASSWORD, make_staff


def test_a_password_stored_before_still_logs_in_and_is_not_rewritten(db, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = make_staff("lixy", "hotline")
    user.password = DjangoArgon2().encode(PASSWORD, DjangoArgon2().salt())  # as Django stored it
    user.save()
    stored = user.password

    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password == stored  # same parameters: nothing to upgrade at this login
    assert isinstance(identify_hasher(stored), Argon2PasswordHasher)


def test_a_new_password_costs_100_mib_of_memory_per_hash(db, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    user = make_staff("lixy", "hotline")

    user.set_password("river-stone-77")

    assert production.PASSWORD_HASHERS[0] == "aftersales.core.hashers.Argon2PasswordHasher"
    assert user.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")
