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
from aftersales.core.services import next_number
from aftersales.customers.rules import normalize_phone
from aftersales.customers.selectors import customers_by_phone
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket
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
    assert (report.tickets, report.added_tickets) == (ROWS, ROWS)
    assert "seeding customers" in progress.getvalue()
    assert "seeding service requests" in progress.getvalue()
    again = seeding.seed(ROWS, out=progress)  # tops up only what is missing
    assert (again.added_customers, again.added_units, again.added_tickets) == (0, 0, 0)
    unit = unit_get(seeding.serial_of(7))  # the raw inserts read back as Django wrote them
    assert unit is not None and unit.customer is not None and unit.model.category.code
    assert isinstance(unit.price, Decimal) and isinstance(unit.purchase_date, date)
    assert unit.created_at.tzinfo is not None and unit.created_at <= timezone.now()
    assert customers_by_phone(seeding.phone_of(7)).get().created_at <= timezone.now()

    ctx = runner.Context(
        customers=report.customers, units=report.units, tickets=report.tickets, size=40
    )
    results = runner.run(runner.select(None), ctx, n=10, warmup=2)

    assert [r.name for r in results] == [b.name for b in runner.BENCHMARKS.values()]
    for r in results:
        assert r.rows == ROWS and r.n == 10
        # Everything goes to the database except the pure 三包 engine, which must not.
        assert r.queries == 0 if "pure engine" in r.name else r.queries >= 1
        assert 0 < r.median_ms <= r.p95_ms
    exact = {r.name: r.hit_pct for r in results if "by phone" in r.name or "by serial" in r.name}
    assert len(exact) == 4 and all(pct >= 80 for pct in exact.values())
    searches = {r.name: r.hit_pct for r in results if r.name.startswith("request search")}
    assert len(searches) == 4 and all(pct >= 80 for pct in searches.values()), searches

    table = runner.format_table(results)
    lines = table.splitlines()
    assert lines[0].split()[:3] == ["benchmark", "rows", "n"]
    assert len(lines) == 1 + len(results)
    assert all(line.startswith(r.name) for line, r in zip(lines[1:], results, strict=True))

    plans = runner.explain(runner.select(["by phone", "by serial"]), ctx)
    assert plans and "customers_customer" in runner.format_plans(plans)
    if connection.vendor == "sqlite":  # PostgreSQL may rightly seq-scan a 200-row table
        assert not [p.full_scans for p in plans if p.full_scans]
    request_plans = runner.explain(runner.select(["request "]), ctx)
    assert {p.benchmark for p in request_plans} == {r.name for r in results if "request" in r.name}
    assert "tickets_ticket" in runner.format_plans(request_plans)


@pytest.mark.django_db
def test_seeded_requests_are_consistent_and_numbered_apart_from_todays() -> None:
    seeding.seed(ROWS, out=io.StringIO(), batch=64)
    tickets = list(Ticket.objects.select_related("unit", "owner", "center").order_by("pk"))
    assert len(tickets) == ROWS
    numbers = [t.number for t in tickets]
    assert len(set(numbers)) == ROWS
    today = timezone.localdate()
    for t in tickets:
        day = timezone.localtime(t.created_at).date()
        assert t.number.startswith(f"SR{day:%y%m%d}") and len(t.number) == 12
        assert day < today  # next_number hands out today's numbers: none is taken
        assert t.center is not None and t.center.code in seeding.BRANCHES
        assert t.respond_by > t.created_at and t.resolve_by > t.respond_by
        assert t.unit is None or t.unit.customer_id == t.customer_id
        if t.status in ticket_rules.OPEN_STATUSES or t.status == "cancelled":
            assert t.resolved_at is None and t.closed_at is None and not t.resolution
        if t.status == "new":
            assert t.responded_at is None
        else:
            assert t.created_at <= t.responded_at <= timezone.now()
        if t.status in ("resolved", "closed"):
            assert t.responded_at <= t.resolved_at <= timezone.now() and t.resolution
        assert (t.closed_at is not None) == (t.status == "closed")
        if t.closed_at is not None:
            assert t.resolved_at <= t.closed_at <= timezone.now()
        assert t.owner is not None or t.status == "new"
    # pk order is creation order, as in production (keyset pagination relies on the pk)
    assert [t.created_at for t in tickets] == sorted(t.created_at for t in tickets)
    # The day counters continue after the seeded numbers, on any day.
    last = tickets[-1]
    assert next_number("SR", at=last.created_at) not in set(numbers)
    assert next_number("SR") not in set(numbers)


@pytest.mark.django_db
def test_next_page_follows_the_cursor() -> None:
    seeding.seed(ROWS, out=io.StringIO(), batch=64)
    ctx = runner.Context(customers=ROWS, units=ROWS, tickets=ROWS, size=10)
    first = ctx.next_page("all", "/tickets", limit=3)
    second = ctx.next_page("all", "/tickets", limit=3)
    assert first["next_cursor"] and len(second["items"]) == 3
    older = {t["number"] for t in second["items"]}
    assert older.isdisjoint(t["number"] for t in first["items"])
    assert max(older) < min(t["number"] for t in first["items"])
