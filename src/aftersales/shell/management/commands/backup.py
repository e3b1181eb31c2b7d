from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from aftersales.core.backup import BackupError, backup_create


class Command(BaseCommand):
    verbose = True
    help = (
        "Back up the database and the media files into one new archive FILE (gzip-compressed; "
        "uncompressed when FILE ends in .tar), with a manifest of checksums, while the app runs. "
        "Restore it with `aftersales restore FILE`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "file", help="the archive to write, e.g. /srv/backups/aftersales.tar.gz"
        )

    def handle(self, *args: object, **options: Any) -> None:
        self.verbose = options["verbosity"] > 0
        path = Path(options["file"])
        try:
            manifest = backup_create(path, progress=self._progress)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        media = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(
            _(
                "Backed up to %(path)s (%(size)s): %(rows)d rows in %(tables)d tables, "
                "%(media)d media files."
            )
            % {
                "path": path,
                "size": filesizeformat(path.stat().st_size),
                "rows": sum(manifest["tables"].values()),
                "tables": len(manifest["tables"]),
                "media": media,
            }
        )

    def _progress(self, line: str) -> None:
        if self.verbose:
            self.stderr.write(line)
