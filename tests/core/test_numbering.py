"""Human numbers: short, readable aloud, unique even when many desks create at once."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from aftersales.core.services import next_number

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_numbers_count_up_per_prefix_and_day(db):
    day = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)

    assert next_number("SR", at=day) == "SR2611230001"
    assert next_number("SR", at=day) == "SR2611230002"
    assert next_number("WO", at=day) == "WO2611230001"
    assert next_number("SR", at=datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)) == "SR2611240001"


def test_the_day_is_the_local_day_in_shanghai(db):
    # 23:30 UTC on the 23rd is 07:30 on the 24th in Shanghai.
    late_utc = datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("UTC"))

    assert next_number("SR", at=late_utc) == "SR2611240001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency needs a server database: run with DATABASE_URL=postgres://… (in-memory SQLite cannot show it)"
        )
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def worker() -> None:
        from django.db import connections

        try:
            start.wait()
            for _ in range(25):
                number = next_number("SR")
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    assert len(numbers) == 200
    assert len(set(numbers)) == 200
