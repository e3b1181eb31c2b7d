"""The benchmark machinery at --rows 200 on the test database: seeds, times, prints, explains.

It calls the bench's functions directly (never `python -m bench`), so no other database is made.
"""

import io
from datetime import date
from decimal import Decimal

import phonenumbers
import pytest
from django.db import connection
from django.utils import timezone

from aftersales.catalog.selectors import unit_get
from aftersales.customers.rules import normalize_phone
from aftersales.customers.selectors import customers_by_phone
from bench import cases, database, runner
from bench import seed as seeding

ROWS = 200
assert cases  # imported to register the benchmarks


def test_keys_are_unique_valid_and_the_misses_miss() -> None:
    phones = [seeding.phone_of(i) for i in range(5000)]
    serials = [seeding.serial_of(j) for j in range(5000)]
    assert len(set(phones)) == len(phones) and len(set(serials)) == len(serials)
    for phone in phones[:200] + [seeding.missing_phone(k) for k in range(20)]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone))
    assert {seeding.missing_phone(k) for k in range(50)}.isdisjoint(phones)
    assert {seeding.missing_serial(k) for k in range(50)}.isdisjoint(serials)
    for serial in serials[:200]:
        assert (
            len(serial) == 15 and serial.isdigit() and seeding.luhn_digit(serial[:14]) == serial[14]
        )
    assert seeding.luhn_digit("49015420323751") == "8"  # the textbook IMEI 490154203237518


def test_every_spelling_of_a_number_normalizes_to_it() -> None:
    e164 = seeding.phone_of(12345)
    assert {normalize_phone(runner.spell(e164, i)) for i in range(10)} == {e164}


def test_the_bench_database_is_never_the_configured_one() -> None:
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/var/aftersales.sqlite3"}
    assert database.bench_name(sqlite) == "/srv/var/aftersales_bench.sqlite3"
    assert (
        database.bench_name({"ENGINE": "django.db.backends.postgresql", "NAME": "aftersales"})
        == "aftersales_bench"
    )


@pytest.mark.django_db
def test_the_bench_seeds_times_and_prints_a_table() -> None:
    progress = io.StringIO()
    report = seeding.seed(ROWS, out=progress, batch=64)
    assert (report.customers, report.units, report.added_customers) == (ROWS, ROWS, ROWS)
    assert "seeding customers" in progress.getvalue()
    assert seeding.seed(ROWS, out=progress).added_customers == 0  # tops up only what is missing
    unit = unit_get(seeding.serial_of(7))  # the raw inserts read back as Django wrote them
    assert unit is not None and unit.customer is not None and unit.model.category.code
    assert isinstance(unit.price, Decimal) and isinstance(unit.purchase_date, date)
    assert unit.created_at.tzinfo is not None and unit.created_at <= timezone.now()
    assert customers_by_phone(seeding.phone_of(7)).get().created_at <= timezone.now()

    ctx = runner.Context(customers=report.customers, units=report.units, size=40)
    results = runner.run(runner.select(None), ctx, n=10, warmup=2)

    assert [r.name for r in results] == [b.name for b in runner.BENCHMARKS.values()]
    for r in results:
        assert r.rows == ROWS and r.n == 10
        # Everything goes to the database except the pure 三包 engine, which must not.
        assert r.queries == 0 if "pure engine" in r.name else r.queries >= 1
        assert 0 < r.median_ms <= r.p95_ms
    exact = {r.name: r.hit_pct for r in results if "by phone" in r.name or "by serial" in r.name}
    assert len(exact) == 4 and all(pct >= 80 for pct in exact.values())

    table = runner.format_table(results)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["benchmark", "rows", "n"]
    assert len(lines) == 1 + len(results)
    assert all(line.startswith(r.name) for line, r in zip(lines[1:], results, strict=True))

    plans = runner.explain(runner.select(["by phone", "by serial"]), ctx)
    assert plans and "customers_customer" in runner.format_plans(plans)
    if connection.vendor == "sqlite":  # PostgreSQL may rightly seq-scan a 200-row table
        assert not [p.full_scans for p in plans if p.full_scans]
