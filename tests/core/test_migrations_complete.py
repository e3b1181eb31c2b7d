"""Every model change comes with its migration: the models and the migrations agree."""

import io

from django.core.management import call_command


def test_the_migrations_describe_every_model(db):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits 1 when not
    assert "No changes detected" in out.getvalue()
