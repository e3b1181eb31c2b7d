"""`aftersales backup FILE` / `aftersales restore FILE [--force]`: one archive with the database,
the media files and a manifest; restore checks it whole before it touches anything, goes only
into an empty database of the same engine unless --force, and brings back exactly what was
backed up. Runs on whichever engine DATABASE_URL names (SQLite, PostgreSQL)."""

import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import translation

from aftersales.core import backup
from aftersales.customers.models import Customer
from tests.factories import CustomerFactory, make_plain_user

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only what is committed


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "photos").mkdir(parents=True)
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def restore(path: Path, *, force: bool = False) -> None:
    call_command("restore", str(path), force=force, verbosity=0, stdout=io.StringIO())


def take_backup(path: Path) -> Path:
    call_command("backup", str(path), verbosity=0, stdout=io.StringIO())
    return path


def rewritten(original: Path, into: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the archive, each member's bytes passed through `change(name, data)`."""
    with tarfile.open(original, "r:gz") as source, tarfile.open(into, "w:gz") as target:
        for member in source:
            handle = source.extractfile(member)
            data = change(member.name, handle.read() if handle else b"")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return into


def test_a_backup_restored_after_changes_brings_back_the_data_and_the_media_files(tmp_path, media):
    # given a customer, a user and a photo, backed up
    CustomerFactory(name="王芳", phone="+8613800138000")
    make_plain_user("clerk")
    (media / "photos" / "intake.jpg").write_bytes(b"\xff\xd8 the unit as it came in")
    archive = take_backup(tmp_path / "aftersales.tar.gz")
    # and then changed: renamed, one more customer, the photo replaced, another one added
    Customer.objects.filter(name="王芳").update(name="王芳芳")
    CustomerFactory(name="李雷")
    (media / "photos" / "intake.jpg").write_bytes(b"another photo")
    (media / "photos" / "later.jpg").write_bytes(b"taken after the backup")

    restore(archive, force=True)

    assert list(Customer.objects.values_list("name", flat=True)) == ["王芳"]
    assert list(User.objects.values_list("username", flat=True)) == ["clerk"]
    assert (media / "photos" / "intake.jpg").read_bytes() == b"\xff\xd8 the unit as it came in"
    assert not (media / "photos" / "later.jpg").exists()
    CustomerFactory(name="新客户")  # the restored database takes new rows (its sequences too)


def test_the_manifest_names_version_engine_migrations_rows_and_checksums(tmp_path, media):
    CustomerFactory()
    (media / "photos" / "a.jpg").write_bytes(b"a")
    archive = take_backup(tmp_path / "aftersales.tar.gz")

    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["engine"] == connection.vendor
    assert manifest["version"]
    assert "0001_initial" in manifest["migrations"]["customers"]
    assert manifest["tables"]["customers_customer"] == 1
    assert set(manifest["members"]) == set(names) - {"manifest.json"}
    assert set(manifest["members"]) == {manifest["database"], "media/photos/a.jpg"}
    assert all(len(m["sha256"]) == 64 for m in manifest["members"].values())
    assert archive.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only


def test_restore_refuses_a_database_in_use_unless_forced(tmp_path):
    CustomerFactory(name="王芳")
    archive = take_backup(tmp_path / "aftersales.tar.gz")
    CustomerFactory(name="李雷")

    with pytest.raises(CommandError, match="not empty: it holds customers.*--force"):
        restore(archive)
    assert Customer.objects.count() == 2  # nothing touched

    restore(archive, force=True)
    assert list(Customer.objects.values_list("name", flat=True)) == ["王芳"]


def test_restore_goes_into_a_migrated_database_with_no_users_and_no_customers(tmp_path):
    archive = take_backup(tmp_path / "empty.tar.gz")  # a database as `migrate` leaves it

    restore(archive)  # no --force needed

    assert not Customer.objects.exists() and not User.objects.exists()


def test_restore_goes_into_a_database_with_no_tables(tmp_path, media):
    CustomerFactory(name="王芳")
    (media / "photos" / "a.jpg").write_bytes(b"a")
    archive = take_backup(tmp_path / "aftersales.tar.gz")

    with scratch_database(tmp_path) as empty:
        backup.backup_restore(archive, in_use_if_rows_in=(User, Customer), connection=empty)

        with empty.cursor() as cursor:
            cursor.execute("SELECT name FROM customers_customer")
            assert cursor.fetchall() == [("王芳",)]


def test_restore_refuses_a_backup_of_the_other_engine(tmp_path):
    archive = take_backup(tmp_path / "aftersales.tar.gz")
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def other_engine(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        return json.dumps({**json.loads(data), "engine": other}).encode()

    moved = rewritten(archive, tmp_path / "other.tar.gz", other_engine)
    with pytest.raises(CommandError, match="backup of a (SQLite|PostgreSQL) database; this inst"):
        restore(moved, force=True)


def test_a_member_that_does_not_match_its_checksum_is_named_and_nothing_is_restored(
    tmp_path, media
):
    CustomerFactory(name="王芳")
    (media / "photos" / "intake.jpg").write_bytes(b"the photo")
    archive = take_backup(tmp_path / "aftersales.tar.gz")
    CustomerFactory(name="李雷")

    def altered(name: str, data: bytes) -> bytes:
        return b"not the photo" if name == "media/photos/intake.jpg" else data

    damaged = rewritten(archive, tmp_path / "damaged.tar.gz", altered)
    with pytest.raises(CommandError, match="media/photos/intake.jpg does not match its checksum"):
        restore(damaged, force=True)
    assert Customer.objects.count() == 2  # the database untouched
    assert (media / "photos" / "intake.jpg").read_bytes() == b"the photo"


def test_an_archive_cut_short_or_not_a_backup_is_refused(tmp_path):
    CustomerFactory.create_batch(30)
    archive = take_backup(tmp_path / "aftersales.tar.gz")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    junk = tmp_path / "notes.tar.gz"
    junk.write_bytes(b"meeting notes")

    with pytest.raises(CommandError, match="damaged"):
        restore(cut, force=True)
    with pytest.raises(CommandError, match="not an Aftersales backup"):
        restore(junk, force=True)
    assert Customer.objects.count() == 30


def test_a_backup_from_a_newer_version_is_refused(tmp_path):
    archive = take_backup(tmp_path / "aftersales.tar.gz")

    def newer(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["customers"].append("0099_from_the_future")
        return json.dumps(manifest).encode()

    with pytest.raises(CommandError, match="newer version.*customers.0099_from_the_future"):
        restore(rewritten(archive, tmp_path / "newer.tar.gz", newer), force=True)


def test_backup_never_overwrites_a_file(tmp_path):
    existing = tmp_path / "aftersales.tar.gz"
    existing.write_bytes(b"last week's")

    with pytest.raises(CommandError, match="exists already"):
        take_backup(existing)
    assert existing.read_bytes() == b"last week's"


def test_an_uncompressed_tar_works_too(tmp_path):
    CustomerFactory(name="王芳")
    archive = take_backup(tmp_path / "aftersales.tar")
    Customer.objects.update(name="改了")

    restore(archive, force=True)

    assert tarfile.open(archive, "r:").getnames()[-1] == "manifest.json"
    assert list(Customer.objects.values_list("name", flat=True)) == ["王芳"]


def test_without_pg_dump_the_backup_says_what_to_install(tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL")
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CommandError, match="pg_dump is not installed.*postgresql-client"):
        take_backup(tmp_path / "aftersales.tar.gz")


class scratch_database:
    """A database of the suite's engine with no tables, dropped afterwards: a SQLite file, or a
    PostgreSQL database named h18a_… beside the test database."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path

    def __enter__(self):  # type: ignore[no-untyped-def]
        settings_dict = dict(connection.settings_dict)
        if connection.vendor == "postgresql":
            self.name = f"h18a_scratch_{uuid.uuid4().hex[:8]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
        else:
            self.name = str(self.tmp_path / "empty.sqlite3")
        settings_dict["NAME"] = self.name
        self.wrapper = type(connections["default"])(settings_dict, alias="scratch")
        return self.wrapper

    def __exit__(self, *exc: object) -> None:
        self.wrapper.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def test_an_older_backup_is_restored_then_migrated_forward(tmp_path):
    # given a backup taken before the latest migration of an app (one that changes no table)
    call_command("migrate", "admin", "0002", verbosity=0)
    try:
        archive = take_backup(tmp_path / "older.tar.gz")
    finally:
        call_command("migrate", "admin", verbosity=0)
    out = io.StringIO()

    call_command("restore", str(archive), force=True, no_migrate=True, verbosity=0, stdout=out)
    assert not applied("admin", "0003_logentry_add_action_flag_choices")
    assert "Run `aftersales migrate`" in out.getvalue()

    restore(archive, force=True)  # without --no-migrate it migrates forward itself
    assert applied("admin", "0003_logentry_add_action_flag_choices")


def applied(app: str, name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM django_migrations WHERE app = %s AND name = %s", [app, name])
        return cursor.fetchone() is not None
