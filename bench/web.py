"""The HTTP mode of `make bench` (issue #17): intake over the wire, against the framework floor.

- The application: `aftersales serve` (gunicorn, WEB_CONCURRENCY=2 sync workers) on a fresh copy
  of the bench's HTTP database (`<bench>_http`: `--http-rows` customers, units and service
  requests, seeded like the rest once, then copied for each run, so that every run starts from
  the same rows);
- the framework floor (`bench.floor`): a minimal django-ninja endpoint, served by the same command
  with the same settings, on its own database (`<bench>_floor`, as many rows);
- one closed-loop client (`bench.closed_loop`, 4 clients) sends both the same intake bodies, in
  alternating rounds (floor, app, floor, app, …): the ratio of the two rates is the line;
- then N mixed requests to the application, and each web worker's memory (/proc/<pid>/status);
- then the reads one at a time (`--http-reads` calls of each kind, one client): what a desk waits
  for at the size on file (issue #17 item 3: p95 ≤ 50 ms at 1,000,000 rows), and the reports a
  manager reads (issue 19: a month's KPIs and technicians ≤ 500 ms, the dashboard ≤ 800 ms),
  with the SQL statements each runs (`--http-read NAME` keeps only some of them).

Everything is compared inside one run: the machine's load moves both sides alike.
"""

import json
import os
import random
import re
import secrets
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.catalog.models import Unit
from aftersales.core.services import issue_token
from aftersales.customers.models import Customer
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import WorkOrder
from bench import seed as seeding
from bench.closed_loop import Call, Outcome, drive
from bench.database import ensure_database
from bench.dispatch import TECH_PREFIX
from bench.runner import Context, database_line, percentile

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
INTAKE = "/api/v1/tickets"
TARGET_RATIO = 50.0  # issue #17: intake ≥ 50 % of the floor in the same run (70 % hoped)
TARGET_RSS_MB = 150.0  # issue #17: per web worker after 5,000 mixed requests
TARGET_READ_MS = 50.0  # issue #17: each read's p95 at 1,000,000 requests and work orders


@dataclass
class WebOptions:
    rows: int = 100_000  # customers, units and service requests on file (and floor rows)
    rounds: int = 3  # alternating rounds a side
    seconds: float = 15.0  # a round's time bound
    count: int = 100_000  # a round's request bound
    clients: int = 4  # closed-loop clients
    workers: int = 2  # gunicorn sync workers a server (WEB_CONCURRENCY)
    warmup: float = 3.0  # seconds of untimed intakes a side before the first round
    mix: int = 5_000  # mixed requests before the memory is read
    mix_seconds: float = 300.0  # … or this long, whichever comes first
    reads: int = 200  # calls of each read kind, one at a time (0: none)
    only_reads: list[str] = field(default_factory=list)  # the reads whose name has one (all: [])
    port: int = 0  # the application's port, the floor's is the next; 0: free ports
    units: int = 5_000  # distinct registered units the intakes name (cycled)


# --- databases -------------------------------------------------------------------------------


def database_names(bench_db: str, vendor: str, rows: int = 100_000) -> tuple[str, str, str]:
    """(HTTP template, the run's copy, the floor's) next to the bench database `bench_db`; the
    template of another size than the default 100,000 rows is another database (`_http1000000`),
    so that a run at a million rows leaves the default one as it was."""
    size = "" if rows == 100_000 else str(rows)
    tags = (f"_http{size}", "_http_run", "_floor")
    if vendor == "sqlite":
        path = Path(bench_db)
        suffix = path.suffix or ".sqlite3"
        template, run, floor = (str(path.with_name(f"{path.stem}{tag}{suffix}")) for tag in tags)
        return template, run, floor
    template, run, floor = (f"{bench_db}{tag}" for tag in tags)
    return template, run, floor


def use_database(name: str) -> None:
    """Point this process's connection at another database of the same server (or file)."""
    connection.close()
    connection.settings_dict["NAME"] = name


