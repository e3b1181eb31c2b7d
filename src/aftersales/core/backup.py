"""Backups of the whole installation and their restore (docs/operations.md "Backups", decisions
65-68): the database and the media files in one archive, with a manifest that restore checks
before it touches anything.

The archive is a tar (gzip-compressed unless its name ends in `.tar`) holding `database.sqlite3`
(SQLite's online backup API: one step, so one consistent snapshot while the app writes) or
`database.pgdump` (`pg_dump --format=custom`, from a snapshot that the manifest's counts are read
in too), every file under MEDIA_ROOT as `media/…`, and `manifest.json`: the app's version, the
engine, the applied migrations, the rows of each table and the sha256 of every other member.

Restore unpacks the archive beside MEDIA_ROOT, checks every member against the manifest, the
engine and the migrations (a backup from a newer version is refused), and that the database is
empty (or `force`); only then does it replace the database and the media. Bringing the database
forward (`migrate`) is the caller's next step. Nothing here knows the apps above `core`: what
makes a database "in use" is given by the caller (`in_use_if_rows_in`).
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, time, timedelta
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DatabaseError
from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
MEDIA = "media"
CHUNK = 1024 * 1024
# The nightly backups (`backup_nightly`): only files named so are counted and pruned.
NIGHTLY_NAME = re.compile(r"^aftersales-(\d{8}-\d{6})\.tar\.gz$")

Progress = Callable[[str], None]


def _quiet(line: str) -> None:
    pass


class BackupError(Exception):
    """A backup or restore refused or failed, in words a person can act on (no traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@contextlib.contextmanager
def _database_errors() -> Iterator[None]:
    """A database that cannot be reached or refuses us is a BackupError, in its own words."""
    import psycopg

    try:
        yield
    except (DatabaseError, psycopg.Error, sqlite3.Error) as exc:
        raise BackupError(
            _("The database failed: %(error)s") % {"error": str(exc).strip()}
        ) from None


# --- backup ----------------------------------------------------------------------------------


def backup_create(
    path: Path,
    *,
    connection: BaseDatabaseWrapper | None = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Write one archive at `path` (a new file, mode 0600: it holds personal data) with the
    database, the media files and the manifest; return the manifest. The archive is written
    under a hidden name and renamed when complete, so a file of that name is always whole."""
    conn = connection or default_connection
    engine = _engine(conn)
    path = Path(path)
    if path.exists():
        raise BackupError(
            _("%(path)s exists already: name a new file, or remove that one first.")
            % {"path": path}
        )
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".aftersales-backup-") as tmp:
        dump = Path(tmp) / DATABASE_MEMBER[engine]
        progress(_("Copying the database (%(engine)s)…") % {"engine": ENGINE_NAMES[engine]})
        with _database_errors():
            if engine == "sqlite":
                tables, migrations = _sqlite_dump(conn, dump)
            else:
                tables, migrations = _postgresql_dump(conn, dump)
        media_root = Path(settings.MEDIA_ROOT)
        media = sorted(_files_under(media_root))
        progress(
            _("Writing the archive: the database and %(count)d media files…")
            % {"count": len(media)}
        )
        partial = path.with_name(f".{path.name}.partial")
        manifest = {
            "format": FORMAT,
            "app": "aftersales",
            "version": _version(),
            "engine": engine,
            "created_at": timezone.localtime().isoformat(),
            "database": dump.name,
            "migrations": migrations,
            "tables": tables,
        }
        try:
            manifest["members"] = _write_archive(partial, dump, media_root, media, manifest)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _write_archive(
    partial: Path, dump: Path, media_root: Path, media: list[Path], manifest: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """The database, the media files, then the manifest with the checksums of the bytes just
    written (last, so a file changed meanwhile cannot disagree with it)."""
    members: dict[str, dict[str, Any]] = {}
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw:
        with _open_for_writing(raw, partial.name.removesuffix(".partial")) as tar:
            members[dump.name] = _add(tar, dump, dump.name)
            for file in media:
                member = f"{MEDIA}/{file.relative_to(media_root).as_posix()}"
                with contextlib.suppress(FileNotFoundError):  # deleted since we listed it
                    members[member] = _add(tar, file, member)
            data = json.dumps(
                {**manifest, "members": members}, indent=2, ensure_ascii=False, sort_keys=True
            ).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        raw.flush()
        os.fsync(raw.fileno())
    return members


def _compressed(name: str) -> bool:
    return not name.endswith(".tar")


def _open_for_writing(raw: IO[bytes], name: str) -> tarfile.TarFile:
    if _compressed(name):
        return tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6, format=tarfile.PAX_FORMAT)
    return tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT)


class _Hashing:
    """A file read through it is hashed on the way."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file, self.sha256, self.size = file, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, file: Path, member: str) -> dict[str, Any]:
    with open(file, "rb") as source:
        stat = os.fstat(source.fileno())
        info = tarfile.TarInfo(member)
        info.size, info.mode, info.mtime = stat.st_size, 0o600, int(stat.st_mtime)
        reader = _Hashing(source)
        tar.addfile(info, reader)  # type: ignore[arg-type]  # it only calls read()
    return {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def _files_under(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        return
    for folder, _dirs, files in os.walk(root):
        for name in files:
            file = Path(folder) / name
            if file.is_file() and not file.is_symlink():
                yield file


def _version() -> str:
    try:
        return metadata.version("aftersales")
    except metadata.PackageNotFoundError:
        return "unknown"


def _engine(conn: BaseDatabaseWrapper) -> str:
    if conn.vendor not in DATABASE_MEMBER:
        raise BackupError(
            _("Backups work on SQLite and PostgreSQL, not on %(engine)s.") % {"engine": conn.vendor}
        )
    return str(conn.vendor)


def _sqlite_dump(
    conn: BaseDatabaseWrapper, dump: Path
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """SQLite's online backup API in one step: a read transaction for its length, so a
    consistent snapshot; in WAL mode the app's writers go on meanwhile."""
    conn.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        conn.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        return _contents(target.cursor(), _SQLITE_TABLES)
    finally:
        target.close()


_SQLITE_TABLES = (
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
)
_POSTGRESQL_TABLES = (
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
)


def _contents(cursor: Any, tables_sql: str) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The rows of each table and the applied migrations, as the cursor's snapshot sees them."""
    cursor.execute(tables_sql)
    names = [row[0] for row in cursor.fetchall()]
    tables = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(name)}")
        tables[name] = int(cursor.fetchone()[0])
    migrations: dict[str, list[str]] = {}
    if "django_migrations" in tables:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations.setdefault(app, []).append(name)
    return tables, migrations


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _postgresql_dump(
    conn: BaseDatabaseWrapper, dump: Path
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """pg_dump in the custom format, from a snapshot exported by a read-only REPEATABLE READ
    transaction that also reads the manifest's counts: both see the same moment."""
    import psycopg

    tool = _tool("pg_dump")
    raw = conn.get_new_connection(conn.get_connection_params())
    try:
        raw.autocommit = False
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            contents = _contents(cursor, _POSTGRESQL_TABLES)
            _run(
                [tool, "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                conn,
            )
        return contents
    finally:
        raw.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(tool)s is not installed or not on PATH: install the PostgreSQL client tools "
                "of the server's major version or newer (e.g. apt-get install postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _run(command: list[str], conn: BaseDatabaseWrapper) -> None:
    """Run a PostgreSQL client tool against the configured database (DATABASE_URL's host, port,
    user, password, name and TLS options, passed in its environment, never on the command line)."""
    options = conn.settings_dict.get("OPTIONS") or {}
    environment = dict(os.environ, PGAPPNAME="aftersales-backup")
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if conn.settings_dict.get(key):
            environment[variable] = str(conn.settings_dict[key])
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(option):
            environment[f"PG{option.upper()}"] = str(options[option])
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": done.stderr.strip() or done.returncode}
        )


# --- restore ---------------------------------------------------------------------------------


def backup_restore(
    path: Path,
    *,
    force: bool = False,
    in_use_if_rows_in: Iterable[type[Model]] = (),
    connection: BaseDatabaseWrapper | None = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """Replace the database and the media files with the archive's; return its manifest.

    Refused, with nothing touched: an archive that is not whole (a member missing, extra or not
    matching its checksum: named), a backup of the other engine, one with migrations this
    version does not know (a newer version's), and — unless `force` — a database in use: one
    with tables that are not ours, or with a row in any of `in_use_if_rows_in`'s tables."""
    conn = connection or default_connection
    engine = _engine(conn)
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": path})
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".aftersales-restore-"))
    try:
        progress(_("Checking the archive %(path)s…") % {"path": path})
        manifest = backup_unpack(path, staging)
        if manifest["engine"] != engine:
            raise BackupError(
                _(
                    "This is a backup of a %(backup)s database; this installation uses "
                    "%(here)s. Restore it where DATABASE_URL names a %(backup)s database."
                )
                % {
                    "backup": ENGINE_NAMES.get(manifest["engine"], manifest["engine"]),
                    "here": ENGINE_NAMES[engine],
                }
            )
        unknown = _unknown_migrations(manifest["migrations"])
        if unknown:
            raise BackupError(
                _(
                    "This backup was made by a newer version of Aftersales (%(version)s): it "
                    "has migrations this one does not know (%(migrations)s). Install that "
                    "version or a later one, then restore."
                )
                % {"version": manifest.get("version", "?"), "migrations": ", ".join(unknown[:5])}
            )
        if not force:
            with _database_errors():
                in_use = database_in_use(conn, in_use_if_rows_in)
            if in_use:
                raise BackupError(
                    _(
                        "The database is not empty: %(what)s. Restore into an empty database "
                        "(no tables, or migrated with no users and no customers), or add --force "
                        "to replace everything in it with the backup."
                    )
                    % {"what": in_use}
                )
        dump = staging / manifest["database"]
        progress(_("Restoring the database…"))
        with _database_errors():
            if engine == "sqlite":
                _check_counts(manifest, _sqlite_counts(dump))
                _sqlite_restore(conn, dump)
            else:
                _postgresql_restore(conn, dump, manifest)
                with conn.cursor() as cursor:
                    _check_counts(manifest, _contents(cursor, _POSTGRESQL_TABLES)[0])
        progress(_("Restoring the media files…"))
        _replace_media(staging / MEDIA, media_root, staging / "media-replaced")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def backup_unpack(path: Path, into: Path) -> dict[str, Any]:
    """Unpack the archive into the folder `into`, hashing each member on the way, and return its
    manifest once every member matches it (else BackupError naming the member)."""
    found: dict[str, str] = {}
    manifest_data: bytes | None = None
    try:
        tar = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError):
        raise BackupError(
            _("%(path)s is not an Aftersales backup (not a .tar or .tar.gz archive).")
            % {"path": path}
        ) from None
    current = _("its beginning")
    try:
        with tar:
            for member in tar:
                current = member.name
                name = _member_name(member)
                if member.isdir():
                    continue
                source = tar.extractfile(member)
                if source is None:
                    raise BackupError(
                        _("The archive holds %(member)s, which is not a file.") % {"member": name}
                    )
                if name == MANIFEST:
                    manifest_data = source.read(16 * CHUNK)
                    continue
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                found[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise BackupError(
            _("The archive is damaged (cut short or altered) at %(member)s: %(error)s")
            % {"member": current, "error": exc}
        ) from None
    except OSError as exc:
        raise BackupError(
            _("The archive cannot be unpacked into %(folder)s: %(error)s")
            % {"folder": into, "error": exc}
        ) from None
    if manifest_data is None:
        raise BackupError(
            _("%(path)s has no manifest.json: it is not an Aftersales backup, or it was cut short.")
            % {"path": path}
        )
    try:
        manifest = json.loads(manifest_data)
        members = {str(k): str(v["sha256"]) for k, v in manifest["members"].items()}
        if manifest["format"] != FORMAT or manifest["database"] not in DATABASE_MEMBER.values():
            raise ValueError(manifest["format"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise BackupError(
            _(
                "The manifest of %(path)s cannot be read: the archive is damaged, or it was made "
                "by a different program."
            )
            % {"path": path}
        ) from None
    for name, sha256 in members.items():
        if name not in found:
            raise BackupError(
                _("The archive is damaged: %(member)s is missing.") % {"member": name}
            )
        if found.pop(name) != sha256:
            raise BackupError(
                _("The archive is damaged: %(member)s does not match its checksum in the manifest.")
                % {"member": name}
            )
    if found:
        raise BackupError(
            _("The archive holds %(member)s, which its manifest does not list: it was altered.")
            % {"member": sorted(found)[0]}
        )
    if manifest["database"] not in members:
        raise BackupError(_("The archive is damaged: it holds no database."))
    return dict(manifest)


def _member_name(member: tarfile.TarInfo) -> str:
    """Only the names a backup writes: the manifest, the database, files under media/."""
    name = PurePosixPath(member.name)
    allowed = (
        not name.is_absolute()
        and ".." not in name.parts
        and (member.isfile() or member.isdir())
        and (
            str(name) in (MANIFEST, *DATABASE_MEMBER.values())
            or (name.parts[0] == MEDIA and len(name.parts) > 1)
            or str(name) == MEDIA
        )
    )
    if not allowed:
        raise BackupError(
            _("The archive holds %(member)s, which no Aftersales backup holds: it was altered.")
            % {"member": member.name}
        )
    return str(name)


def _unknown_migrations(migrations: dict[str, list[str]]) -> list[str]:
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in names
        if (app, name) not in known
    ]


def database_in_use(conn: BaseDatabaseWrapper, models: Iterable[type[Model]]) -> str:
    """Why the database is not empty, in words ("" when it is): tables none of ours (no
    migrations table), or a row in any of `models`' tables."""
    with conn.cursor() as cursor:
        tables = set(conn.introspection.table_names(cursor))
        if not tables:
            return ""
        if "django_migrations" not in tables:
            return _("it holds tables that are not Aftersales's (%(tables)s)") % {
                "tables": ", ".join(sorted(tables)[:5])
            }
        holding = []
        for model in models:
            table = model._meta.db_table
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
                if cursor.fetchone():
                    holding.append(str(model._meta.verbose_name_plural))
    if not holding:
        return ""
    # A list in the reader's own punctuation ("users, customers" / "用户、客户").
    return _("it holds %(what)s") % {"what": pgettext("list separator", ", ").join(holding)}


def _check_counts(manifest: dict[str, Any], counts: dict[str, int]) -> None:
    for table, rows in manifest["tables"].items():
        if counts.get(table) != rows:
            raise BackupError(
                _(
                    "The database in the archive does not match its manifest: table %(table)s "
                    "has %(found)d rows, the manifest says %(rows)d."
                )
                % {"table": table, "found": counts.get(table, 0), "rows": rows}
            )


def _sqlite_counts(dump: Path) -> dict[str, int]:
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        return _contents(source.cursor(), _SQLITE_TABLES)[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            _("The database in the archive cannot be read: %(error)s") % {"error": exc}
        ) from None
    finally:
        source.close()


def _sqlite_restore(conn: BaseDatabaseWrapper, dump: Path) -> None:
    """The backup API the other way: the live database becomes a page-for-page copy of the
    archive's, in one transaction (another process's reads wait; none sees half of it)."""
    source = sqlite3.connect(dump)
    try:
        conn.close()
        conn.ensure_connection()
        source.backup(conn.connection)
    except sqlite3.Error as exc:
        raise BackupError(
            _("The database could not be restored: %(error)s") % {"error": exc}
        ) from None
    finally:
        source.close()
        conn.close()


def _postgresql_restore(conn: BaseDatabaseWrapper, dump: Path, manifest: dict[str, Any]) -> None:
    """pg_restore --clean in one transaction: the backup's tables replace ours or nothing does.
    Tables the backup does not hold (a newer migration's) are dropped first: left beside the
    restored ones, `migrate` would fail to make them again."""
    tool = _tool("pg_restore")
    with conn.cursor() as cursor:
        extra = [t for t in conn.introspection.table_names(cursor) if t not in manifest["tables"]]
        if extra:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(map(_quote, extra))} CASCADE")
    conn.close()
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conn.settings_dict['NAME']}",
            str(dump),
        ],
        conn,
    )


def _replace_media(restored: Path, media_root: Path, replaced: Path) -> None:
    """MEDIA_ROOT's contents become the archive's (the folder itself stays: it may be a mount)."""
    media_root.mkdir(parents=True, exist_ok=True)
    replaced.mkdir(exist_ok=True)
    for entry in list(media_root.iterdir()):
        shutil.move(str(entry), str(replaced / entry.name))
    if restored.is_dir():
        for entry in list(restored.iterdir()):
            shutil.move(str(entry), str(media_root / entry.name))


# --- the nightly backup ----------------------------------------------------------------------


def nightly_time() -> time | None:
    """BACKUP_AT ("HH:MM" or an hour, local time) as a time; None when empty or off."""
    text = str(settings.BACKUP_AT).strip().lower()
    if text in ("", "off", "false", "no", "none"):
        return None
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?", text)
    if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
        return time(int(match[1]), int(match[2] or 0))
    raise BackupError(
        _(
            "BACKUP_AT=%(value)s is not a time of day: write it as HH:MM (e.g. 02:30), or leave it "
            "empty for no nightly backup."
        )
        % {"value": settings.BACKUP_AT}
    )


def nightly_backups(directory: Path) -> list[tuple[datetime, Path]]:
    """The nightly backups in `directory`, oldest first (by the time in their names)."""
    found = []
    if directory.is_dir():
        for file in directory.iterdir():
            match = NIGHTLY_NAME.match(file.name)
            if match:
                taken = datetime.strptime(match[1], "%Y%m%d-%H%M%S").replace(
                    tzinfo=timezone.get_current_timezone()  # the names are in local time
                )
                found.append((taken, file))
    return sorted(found)


def nightly_due(*, now: datetime, at: time, directory: Path) -> bool:
    """Whether no nightly backup was taken since the last BACKUP_AT: a worker that was down at
    that hour takes it when it comes back, and only one a night."""
    local = timezone.localtime(now)
    slot = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if local < slot:
        slot -= timedelta(days=1)
    return not any(taken >= slot for taken, _file in nightly_backups(directory))


def backups_prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete the oldest nightly backups beyond the newest `keep` (at least one is kept); files
    not named as the nightly ones are left alone."""
    backups = nightly_backups(directory)
    old = [file for _taken, file in backups[: max(len(backups) - max(keep, 1), 0)]]
    for file in old:
        file.unlink(missing_ok=True)
    return old


def backup_nightly(
    *, now: datetime | None = None, progress: Progress = _quiet
) -> tuple[Path, list[Path]] | None:
    """The worker's nightly backup: when one is due (BACKUP_AT), a backup into BACKUP_DIR named
    aftersales-YYYYMMDD-HHMMSS.tar.gz, then the oldest beyond BACKUP_KEEP deleted; returns the
    new file and the deleted ones, or None (not due, or another worker is taking it)."""
    at = nightly_time()
    if at is None:
        return None
    now = now or timezone.now()
    directory = Path(settings.BACKUP_DIR)
    if not nightly_due(now=now, at=at, directory=directory):
        return None
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _exclusive(directory / ".lock") as locked:
        if not locked or not nightly_due(now=now, at=at, directory=directory):
            return None
        _remove_leftovers(directory)
        path = directory / f"aftersales-{timezone.localtime(now):%Y%m%d-%H%M%S}.tar.gz"
        backup_create(path, progress=progress)
        return path, backups_prune(directory, keep=settings.BACKUP_KEEP)


def _remove_leftovers(directory: Path) -> None:
    """What a backup killed midway left (its hidden work folder and partial archive), once a day
    old: a backup still running never is."""
    day_ago = timezone.now().timestamp() - 86400
    for entry in directory.glob(".aftersales-*"):
        if entry.stat().st_mtime < day_ago:
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[bool]:
    """Two workers sharing BACKUP_DIR take one backup: the second finds the lock held."""
    with open(lock, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
