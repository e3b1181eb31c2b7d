"""`python -m bench` (`make bench`): seed the bench database, time the benchmarks, print a table.

    python -m bench                         # 1,000,000 customers, units and service requests
                                            # (BENCH_ROWS overrides)
    python -m bench --rows 20000            # a quick run
    python -m bench --only "by phone" --explain
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales python -m bench   # → aftersales_bench
    python -m bench --http                  # only the HTTP line: intake against the framework floor
    python -m bench --no-http               # only the table

The HTTP line (bench.web) runs after the table unless --only or --no-http is given.

It never touches the configured database: it runs on `<name>_bench` next to it, created and
migrated here; the seeded rows stay there for the next run (only what is missing is added).
"""

import argparse
import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.runner import Benchmark


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rows",
        type=int,
        default=int(os.environ.get("BENCH_ROWS", "1000000")),
        help="customers, units and service requests to have in the bench database "
        "(default 1000000, or $BENCH_ROWS)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run the benchmarks whose name contains NAME (repeatable, or comma-separated)",
    )
    parser.add_argument(
        "-n", "--iterations", type=int, default=500, help="timed calls per benchmark (default 500)"
    )
    parser.add_argument("--warmup", type=int, default=50, help="untimed calls first (default 50)")
    parser.add_argument(
        "--budget",
        type=float,
        default=60.0,
        help="seconds one benchmark may take before it stops early (default 60)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print each query's plan under the table"
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    web = parser.add_argument_group(
        "HTTP line (bench.web)",
        "intake through `aftersales serve` against the framework floor (bench.floor), then the "
        "web workers' memory after mixed requests; after the table by default",
    )
    mode = web.add_mutually_exclusive_group()
    mode.add_argument("--http", action="store_true", help="run the HTTP line only (no table)")
    mode.add_argument("--no-http", action="store_true", help="run the table only")
    web.add_argument(
        "--http-rows",
        type=int,
        default=100_000,
        help="customers, units and service requests in the HTTP database (default 100000)",
    )
    web.add_argument("--http-rounds", type=int, default=3, help="rounds a side (default 3)")
    web.add_argument(
        "--http-seconds", type=float, default=15.0, help="a round's time bound (default 15)"
    )
    web.add_argument(
        "--http-count", type=int, default=100_000, help="a round's request bound (default 100000)"
    )
    web.add_argument(
        "--http-warmup",
        type=float,
        default=3.0,
        help="seconds of untimed intakes a side before the rounds (default 3)",
    )
    web.add_argument("--http-clients", type=int, default=4, help="closed-loop clients (default 4)")
    web.add_argument(
        "--http-workers", type=int, default=2, help="gunicorn sync workers a server (default 2)"
    )
    web.add_argument(
        "--http-mix",
        type=int,
        default=5_000,
        help="mixed requests before the workers' memory is read (default 5000)",
    )
    web.add_argument(
        "--http-reads",
        type=int,
        default=200,
        help="calls of each read, one at a time, after the mix (default 200; 0: none)",
    )
    web.add_argument(
        "--http-read",
        action="append",
        metavar="NAME",
        help="time only the reads whose name contains NAME (repeatable), e.g. --http-read "
        "KPIs --http-read technicians --http-read dashboard --http-read manager",
    )
    web.add_argument(
        "--http-port",
        type=int,
        default=0,
        help="the application's port, the floor's the next one (default: free ports)",
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.iterations < 1 or args.warmup < 0:
        parser.error("--rows and -n must be positive, --warmup not negative")
    if (
        min(args.http_rows, args.http_rounds, args.http_count, args.http_clients) < 1
        or min(args.http_workers, args.http_seconds) <= 0
        or min(args.http_mix, args.http_reads, args.http_warmup, args.http_port) < 0
    ):
        parser.error(
            "the --http-… counts and times must be positive (--http-mix and --http-reads may be 0)"
        )
    args.only = [part for value in args.only or [] for part in value.split(",")]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")

    from bench.database import use_bench_database

    _configured, bench_db = use_bench_database()

    import django

    django.setup()

    from bench import cases  # noqa: F401  (registers the benchmarks)
    from bench.runner import select

    benches = [] if args.http else select(args.only)
    if args.list or not (benches or args.http):
        if not benches:
            print(f"bench: no benchmark matches {args.only}; there are:", file=sys.stderr)
        for b in select(None):
            print(f"{b.key:<28} {b.name}", file=sys.stdout if args.list else sys.stderr)
        return 0 if args.list else 2

    print(f"bench: database {bench_db}", file=sys.stderr)
    if benches:
        table(args, benches)
    if args.http or not (args.only or args.no_http):
        from bench.web import WebOptions, format_web, run_web

        report = run_web(
            WebOptions(
                rows=args.http_rows,
                rounds=args.http_rounds,
                seconds=args.http_seconds,
                count=args.http_count,
                clients=args.http_clients,
                workers=args.http_workers,
                warmup=args.http_warmup,
                mix=args.http_mix,
                reads=args.http_reads,
                only_reads=args.http_read or [],
                port=args.http_port,
            )
        )
        if benches:
            print()
        print(format_web(report))
    return 0


def table(args: argparse.Namespace, benches: "list[Benchmark]") -> None:
    """Seed the bench database, time `benches` in process, print the table (and the sweep's
    backlog, and the plans with --explain)."""
    from bench.database import ensure_database
    from bench.runner import Context, database_line, explain, format_plans, format_table, run

    ensure_database()

    from bench.seed import seed

    report = seed(args.rows)
    if (
        report.added_customers
        or report.added_units
        or report.added_tickets
        or report.added_work_orders
        or report.added_followups
        or report.added_history
    ):
        parts = ", ".join(f"{name} {s:.1f} s" for name, s in report.timings.items())
        seeded = (
            f"seeded {report.added_customers:,} customers + {report.added_units:,} units + "
            f"{report.added_tickets:,} service requests + {report.added_work_orders:,} work orders + "
            f"{report.added_followups:,} due follow-ups "
            f"in {report.seconds:.1f} s this run: {parts}"
        )
    else:
        seeded = "nothing to seed"
    if max(report.customers, report.units, report.tickets) > args.rows:
        print(
            f"bench: the bench database already holds more than --rows {args.rows:,}; measuring at its size",
            file=sys.stderr,
        )

    ctx = Context(
        customers=report.customers,
        units=report.units,
        tickets=report.tickets,
        size=args.iterations + args.warmup,
    )
    started = time.perf_counter()
    results = run(benches, ctx, n=args.iterations, warmup=args.warmup, budget=args.budget)
    print(database_line())
    print(
        f"data: {report.customers:,} customers, {report.units:,} units, "
        f"{report.tickets:,} service requests, {report.technicians:,} technicians, "
        f"{report.work_orders:,} work orders, {report.followups:,} due follow-ups ({seeded})"
    )
    print(format_table(results))
    print(
        f"({time.perf_counter() - started:.1f} s; keys random, 1 in {ctx.miss_every} missing; "
        f"{args.warmup} warm-up calls each)"
    )
    if any(b.key == "timer_sweep_pass" for b in benches):
        # The whole backlog, swept by two worker processes at once (bench.followups).
        from bench.followups import format_backlog, reset_followups, sweep_backlog

        started = time.perf_counter()
        backlog = sweep_backlog()
        reset_followups()
        print()
        print(format_backlog(backlog))
        print(f"({time.perf_counter() - started:.1f} s with the resets)")
    if args.explain:
        print()
        print(format_plans(explain(benches, ctx)))


if __name__ == "__main__":
    sys.exit(main())