def database_url(name: str) -> str:
    """DATABASE_URL for database `name` on the configured server (credentials, options kept)."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    configured = urlsplit(os.environ.get("DATABASE_URL", ""))
    return urlunsplit(configured._replace(path="/" + quote(name)))


def drop_database(name: str, patience: float = 30.0) -> None:
    """Drop a database (delete an SQLite file); on PostgreSQL, wait for the sessions of a
    server just stopped to end."""
    connection.close()
    if connection.vendor == "postgresql":
        deadline = time.monotonic() + patience
        with connection._nodb_cursor() as cursor:
            while True:
                try:
                    cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")
                    return
                except OperationalError:  # "being accessed by other users"
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)


def copy_database(template: str, copy: str) -> None:
    """`copy` afresh from `template` (PostgreSQL: CREATE DATABASE … TEMPLATE; SQLite: the
    backup API, which copies a consistent file whatever its journal)."""
    drop_database(copy)
    if connection.vendor == "postgresql":
        quote_name = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {quote_name(copy)} TEMPLATE {quote_name(template)}")
    else:
        with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(copy)) as dest:
            source.backup(dest)


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def workers(self) -> list[int]:
        """The gunicorn workers: the processes whose parent is the server's (the arbiter)."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            parent = re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE)
            if parent and int(parent.group(1)) == self.process.pid:
                found.append(int(entry.name))
        return sorted(found)


def memory_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MB: what it holds now, and the most it ever held."""
    values = {"VmRSS": 0.0, "VmHWM": 0.0}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in values:
            values[key] = int(rest.split()[0]) / 1024.0  # kB
    return values["VmRSS"], values["VmHWM"]


def workers_memory(server: "Server") -> list[tuple[float, float]]:
    """(VmRSS, VmHWM) in MB of each of the server's workers."""
    found = []
    for pid in server.workers():
        try:
            found.append(memory_mb(pid))
        except OSError:  # gone meanwhile (a worker ended by the request timeout)
            continue
    return found


