"""`aftersales import FILE`: customers and their units from a CSV or XLSX file (docs/import.md).

It runs here, with a progress line, committing in short batches like the page's background import
(`catalog.services.import_rows`): the desk and the worker go on writing meanwhile (decision 58).
"""

import unicodedata
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from aftersales.catalog import rules
from aftersales.catalog.importing import ImportFile, RowError, read_file
from aftersales.catalog.services import ImportResult, import_rows
from aftersales.core.errors import DomainError

PROGRESS_FROM_ROWS = 500  # smaller files finish before a progress bar would help


class Command(BaseCommand):
    help = (
        "Import customers and their units from a CSV or XLSX file, in short committed batches. "
        "A file with errors imports nothing unless --only-good-rows is given; --dry-run only "
        "validates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a .csv (UTF-8 or GB18030) or .xlsx file")
        parser.add_argument(
            "--only-good-rows",
            action="store_true",
            help="import the rows without errors and leave out the others",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate every row, import nothing"
        )
        parser.add_argument(
            "--user", help="the username recorded on the new customers' and units' timelines"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        by = None
        if options["user"]:
            by = User.objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(_("No user %(username)s.") % {"username": options["user"]})
        source = self._read(options["file"])
        if source.ignored:
            self.stderr.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(source.ignored)}
            )
        result = import_rows(
            by=by,
            rows=source.rows,
            labels=source.labels,
            mode=rules.GOOD_ROWS_ONLY if options["only_good_rows"] else rules.STRICT,
            dry_run=options["dry_run"],
            progress=self._progress if len(source.rows) >= PROGRESS_FROM_ROWS else None,
        )
        if result.errors:
            self._print_errors(result.errors)
        if result.stopped_at is not None:
            raise CommandError(
                _(
                    "The import stopped at row %(row)d: it failed although the check passed (the "
                    "data changed meanwhile). %(rows)d rows before it were imported; nothing from "
                    "it on. Run again with --only-good-rows to import the rest."
                )
                % {"row": result.stopped_at, "rows": result.rows_imported}
            )
        self._report(result, total=len(source.rows), dry_run=options["dry_run"])

    def _read(self, path: str) -> ImportFile:
        try:
            with open(path, "rb") as stream:
                return read_file(stream)
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(path)s: %(error)s") % {"path": path, "error": exc.strerror}
            ) from exc
        except DomainError as exc:
            raise CommandError(f"{path}: {exc.message}") from exc

    def _progress(self, phase: str, done: int, total: int) -> None:
        tty = self.stderr.isatty()
        step = max(1, total // (100 if tty else 10))
        if done % step and done != total:
            return
        ending = ("\r" if done < total else "\n") if tty else "\n"
        label = _("Checking") if phase == "check" else _("Importing")
        self.stderr.write(
            f"{label} {rules.progress_bar(done, total)}", style_func=str, ending=ending
        )

    def _print_errors(self, errors: list[RowError]) -> None:
        header = (_("Row"), _("Column"), _("Error"))
        lines = [(str(e.row), e.column, e.message) for e in errors]
        widths = [max(_width(line[i]) for line in (header, *lines)) for i in range(2)]
        for line in (header, *lines):
            self.stdout.write(
                f"{_pad(line[0], widths[0], right=True)}  {_pad(line[1], widths[1])}  {line[2]}"
            )

    def _report(self, result: ImportResult, *, total: int, dry_run: bool) -> None:
        counts = _(
            "%(created)d customers created, %(reused)d existing customers used, "
            "%(units)d units created."
        ) % {
            "created": result.customers_created,
            "reused": result.customers_reused,
            "units": result.units_created,
        }
        if result.committed:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Imported %(rows)d of %(total)d rows: %(counts)s")
                    % {"rows": result.rows_imported, "total": total, "counts": counts}
                )
            )
            if result.error_rows:
                self.stdout.write(
                    self.style.WARNING(
                        _("Left out %(errors)d rows with errors.") % {"errors": result.error_rows}
                    )
                )
            return
        if dry_run and not result.error_rows:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Dry run, nothing imported. All %(rows)d rows are good: %(counts)s")
                    % {"rows": total, "counts": counts}
                )
            )
            return
        if dry_run:
            raise CommandError(
                _("Dry run, nothing imported. %(errors)d of %(total)d rows have errors.")
                % {"errors": result.error_rows, "total": total}
            )
        if result.rows_imported:
            raise CommandError(
                _(
                    "Nothing was imported: %(errors)d of %(total)d rows have errors. Correct them, "
                    "or run again with --only-good-rows to import the other %(good)d rows."
                )
                % {"errors": result.error_rows, "total": total, "good": result.rows_imported}
            )
        raise CommandError(_("Nothing was imported: every row has errors."))


def _width(text: str) -> int:
    """Columns a terminal gives `text`: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill
