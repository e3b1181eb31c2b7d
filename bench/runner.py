"""The machinery: the `@benchmark` registry, the keys, the timing loop, the table, EXPLAIN.

A benchmark is one function `(ctx, i) -> result` registered with `@benchmark(name, rows=Model)`;
it does one user-visible operation with the i-th key from `ctx` and returns something truthy
when it found what it looked for (the "hit %" column). See bench/cases.py.
"""

import gc
import logging
import math
import random
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Model
from django.test import Client

from bench import seed

BenchFunc = Callable[["Context", int], Any]


@dataclass(frozen=True)
class Benchmark:
    key: str  # the function's name
    name: str  # what the table shows
    func: BenchFunc
    rows: type[Model]  # the table whose size the row count reports


BENCHMARKS: dict[str, Benchmark] = {}


def benchmark(name: str, *, rows: type[Model]) -> Callable[[BenchFunc], BenchFunc]:
    """Register a benchmark: `@benchmark("customer by phone (selector)", rows=Customer)`."""

    def register(func: BenchFunc) -> BenchFunc:
        BENCHMARKS[func.__name__] = Benchmark(key=func.__name__, name=name, func=func, rows=rows)
        return func

    return register


def select(only: Iterable[str] | None) -> list[Benchmark]:
    """The benchmarks whose key or name contains one of `only` (case-insensitive); all if none."""
    wanted = [w.strip().lower() for w in only or [] if w.strip()]
    if not wanted:
        return list(BENCHMARKS.values())
    return [
        b
        for b in BENCHMARKS.values()
        if any(w in b.key.lower() or w in b.name.lower() for w in wanted)
    ]


# --- keys --------------------------------------------------------------------------------------

BENCH_USER, BENCH_PASSWORD = "bench-hotline", "bench-password-1"


def spell(e164: str, i: int) -> str:
    """A Chinese mobile number the way people type it; the i-th of several common spellings."""
    n = e164[3:]  # national number, 11 digits
    spellings = (
        n,
        f"{n[:3]} {n[3:7]} {n[7:]}",
        f"{n[:3]}-{n[3:7]}-{n[7:]}",
        f"+86{n}",
        f"+86 {n[:3]} {n[3:7]} {n[7:]}",
        f"+86-{n[:3]}-{n[3:7]}-{n[7:]}",
        f"0086{n}",
        f"0086 {n[:3]} {n[3:7]} {n[7:]}",
        f"86{n}",
        f"(+86) {n}",
    )
    return spellings[i % len(spellings)]


@dataclass
class TicketKeys:
    """Search keys of existing service requests (read back once: a request's number, customer and
    unit are drawn at seeding time), each list as long as the context's `size`."""

    numbers: list[str]
    phones: list[str]  # E.164 of the request's customer
    serials: list[str]  # of requests that name a unit
    names: list[str]  # the customer's full name, as typed into the search box