def child_environment(url: str, workers: int) -> dict[str, str]:
    """The servers' environment: this one, on database `url`, `workers` sync workers, plain
    HTTP on the loopback (no redirect to HTTPS), and this process's SECRET_KEY (the sessions
    made here must hold there)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        WEB_CONCURRENCY=str(workers),
        SECURE_SSL_REDIRECT="false",
        SECRET_KEY=settings.SECRET_KEY,
        PYTHONPATH=os.pathsep.join(p for p in (str(PROJECT_DIR), env.get("PYTHONPATH")) if p),
    )
    return env


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@contextmanager
def serving(name: str, command: list[str], env: dict[str, str], port: int) -> Iterator[Server]:
    """Start a server (its access log discarded, its error log in var/), wait until it answers,
    and stop it with SIGTERM when the block ends, as a service manager does."""
    log = Path(settings.VAR_DIR) / f"bench_http_{name}.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [*command, f"{HOST}:{port}"],
            env=env,
            cwd=PROJECT_DIR,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        server = Server(name, process, port, log)
        try:
            _wait_until_it_answers(server)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_it_answers(server: Server, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    probe = Call("GET", "/favicon.ico", ok=tuple(range(100, 600)))
    while True:
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(
                f"bench: the {server.name} server did not start (log {server.log}):\n"
                + _tail(server.log)
            )
        try:
            socket.create_connection((HOST, server.port), timeout=1).close()
        except OSError:
            time.sleep(0.1)
            continue
        if not drive(HOST, server.port, lambda i, c: probe, clients=1, count=1).failed:
            return


# --- what the clients send -------------------------------------------------------------------


@dataclass
class Traffic:
    """The bodies and credentials both servers get: intakes of a repair, by hotline agents,
    for registered units (with their owner), and the keys of the mixed requests."""

    bodies: list[bytes]  # one intake body per unit, cycled
    tokens: list[str]  # one bearer token per client (a hotline agent each)
    agents: list[str]  # the agents' usernames
    sessions: list[str]  # the agents' session cookies, for the staff pages
    host: str  # the Host header
    ctx: Context  # keys for the mixed requests (bench.runner)
    work_orders: list[str] = field(default_factory=list)  # random work orders' numbers
    technicians: list[str] = field(default_factory=list)  # technicians' usernames
    reader: str = ""  # a bearer token of a role that reads every center's reports (finance)
    managers: dict[str, str] = field(default_factory=dict)  # center → its manager's session
    months: list[tuple[date, date]] = field(default_factory=list)  # the last full months

    def month(self, i: int) -> tuple[date, date]:
        return self.months[i % len(self.months)]

    def headers(self, c: int, **extra: str) -> dict[str, str]:
        return {
            "Host": self.host,
            "Authorization": f"Bearer {self.tokens[c % len(self.tokens)]}",
            **extra,
        }

    def intake(self, i: int, c: int) -> Call:
        return Call(
            "POST",
            INTAKE,
            self.bodies[i % len(self.bodies)],
            self.headers(c, **{"Content-Type": "application/json"}),
            ok=(201,),
            kind="intake",
        )


def intake_body(serial: str, owner: int, i: int) -> bytes:
    summary, problem = seeding.SUMMARIES["repair"][i % len(seeding.SUMMARIES["repair"])]
    body = {
        "kind": "repair",
        "channel": "hotline",
        "customer_id": owner,
        "serial": serial,
        "summary": summary,
        "problem_class": problem,
    }
    return json.dumps(body, ensure_ascii=False).encode()


def registered_units(n: int, random_seed: int = 20261207) -> list[tuple[str, int]]:
    """(serial, owner's id) of up to n random registered units that have an owner."""
    ids = Unit.objects.order_by("pk").values_list("pk", flat=True)
    low, high = ids.first(), ids.last()
    if low is None or high is None:
        return []
    rng = random.Random(random_seed)
    wanted = {rng.randint(low, high) for _ in range(2 * n)}
    found = Unit.objects.filter(pk__in=wanted, customer__isnull=False).order_by("pk")
    return list(found.values_list("serial", "customer_id")[:n])


def random_work_orders(n: int, random_seed: int = 20261207) -> list[str]:
    """Numbers of up to n random work orders (open and closed alike)."""
    ids = WorkOrder.objects.order_by("pk").values_list("pk", flat=True)
    low, high = ids.first(), ids.last()
    if low is None or high is None:
        return []
    rng = random.Random(random_seed)
    wanted = [rng.randint(low, high) for _ in range(n)]
    return list(WorkOrder.objects.filter(pk__in=wanted).values_list("number", flat=True))


def traffic(options: WebOptions) -> Traffic:
    units = registered_units(options.units)
    if not units:
        raise SystemExit("bench: no registered unit with an owner in the HTTP database")
    agents = [
        seeding.HOTLINE_AGENTS[c % len(seeding.HOTLINE_AGENTS)] for c in range(options.clients)
    ]
    tokens = [issue_token(username=a, password=seeding.STAFF_PASSWORD)[0] for a in agents]
    sessions = [session_of(agent) for agent in agents]
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    ctx = Context(
        customers=Customer.objects.count(),
        units=Unit.objects.count(),
        tickets=Ticket.objects.count(),
        size=2_000,
    )
    # The request keys are read here: the clients' threads must not open connections of their own.
    if not ctx.ticket_keys.numbers:
        raise SystemExit("bench: no service request in the HTTP database")
    return Traffic(
        work_orders=random_work_orders(ctx.size),
        technicians=list(
            get_user_model()
            .objects.filter(username__startswith=TECH_PREFIX)
            .order_by("username")
            .values_list("username", flat=True)[:50]
        ),
        bodies=[intake_body(serial, owner, i) for i, (serial, owner) in enumerate(units)],
        tokens=tokens,
        agents=agents,
        sessions=sessions,
        host=hosts[0] if hosts else "localhost",
        ctx=ctx,
        reader=issue_token(username=seeding.FINANCE, password=seeding.STAFF_PASSWORD)[0],
        managers={code: session_of(name) for code, name in seeding.MANAGERS.items()},
        months=full_months(timezone.localdate(), 12),
    )


def session_of(username: str) -> str:
    """A session cookie's value for `username` (logged in as the test client does)."""
    browser = Client()
    browser.force_login(get_user_model().objects.get(username=username))
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


def full_months(today: date, n: int) -> list[tuple[date, date]]:
    """(first, last day) of the n full months before today's, the latest first."""
    months = []
    last = today.replace(day=1) - timedelta(days=1)
    for _ in range(n):
        months.append((last.replace(day=1), last))
        last = last.replace(day=1) - timedelta(days=1)
    return months


LOGIN_EVERY = 100  # one request in 100 of the mix is a login (an Argon2 hash on the server)

# The mixed requests, in turn: a fifth intakes, the rest what the desks read all day (the API's
# lookups, lists and searches, and two staff pages), and a login every LOGIN_EVERY requests.
MIX = (
    "intake",
    "request",
    "search by number",
    "center queue",
    "customer by phone",
    "intake",
    "unit by serial",
    "work orders",
    "home page",
    "三包 check",
    "intake",
    "request",
    "search by phone",
    "my open",
    "customer by phone",
    "intake",
    "unit by serial",
    "request page",
    "request",
    "search by name",
)


def mixed(t: Traffic) -> Callable[[int, int], Call]:
    """The mix: MIX's kinds in turn, by each client's own agent, and a login every LOGIN_EVERY."""

    def call(i: int, c: int) -> Call:
        if i % LOGIN_EVERY == LOGIN_EVERY - 1:
            body = {"username": t.agents[c % len(t.agents)], "password": seeding.STAFF_PASSWORD}
            headers = {"Host": t.host, "Content-Type": "application/json"}
            return Call(
                "POST", "/api/v1/auth/token", json.dumps(body).encode(), headers, kind="login"
            )
        return request_of(t, MIX[i % len(MIX)], i, c)

    return call


# The reports of issue 19, read by finance (every center) through the API and by each center's
# branch manager on the pages, for each of the last 12 full months in turn (a month of each
# center, then the month before): a month's KPIs of one center and of all, the technicians'
# report, the dashboard page (the KPIs of the month and of the one before, and the trends), and
# the manager's home (this month's KPIs against last month's), with their targets (p95 ms at
# 1,000,000 requests and work orders; the home, a page, is held to the dashboard's).
REPORTS = (
    "KPIs, a center's month",
    "KPIs, every center's month",
    "technicians, a center's month",
    "dashboard page, a month",
    "manager's home page",
)
REPORT_TARGET_MS = dict.fromkeys(REPORTS, 500.0) | dict.fromkeys(REPORTS[3:], 800.0)

# The reads of issue #17 item 3, each driven alone (one client: no queue, the latency is the
# server's time plus a loopback connection): the lookups, searches and lists the desks use all
# day, the work-order list with each filter, and the pages a request and a job open on.
READS = (
    "request",
    "search by number",
    "search by phone",
    "search by serial",
    "search by name",
    "center queue",
    "my open",
    "unassigned",
    "work order",
    "work orders, a center",
    "work orders, a status",
    "work orders, a technician",
    "work orders, closed",
    "request page",
    "work-order page",
    "requests console page",
    "home page",
    *REPORTS,
)


def reads(t: Traffic, kind: str) -> Callable[[int, int], Call]:
    """One read, again and again by one client, as each agent in turn (the i-th call is agent
    i's: "my open" is theirs)."""
    return lambda i, _c: request_of(t, kind, i, i)


def request_of(t: Traffic, kind: str, i: int, c: int) -> Call:
    """The i-th request of `kind` (its keys: the i-th of the context's), as agent c sends it:
    their bearer token for the API, their session cookie for the pages."""
    ctx = t.ctx
    center = seeding.BRANCHES[i % len(seeding.BRANCHES)]
    job = t.work_orders[i % len(t.work_orders)] if t.work_orders else "WO000000000"
    tech = t.technicians[i % len(t.technicians)] if t.technicians else "nobody"

    def get(path: str, ok: tuple[int, ...] = (200,)) -> Call:
        return Call("GET", path, headers=t.headers(c), ok=ok, kind=kind)

    def page(path: str, ok: tuple[int, ...] = (200,), session: str = "") -> Call:
        cookie = f"{settings.SESSION_COOKIE_NAME}={session or t.sessions[c % len(t.sessions)]}"
        return Call("GET", path, headers={"Host": t.host, "Cookie": cookie}, ok=ok, kind=kind)

    def report(path: str, **query: str) -> Call:
        first, last = t.month(i // len(seeding.BRANCHES))  # each center, then the month before
        asked = "&".join(f"{k}={v}" for k, v in {"from": first, "to": last, **query}.items())
        headers = {"Host": t.host, "Authorization": f"Bearer {t.reader}"}
        return Call("GET", f"/api/v1/reports/{path}?{asked}", headers=headers, kind=kind)

    match kind:
        case "intake":
            return t.intake(i, c)
        case "request":
            return get(f"{INTAKE}/{quote(ctx.ticket_number(i))}", ok=(200, 404))
        case "search by number":
            return get(f"{INTAKE}?q={quote(ctx.ticket_number(i))}")
        case "search by phone":
            return get(f"{INTAKE}?q={quote(ctx.ticket_phone(i))}")
        case "search by serial":
            return get(f"{INTAKE}?q={quote(ctx.ticket_serial(i))}")
        case "search by name":
            return get(f"{INTAKE}?q={quote(ctx.ticket_name(i))}")
        case "center queue":
            return get(f"{INTAKE}?center={center}&status=new")
        case "my open":
            return get(f"{INTAKE}?owner={t.agents[c % len(t.agents)]}&status=in_progress")
        case "unassigned":
            return get(f"{INTAKE}?unassigned=true")
        case "customer by phone":
            return get(f"/api/v1/customers?phone={quote(ctx.phone(i))}")
        case "unit by serial":
            return get(f"/api/v1/units/{ctx.serial(i)}", ok=(200, 404))
        case "三包 check":
            serial = json.dumps({"serial": ctx.serial(i)}).encode()
            headers = t.headers(c, **{"Content-Type": "application/json"})
            return Call("POST", "/api/v1/warranty/check", serial, headers, (200, 422), kind)
        case "work order":
            return get(f"/api/v1/work-orders/{job}")
        case "work orders" | "work orders, a center":
            return get(f"/api/v1/work-orders?center={center}")
        case "work orders, a status":
            return get(f"/api/v1/work-orders?status={('repairing', 'ready')[i % 2]}")
        case "work orders, a technician":
            return get(f"/api/v1/work-orders?technician={tech}")
        case "work orders, closed":
            return get(f"/api/v1/work-orders?center={center}&status=closed")
        case "request page":
            return page(f"/requests/{quote(ctx.ticket_number(i))}/", ok=(200, 404))
        case "work-order page":
            return page(f"/work-orders/{job}/")
        case "requests console page":
            return page("/requests/")
        case "home page":
            return page("/")
        case "KPIs, a center's month":
            return report("kpis", center=center)
        case "KPIs, every center's month":
            return report("kpis")
        case "technicians, a center's month":
            return report("technicians", center=center)
        case "dashboard page, a month":
            first, last = t.month(i // len(seeding.BRANCHES))
            return page(f"/reports/?from={first}&to={last}", session=t.managers[center])
        case "manager's home page":
            return page("/", session=t.managers[center])
    raise AssertionError(kind)  # pragma: no cover


def intake_statements(t: Traffic) -> tuple[int, int]:
    """(SQL statements, transactions committed) of one intake, in this process, through the
    whole request stack (after a first intake, so that what a worker keeps is kept)."""
    client = Client(HTTP_HOST=t.host, HTTP_AUTHORIZATION=f"Bearer {t.tokens[0]}")

    def post(i: int) -> None:
        response = client.post(INTAKE, t.bodies[i], content_type="application/json")
        if response.status_code != 201:
            raise SystemExit(
                f"bench: POST {INTAKE} answered {response.status_code}: {response.content[:300]!r}"
            )

    post(0)
    commits = 0
    autocommitted = 0
    commit = connection.commit

    def counted_commit() -> None:
        nonlocal commits
        commits += 1
        commit()

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal autocommitted
        verb = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if not connection.in_atomic_block and verb in {"INSERT", "UPDATE", "DELETE"}:
            autocommitted += 1  # a write outside a transaction commits on its own
        return execute(sql, params, many, context)

    connection.commit = counted_commit  # type: ignore[method-assign]
    try:
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(watch):
            post(1 % len(t.bodies))
    finally:
        del connection.commit
    return len(captured), commits + autocommitted


def read_statements(t: Traffic, kinds: list[str]) -> dict[str, int]:
    """SQL statements of one call of each read, in this process through the whole request stack
    (Django's test client, the call's own headers), after a first call of it."""
    found = {}
    for kind in kinds:
        client = Client()
        call = request_of(t, kind, 0, 0)
        extra = {"HTTP_" + name.upper().replace("-", "_"): v for name, v in call.headers.items()}
        client.get(call.path, **extra)  # type: ignore[arg-type]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(call.path, **extra)  # type: ignore[arg-type]
        if response.status_code not in call.ok:
            raise SystemExit(f"bench: GET {call.path} answered {response.status_code}")
        found[kind] = len(captured)
    return found


def selected_reads(options: WebOptions) -> list[str]:
    """The reads to time: every one, or those whose name contains one of `only_reads`."""
    if not options.reads:
        return []
    wanted = [w.lower() for w in options.only_reads]
    return [k for k in READS if not wanted or any(w in k.lower() for w in wanted)]


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Round:
    number: int
    side: str  # "floor" or "app"
    outcome: Outcome


@dataclass
class WebReport:
    options: WebOptions
    database: str
    tickets: int  # service requests on file when the rounds started
    floor_rows: int
    rounds: list[Round] = field(default_factory=list)
    statements: int = 0
    transactions: int = 0
    memory_after_rounds: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    memory_after_mix: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    mix: Outcome | None = None
    reads: dict[str, Outcome] = field(default_factory=dict)  # kind → its calls, one at a time
    read_statements: dict[str, int] = field(default_factory=dict)  # kind → SQL statements a call
    work_orders: int = 0  # on file when the reads ran
    seconds: float = 0.0

    def side(self, side: str) -> list[Outcome]:
        return [r.outcome for r in self.rounds if r.side == side]

    def rate(self, side: str) -> float:
        return statistics.median(o.per_second for o in self.side(side))

    @property
    def ratio(self) -> float:
        floor = self.rate("floor")
        return 100.0 * self.rate("app") / floor if floor else 0.0


def run_web(options: WebOptions, out: TextIO = sys.stderr) -> WebReport:
    """Seed (first run) and copy the HTTP database, prepare the floor's, start both servers,
    warm them up, run the alternating rounds, then the mixed requests; drop the copy."""
    started = time.perf_counter()
    if not settings.DEBUG and settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
        settings.SECRET_KEY = secrets.token_urlsafe(50)  # `serve` refuses the development key
    bench_db = str(connection.settings_dict["NAME"])
    template, run_db, floor_db = database_names(bench_db, connection.vendor, options.rows)

    print(f"bench: HTTP database {template}", file=out)
    use_database(template)
    ensure_database(out)
    seeding.seed(options.rows, out=out)
    use_database(bench_db)
    copy_database(template, run_db)

    floor_env = child_environment(database_url(floor_db), options.workers)
    prepared = subprocess.run(
        [sys.executable, "-m", "bench.floor", "prepare", str(options.rows)],
        env=floor_env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    if prepared.returncode:
        raise SystemExit(f"bench: preparing the floor's database failed:\n{prepared.stderr}")

    try:
        use_database(run_db)
        report = WebReport(
            options=options,
            database=database_line(),
            tickets=Ticket.objects.count(),
            floor_rows=options.rows,
            work_orders=WorkOrder.objects.count(),
        )
        t = traffic(options)
        report.statements, report.transactions = intake_statements(t)
        kinds = selected_reads(options)
        report.read_statements = read_statements(t, kinds)
        connection.close()  # the servers alone use the database from here
        app_env = child_environment(database_url(run_db), options.workers)
        app_port = options.port or free_port()
        floor_port = options.port + 1 if options.port else free_port()
        with (
            serving(
                "app", [sys.executable, "-m", "aftersales.cli", "serve"], app_env, app_port
            ) as app,
            serving(
                "floor", [sys.executable, "-m", "bench.floor", "serve"], floor_env, floor_port
            ) as floor,
        ):
            _rounds(report, t, {"floor": floor, "app": app}, out)
            report.memory_after_rounds = {
                "app": workers_memory(app),
                "floor": workers_memory(floor),
            }
            if options.mix:
                print(f"bench: {options.mix:,} mixed requests to the application", file=out)
                report.mix = drive(
                    HOST,
                    app.port,
                    mixed(t),
                    clients=options.clients,
                    count=options.mix,
                    seconds=options.mix_seconds,
                )
                report.memory_after_mix = {"app": workers_memory(app)}
            for kind in kinds:
                print(f"bench: {options.reads:,} × {kind}, one at a time", file=out)
                drive(HOST, app.port, reads(t, kind), clients=1, count=5, seconds=5)  # warm
                report.reads[kind] = drive(
                    HOST,
                    app.port,
                    reads(t, kind),
                    clients=1,
                    count=options.reads,
                    seconds=options.mix_seconds,
                )
    finally:
        use_database(bench_db)
        drop_database(run_db)
    report.seconds = time.perf_counter() - started
    return report


def _rounds(report: WebReport, t: Traffic, servers: dict[str, Server], out: TextIO) -> None:
    options = report.options
    sent = dict.fromkeys(servers, 0)  # each side goes on through the same bodies

    def one(side: str, seconds: float, count: int) -> Outcome:
        offset = sent[side]
        outcome = drive(
            HOST,
            servers[side].port,
            lambda i, c: t.intake(offset + i, c),
            clients=options.clients,
            count=count,
            seconds=seconds,
        )
        sent[side] += outcome.requests
        return outcome

    for side in servers:
        one(side, options.warmup, options.count)  # untimed: imports, caches, connections
    for number in range(1, options.rounds + 1):
        for side in servers:  # floor, app, floor, app, …
            outcome = one(side, options.seconds, options.count)
            print(
                f"bench: round {number} {side}: {outcome.per_second:.1f} req/s"
                + (f", {outcome.failed} errors: {outcome.first_error}" if outcome.failed else ""),
                file=out,
            )
            report.rounds.append(Round(number, side, outcome))


# --- the report ------------------------------------------------------------------------------


def _pooled(outcomes: list[Outcome]) -> list[float]:
    return sorted(ms for o in outcomes for ms in o.latencies_ms)


def _ms(values: list[float], pct: float) -> str:
    return f"{percentile(values, pct):.1f}" if values else "-"


def _memory(workers: list[tuple[float, float]], peak: bool = False) -> str:
    if not workers:
        return "-"
    if peak:
        return ", ".join(f"{rss:.0f} MB (peak {hwm:.0f})" for rss, hwm in workers)
    return ", ".join(f"{rss:.0f}" for rss, _hwm in workers) + " MB"


def format_web(report: WebReport) -> str:
    o = report.options
    lines = [
        f"HTTP: POST {INTAKE} (a hotline repair for a registered unit) against the framework "
        "floor (bench.floor: ninja, one-row insert)",
        report.database.replace("database:", "  database:", 1)
        + f"; {report.tickets:,} service requests on file, floor {report.floor_rows:,} rows",
        f"  gunicorn, {o.workers} sync workers a server; {o.clients} closed-loop clients; "
        f"{o.rounds} alternating rounds of ≤ {o.seconds:g} s or ≤ {o.count:,} requests a side "
        f"(after {o.warmup:g} s of warm-up)",
        f"{'round':<6} {'side':<6} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}",
    ]
    for r in report.rounds:
        out = r.outcome
        lines.append(
            f"{r.number:<6} {r.side:<6} {out.requests:>9,} {out.per_second:>8.1f} "
            f"{_ms(out.latencies_ms, 50):>8} {_ms(out.latencies_ms, 95):>8} {out.failed:>7}"
        )
    lines.append(f"{'side':<13} {'median req/s':>12} {'(rounds)':<17} {'p50 ms':>7} {'p95 ms':>7}")
    for side, label in (("floor", "floor"), ("app", "intake (app)")):
        outcomes = report.side(side)
        if not outcomes:
            continue
        rates = [x.per_second for x in outcomes]
        pooled = _pooled(outcomes)
        spread = f"({min(rates):.1f}–{max(rates):.1f})"
        lines.append(
            f"{label:<13} {report.rate(side):>12.1f} {spread:<17} {_ms(pooled, 50):>7} "
            f"{_ms(pooled, 95):>7}"
        )
    if report.side("floor") and report.side("app"):
        lines.append(
            f"intake / floor: {report.ratio:.1f} % of the framework floor's rate "
            f"(target ≥ {TARGET_RATIO:.0f} %)"
        )
    lines.append(
        f"queries per intake: {report.statements} SQL statements, {report.transactions} "
        f"transaction{'' if report.transactions == 1 else 's'} committed (one intake in "
        "process, after a first one)"
    )
    lines.append(
        "memory per web worker (VmRSS): after the rounds: app "
        f"{_memory(report.memory_after_rounds.get('app', []))}, floor "
        f"{_memory(report.memory_after_rounds.get('floor', []))}"
    )
    if report.mix is not None:
        mix = report.mix
        errors = (
            f", {mix.failed} errors ({', '.join(f'{k} ×{n}' for k, n in mix.errors.items())}; "
            f"first: {mix.first_error})"
            if mix.failed
            else ", 0 errors"
        )
        lines.append(
            f"  after {mix.requests:,} more mixed requests ({mix.seconds:.1f} s, "
            f"{mix.per_second:.1f}/s{errors}): app "
            f"{_memory(report.memory_after_mix.get('app', []), peak=True)} "
            f"(target ≤ {TARGET_RSS_MB:.0f} MB; the peak includes a login's Argon2 hash)"
        )
        kinds = sorted(mix.by_kind.items(), key=lambda item: -statistics.median(item[1]))
        lines.append(
            "  mixed requests, median ms by kind: "
            + ", ".join(f"{kind} {statistics.median(ms):.0f}" for kind, ms in kinds)
        )
    if report.reads:
        lines.append(
            f"reads one at a time ({report.tickets:,} requests, {report.work_orders:,} work "
            f"orders on file; target p95 ≤ {TARGET_READ_MS:.0f} ms, the reports' their own; "
            "SQL: statements a call, in process):"
        )
        lines.append(
            f"  {'read':<30} {'calls':>6} {'p50 ms':>7} {'p95 ms':>7} {'errors':>7} {'SQL':>4} "
            f"{'target':>6}"
        )
        for kind, outcome in report.reads.items():
            p95 = percentile(outcome.latencies_ms, 95) if outcome.latencies_ms else 0.0
            target = REPORT_TARGET_MS.get(kind, TARGET_READ_MS)
            over = "  over" if p95 > target else ""
            statements = report.read_statements.get(kind)
            lines.append(
                f"  {kind:<30} {outcome.requests:>6,} {_ms(outcome.latencies_ms, 50):>7} "
                f"{_ms(outcome.latencies_ms, 95):>7} {outcome.failed:>7} "
                f"{'-' if statements is None else statements:>4} {target:>6.0f}{over}"
                + (f"  first error: {outcome.first_error}" if outcome.failed else "")
            )
    lines.append(f"({report.seconds:.1f} s)")
    return "\n".join(lines)
