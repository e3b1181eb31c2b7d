import logging
import threading
from argparse import ArgumentParser
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection
from django.utils import timezone

from aftersales.catalog.services import import_jobs_resume
from aftersales.core.backup import BackupError, backup_nightly, nightly_time
from aftersales.core.exports import exports_sweep
from aftersales.notifications.services import timers_sweep
from aftersales.workorders.services import work_orders_check_delays

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run background tasks until stopped, with the timer sweep (every due follow-up, message "
        "retries, complaints near their promise, imports whose worker died, exports whose worker "
        "died and exports kept longer than EXPORT_KEEP_DAYS) every "
        "SWEEP_INTERVAL seconds and, once a day, "
        "the check of repairs past the delay limit and, after BACKUP_AT, the nightly backup into "
        "BACKUP_DIR (keeping BACKUP_KEEP). --once: one sweep, then the tasks it queued."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Sweep once, run the outstanding tasks, then exit (tests, cron).",
        )

    def handle(self, *args: object, **options: Any) -> None:
        try:
            nightly_time()  # a BACKUP_AT that is not a time stops the worker here, not at night
        except BackupError as exc:
            raise CommandError(exc.message) from None
        if options["once"]:
            self._sweep()
            call_command("db_worker", batch=True, startup_delay=False, reload=False)
            return
        stop = threading.Event()
        timer = threading.Thread(target=self._sweep_every, args=(stop,), daemon=True)
        timer.start()
        try:
            call_command("db_worker")  # handles SIGINT/SIGTERM in the main thread
        finally:
            stop.set()

    def _sweep_every(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                close_old_connections()
                self._sweep()
            except Exception:  # a bad minute must not stop the timer; the next one retries
                logger.exception("timer sweep failed")
            finally:
                connection.close()
            stop.wait(settings.SWEEP_INTERVAL)

    _delays_checked_on: date | None = None

    def _sweep(self) -> None:
        if self._delays_checked_on != timezone.localdate():  # once a day: repairs past a limit
            delayed = work_orders_check_delays()
            self._delays_checked_on = timezone.localdate()
            if delayed:
                self.stdout.write(f"repairs past the delay limit: {', '.join(delayed)}")
        resumed = import_jobs_resume()  # imports whose worker was killed go on where they were
        if resumed:
            self.stdout.write(f"imports resumed: {resumed}")
        exported = exports_sweep()  # writers that died; files past EXPORT_KEEP_DAYS
        if any(exported.values()):
            self.stdout.write(
                "exports: {stopped} stopped, {removed} files deleted".format(**exported)
            )
        counts = timers_sweep(drain=True)  # a backlog goes in one sweep, batch after batch
        if any(n for key, n in counts.items() if key != "batches"):
            self.stdout.write(
                "sweep: {followups} follow-ups due, {pickup_sms} pickup SMS, "
                "{survey_links} survey links, {retries} message retries".format(**counts)
            )
        self._backup_if_due()

    _backup_failed_at: datetime | None = None

    def _backup_if_due(self) -> None:
        """The nightly backup (core.backup.backup_nightly), last in the sweep so the minute's
        timers never wait for it; one that failed is tried again an hour later, not each minute."""
        now = timezone.now()
        if self._backup_failed_at and now - self._backup_failed_at < timedelta(hours=1):
            return
        try:
            taken = backup_nightly(now=now)
        except Exception:
            self._backup_failed_at = now
            logger.exception("nightly backup failed (tried again in an hour)")
            return
        self._backup_failed_at = None
        if taken:
            path, removed = taken
            self.stdout.write(f"nightly backup: {path}")
            if removed:
                self.stdout.write(f"old backups deleted: {', '.join(p.name for p in removed)}")
