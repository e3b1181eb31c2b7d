from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from aftersales.core.backup import BackupError, backup_restore
from aftersales.customers.models import Customer


class Command(BaseCommand):
    verbose = True
    help = (
        "Restore a backup made by `aftersales backup`: the database and the media files. Only "
        "into an empty database (no tables, or migrated with no users and no customers) of the "
        "same engine, unless --force; then `migrate` brings an older backup forward. Stop "
        "`aftersales serve` and `aftersales worker` first."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the archive `aftersales backup` wrote")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database that is in use (everything in it is lost)",
        )
        parser.add_argument(
            "--no-migrate",
            action="store_true",
            help="leave the restored database at the backup's migrations (no `migrate` after)",
        )

    def handle(self, *args: object, **options: Any) -> None:
        self.verbose = options["verbosity"] > 0
        path = Path(options["file"])
        try:
            manifest = backup_restore(
                path,
                force=options["force"],
                in_use_if_rows_in=(User, Customer),  # contract: "no users and no customers"
                progress=self._progress,
            )
        except BackupError as exc:
            raise CommandError(exc.message) from None
        if not options["no_migrate"]:
            self._progress(_("Bringing the database up to this version (migrate)…"))
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            _(
                "Restored %(path)s, made %(made)s by version %(version)s: %(rows)d rows in "
                "%(tables)d tables, %(media)d media files."
            )
            % {
                "path": path,
                "made": manifest.get("created_at", "?"),
                "version": manifest.get("version", "?"),
                "rows": sum(manifest["tables"].values()),
                "tables": len(manifest["tables"]),
                "media": sum(1 for name in manifest["members"] if name.startswith("media/")),
            }
        )
        if options["no_migrate"]:
            self.stdout.write(_("Run `aftersales migrate` before starting the app."))

    def _progress(self, line: str) -> None:
        if self.verbose:
            self.stderr.write(line)
