"""The bench's own database, next to the configured one: never the user's data.

SQLite: `var/aftersales.sqlite3` → `var/aftersales_bench.sqlite3` (same folder).
PostgreSQL: database `aftersales` → `aftersales_bench` on the same server, same credentials.
"""

import sys
from pathlib import Path
from typing import Any

SUFFIX = "_bench"


def bench_name(db: dict[str, Any]) -> str:
    """The bench database's NAME for the configured database settings `db`."""
    name = str(db.get("NAME") or "")
    if db["ENGINE"].endswith("sqlite3"):
        if not name or name == ":memory:" or name.startswith("file:"):
            from django.conf import settings

            return str(Path(settings.VAR_DIR) / "bench.sqlite3")
        path = Path(name)
        return str(path.with_name(f"{path.stem}{SUFFIX}{path.suffix or '.sqlite3'}"))
    return f"{name or 'aftersales'}{SUFFIX}"


def use_bench_database() -> tuple[str, str]:
    """Before `django.setup()`: point the default connection at the bench database.

    Returns (configured name, bench name). Also turns DEBUG off, so that Django does not keep
    every query in memory and the numbers are those of production.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    original = str(db.get("NAME") or "")
    db["NAME"] = bench_name(db)
    if db["NAME"] == original:  # pragma: no cover - bench_name always changes it
        raise SystemExit("bench: refusing to run on the configured database itself")
    settings.DEBUG = False
    return original, db["NAME"]


def ensure_database(out: Any = sys.stderr) -> None:
    """Create the bench database if it is missing (PostgreSQL), then apply the migrations."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                print(f"bench: creating database {name}", file=out)
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    elif connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