@dataclass
class Context:
    """Random keys (mostly existing, every `miss_every`-th one missing) and API clients."""

    customers: int
    units: int
    tickets: int = 0
    size: int = 1000
    miss_every: int = 50
    random_seed: int = 20261123
    phones: list[str] = field(default_factory=list)  # E.164
    serials: list[str] = field(default_factory=list)
    phone_prefixes: list[str] = field(default_factory=list)  # 7 national digits, "1380013"
    name_prefixes: list[str] = field(default_factory=list)  # surname + one given character
    _client: Client | None = None
    _clients: dict[str, Client] = field(default_factory=dict)  # username → logged-in client
    _users: dict[str, Any] = field(default_factory=dict)
    _ticket_keys: TicketKeys | None = None
    _cursors: dict[str, str | None] = field(default_factory=dict)
    _counts: dict[type[Model], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rng = random.Random(self.random_seed)
        for k in range(self.size):
            miss = (k % self.miss_every == self.miss_every - 1) or not self.customers
            self.phones.append(
                seed.missing_phone(k) if miss else seed.phone_of(rng.randrange(self.customers))
            )
            miss = (k % self.miss_every == self.miss_every - 1) or not self.units
            self.serials.append(
                seed.missing_serial(k) if miss else seed.serial_of(rng.randrange(self.units))
            )
            self.phone_prefixes.append(seed.phone_of(rng.randrange(max(self.customers, 1)))[3:10])
            self.name_prefixes.append(rng.choice(seed.SURNAMES) + rng.choice(seed.GIVEN))

    def phone(self, i: int) -> str:
        """The i-th phone key, spelled in one of the ways people type it."""
        return spell(self.phones[i % self.size], i)

    def serial(self, i: int) -> str:
        return self.serials[i % self.size]

    def phone_prefix(self, i: int) -> str:
        return self.phone_prefixes[i % self.size]

    def name_prefix(self, i: int) -> str:
        return self.name_prefixes[i % self.size]

    @property
    def ticket_keys(self) -> TicketKeys:
        """`size` random existing requests' number, phone, serial and customer name."""
        if self._ticket_keys is None:
            self._ticket_keys = _read_ticket_keys(self.size, self.random_seed)
        return self._ticket_keys

    def _ticket_key(self, keys: list[str], i: int, miss: str) -> str:
        if i % self.miss_every == self.miss_every - 1 or not keys:
            return miss
        return keys[i % len(keys)]

    def ticket_number(self, i: int) -> str:
        """An existing request number; or, 1 in `miss_every`, one of a day before the seeded years."""
        return self._ticket_key(self.ticket_keys.numbers, i, f"SR200101{i % 10_000:04d}")

    def ticket_phone(self, i: int) -> str:
        """The phone of a customer with requests, spelled as people type it."""
        return spell(self._ticket_key(self.ticket_keys.phones, i, seed.missing_phone(i)), i)

    def ticket_serial(self, i: int) -> str:
        return self._ticket_key(self.ticket_keys.serials, i, seed.missing_serial(i))

    def ticket_name(self, i: int) -> str:
        """A customer's full name (a prefix search matches more: 王伟 also finds 王伟明)."""
        miss = "欧阳" + seed.GIVEN[i % len(seed.GIVEN)]  # a surname the seed never uses
        return self._ticket_key(self.ticket_keys.names, i, miss)

    @property
    def client(self) -> Client:
        """A test client logged in (bearer token) as a hotline agent, through the whole stack."""
        if self._client is None:
            from aftersales.dispatch.services import staff_upsert

            staff_upsert(username=BENCH_USER, role="hotline", password=BENCH_PASSWORD)
            self._client = _login(BENCH_USER, BENCH_PASSWORD)
        return self._client

    def client_as(self, username: str) -> Client:
        """A test client logged in as one of the seeded staff (`seed.STAFF`)."""
        if username not in self._clients:
            self._clients[username] = _login(username, seed.STAFF_PASSWORD)
        return self._clients[username]

    def user(self, username: str) -> Any:
        """A seeded staff member, for the selectors that take the caller."""
        if username not in self._users:
            from django.contrib.auth import get_user_model

            self._users[username] = get_user_model().objects.get(username=username)
        return self._users[username]

    def get(
        self, path: str, ok: tuple[int, ...] = (200,), as_user: str | None = None, **params: Any
    ) -> Any:
        """GET /api/v1{path} (as `as_user`, else the hotline agent); the response, or an error
        if its status is not one of `ok`."""
        client = self.client_as(as_user) if as_user else self.client
        response = client.get(f"/api/v1{path}", params)
        if response.status_code not in ok:
            raise RuntimeError(
                f"GET {path} {params}: {response.status_code} {response.content[:300]!r}"
            )
        return response

    def post(self, path: str, body: Any, ok: tuple[int, ...] = (200, 201)) -> Any:
        """POST /api/v1{path} with a JSON body; the response, or an error if its status is not in `ok`."""
        response = self.client.post(f"/api/v1{path}", body, content_type="application/json")
        if response.status_code not in ok:
            raise RuntimeError(f"POST {path}: {response.status_code} {response.content[:300]!r}")
        return response

    def next_page(self, stream: str, path: str, as_user: str | None = None, **params: Any) -> Any:
        """GET the page after the one this stream's last call got (the first page after the last):
        each call follows `next_cursor` once, walking deeper into the list."""
        cursor = self._cursors.get(stream)
        if cursor:
            params["cursor"] = cursor
        page = self.get(path, as_user=as_user, **params).json()
        self._cursors[stream] = page["next_cursor"]
        return page

    def count(self, model: type[Model]) -> int:
        if model not in self._counts:
            self._counts[model] = model._default_manager.count()
        return self._counts[model]


def _login(username: str, password: str) -> Client:
    """A test client with a bearer token for `username`, as the API's callers log in."""
    from aftersales.core.services import issue_token

    # 404s are expected (keys that miss): don't log each one
    logging.getLogger("django.request").setLevel(logging.ERROR)
    token, _expires = issue_token(username=username, password=password)
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    return Client(
        HTTP_HOST=hosts[0] if hosts else "localhost", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def _read_ticket_keys(size: int, random_seed: int) -> TicketKeys:
    """Random requests by primary key (ids that were deleted are skipped), read in one query."""
    from aftersales.tickets.models import Ticket

    bounds = Ticket.objects.order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first(), bounds.last()
    keys = TicketKeys([], [], [], [])
    if low is None or high is None:
        return keys
    rng = random.Random(random_seed)
    wanted = [rng.randint(low, high) for _ in range(2 * size)]
    found = {
        pk: rest
        for pk, *rest in Ticket.objects.filter(pk__in=set(wanted)).values_list(
            "pk", "number", "customer__phone", "unit__serial", "customer__name"
        )
    }
    for pk in wanted:
        if pk not in found:
            continue
        number, phone, serial, name = found[pk]
        if len(keys.numbers) < size:
            keys.numbers.append(number)
            keys.phones.append(phone)
            keys.names.append(name)
        if serial and len(keys.serials) < size:
            keys.serials.append(serial)
    return keys


# --- timing ----------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    rows: int
    n: int
    median_ms: float
    p95_ms: float
    hit_pct: float
    queries: int  # SQL statements one call runs


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


class QueryLog:
    """Records the (sql, params) of every statement run while it is installed (any DEBUG)."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, Any]] = []

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def queries_of(bench: Benchmark, ctx: Context, i: int = 0) -> list[tuple[str, Any]]:
    log = QueryLog()
    with connection.execute_wrapper(log):
        bench.func(ctx, i)
    return log.queries


def measure(
    bench: Benchmark, ctx: Context, n: int = 500, warmup: int = 50, budget: float = 60.0
) -> Result:
    """Warm up, then time n calls, each with its own key (warm-up keys are not reused).

    A benchmark that needs more than `budget` seconds stops early (at least 20 calls; warm-up
    stops after a fifth of it): the table's n column then shows how many calls were timed.
    """
    clock = time.perf_counter_ns
    deadline = clock() + int(budget * 1e9 / 5)  # warm-up: a fifth of the budget at most
    for i in range(warmup):
        bench.func(ctx, i)
        if clock() > deadline and i >= 2:
            break
    queries = len(queries_of(bench, ctx))
    gc.collect()
    timings: list[float] = []
    hits = 0
    deadline = clock() + int(budget * 1e9)
    for i in range(warmup, warmup + n):
        start = clock()
        found = bench.func(ctx, i)
        end = clock()
        timings.append((end - start) / 1e6)
        hits += bool(found)
        if end > deadline and len(timings) >= 20:
            break
    timings.sort()
    return Result(
        name=bench.name,
        rows=ctx.count(bench.rows),
        n=len(timings),
        median_ms=statistics.median(timings),
        p95_ms=percentile(timings, 95),
        hit_pct=100.0 * hits / len(timings),
        queries=queries,
    )


def run(
    benches: Iterable[Benchmark], ctx: Context, n: int = 500, warmup: int = 50, budget: float = 60.0
) -> list[Result]:
    return [measure(b, ctx, n=n, warmup=warmup, budget=budget) for b in benches]


HEADER = f"{'benchmark':<40} {'rows':>9} {'n':>6} {'median ms':>10} {'p95 ms':>9} {'hit %':>6} {'queries':>7}"


def format_table(results: Iterable[Result]) -> str:
    lines = [HEADER]
    for r in results:
        lines.append(
            f"{r.name:<40} {r.rows:>9} {r.n:>6} {r.median_ms:>10.2f} {r.p95_ms:>9.2f} {r.hit_pct:>6.1f} {r.queries:>7}"
        )
    return "\n".join(lines)


def database_line() -> str:
    """Which database the numbers are from."""
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
        else:  # pragma: no cover
            version = connection.display_name
    return f"database: {version} ({name})"


# --- EXPLAIN ---------------------------------------------------------------------------------


@dataclass
class Plan:
    benchmark: str
    sql: str
    lines: list[str]
    full_scans: list[str]  # plan lines that read a whole big table
    sorts: list[str] = field(default_factory=list)  # plan lines that sort (a temporary B-tree)
    count: int = 1  # times one call runs this statement (with different values)


# PostgreSQL: a Sort node, and the rows it expects to sort ("Sort  (cost=… rows=1234 width=…)")
_PG_SORT = re.compile(r"^(?:->\s*)?(?:Incremental )?Sort\s+\(cost=[\d.]+\.\.[\d.]+ rows=(\d+)")
BIG_SORT = 1000  # rows: a PostgreSQL sort of fewer is not reported


def _sorts(lines: list[str]) -> list[str]:
    """Plan lines that sort rows instead of reading them in order from an index.

    SQLite does not say how many rows it sorts (`USE TEMP B-TREE FOR ORDER BY`): all are
    reported; PostgreSQL's estimate is shown, and sorts under BIG_SORT rows are left out.
    """
    found = []
    for line in lines:
        text = line.strip()
        if connection.vendor == "sqlite" and text.startswith("USE TEMP B-TREE"):
            found.append(text)
        elif connection.vendor == "postgresql":
            match = _PG_SORT.match(text)
            if match and int(match.group(1)) >= BIG_SORT:
                found.append(text)
    return found


def _full_scans(lines: list[str], big_tables: set[str]) -> list[str]:
    bad = []
    for line in lines:
        text = line.strip()
        for table in big_tables:
            if connection.vendor == "postgresql" and f"Seq Scan on {table}" in text:
                bad.append(text)
            elif connection.vendor == "sqlite" and (
                text.startswith(f"SCAN {table}") or f"--SCAN {table}" in text
            ):
                bad.append(text)
    return bad


def explain(benches: Iterable[Benchmark], ctx: Context) -> list[Plan]:
    """The plan of every SELECT one call of each benchmark runs, flagging full scans of big
    tables (those of every registered benchmark, not only of these) and sorts."""
    benches = list(benches)
    big_tables = {b.rows._meta.db_table for b in [*BENCHMARKS.values(), *benches]}
    prefix = connection.ops.explain_query_prefix()
    plans = []
    for bench in benches:
        seen: dict[str, Plan] = {}  # the same statement with other values (N+1): counted once
        for sql, params in queries_of(bench, ctx):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if sql in seen:
                seen[sql].count += 1
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"{prefix} {sql}", params)
                rows = cursor.fetchall()
                if connection.vendor == "postgresql":
                    shown = connection.ops.compose_sql(sql, params)
                else:
                    shown = connection.ops.last_executed_query(cursor, sql, params)
            if connection.vendor == "sqlite":  # (id, parent, notused, detail)
                lines = [row[-1] for row in rows]
            else:
                lines = [row[0] for row in rows]
            seen[sql] = Plan(
                bench.name, shown, lines, _full_scans(lines, big_tables), _sorts(lines)
            )
            plans.append(seen[sql])
    return plans


def format_plans(plans: Iterable[Plan], sql_width: int = 400) -> str:
    plans = list(plans)
    scans = sorted({p.benchmark for p in plans if p.full_scans})
    sorts = sorted({p.benchmark for p in plans if p.sorts})
    if scans:
        summary = f"EXPLAIN: full scan of a big table in: {', '.join(scans)}"
    else:
        summary = "EXPLAIN: every query of these benchmarks uses an index on the big tables"
    out = [summary]
    if sorts:
        out.append(f"EXPLAIN: sort instead of index order in: {', '.join(sorts)}")
    for plan in plans:
        sql = plan.sql if len(plan.sql) <= sql_width else plan.sql[:sql_width] + " …"
        verdicts = []
        if plan.full_scans:
            verdicts.append("FULL SCAN: " + "; ".join(plan.full_scans))
        if plan.sorts:
            verdicts.append("SORT: " + "; ".join(plan.sorts))
        times = f" ({plan.count} times per call, with other values)" if plan.count > 1 else ""
        out.append(f"[{plan.benchmark}] {' / '.join(verdicts) or 'ok'}{times}\n  {sql}")
        out.extend(f"    {line}" for line in plan.lines)
    return "\n".join(out)
