"""The worker's nightly backup: after BACKUP_AT (local time) it takes one backup into BACKUP_DIR,
one a night however often it sweeps, and deletes the oldest beyond BACKUP_KEEP; a worker that was
down at that hour takes it when it comes back. Off while BACKUP_AT is empty."""

import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import translation

pytestmark = pytest.mark.django_db(transaction=True)  # the task worker closes connections

NIGHT = "2026-11-18T02:30:00+08:00"


@pytest.fixture
def backups(settings, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_AT = "02:00"
    settings.BACKUP_KEEP = 3
    return Path(settings.BACKUP_DIR)


def sweep_at(moment: str) -> str:
    out = io.StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("worker", once=True, verbosity=0, stdout=out)
    return out.getvalue()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def test_the_worker_takes_one_backup_a_night_after_backup_at(backups):
    # none since yesterday's 02:00 (none ever): the first sweep takes one
    assert "nightly backup" in sweep_at("2026-11-18T01:59:00+08:00")
    assert "nightly backup" not in sweep_at("2026-11-18T01:59:30+08:00")

    assert "nightly backup" in sweep_at("2026-11-18T02:01:00+08:00")  # past BACKUP_AT: tonight's
    assert "nightly backup" not in sweep_at("2026-11-18T02:02:00+08:00")
    assert "nightly backup" not in sweep_at("2026-11-18T23:00:00+08:00")

    assert names(backups) == [
        "aftersales-20261118-015900.tar.gz",
        "aftersales-20261118-020100.tar.gz",
    ]


def test_a_worker_down_at_backup_at_takes_it_when_it_comes_back(backups):
    sweep_at("2026-11-18T02:00:00+08:00")

    sweep_at("2026-11-19T18:45:00+08:00")  # down all night: the 19th's is taken now

    assert names(backups) == [
        "aftersales-20261118-020000.tar.gz",
        "aftersales-20261119-184500.tar.gz",
    ]


def test_the_newest_backup_keep_are_kept_and_other_files_left_alone(backups):
    backups.mkdir()
    for day in ("20261112", "20261113", "20261114", "20261115"):
        (backups / f"aftersales-{day}-020000.tar.gz").write_bytes(b"an old backup")
    (backups / "before-the-upgrade.tar.gz").write_bytes(b"the admin's own")

    out = sweep_at(NIGHT)

    assert names(backups) == [
        "aftersales-20261114-020000.tar.gz",
        "aftersales-20261115-020000.tar.gz",
        "aftersales-20261118-023000.tar.gz",
        "before-the-upgrade.tar.gz",
    ]
    assert "old backups deleted: aftersales-20261112-020000.tar.gz" in out


def test_no_nightly_backup_while_backup_at_is_empty(backups, settings):
    settings.BACKUP_AT = ""

    sweep_at(NIGHT)

    assert not backups.exists()


def test_a_backup_at_that_is_not_a_time_stops_the_worker_at_its_start(backups, settings):
    settings.BACKUP_AT = "2am"

    with translation.override("en"), pytest.raises(CommandError, match="BACKUP_AT=2am.*HH:MM"):
        sweep_at(NIGHT)
