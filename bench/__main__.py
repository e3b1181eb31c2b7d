"""`python -m bench` (`make bench`): seed the bench database, time the benchmarks, print a table.

    python -m bench                         # 1,000,000 customers, units and service requests
                                            # (BENCH_ROWS overrides)
    python -m bench --rows 20000            # a quick run
    python -m bench --only "by phone" --explain
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aftersales python -m bench   # → aftersales_bench

It never touches the configured database: it runs on `<name>_bench` next to it, created and
migrated here; the seeded rows stay there for the next run (only what is missing is added).
"""

import argparse
import os
import sys
import time


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
    args = parser.parse_args(argv)
    if args.rows < 1 or args.iterations < 1 or args.warmup < 0:
        parser.error("--rows and -n must be positive, --warmup not negative")
    args.only = [part for value in args.only or [] for part in value.split(",")]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings")

    from bench.database import ensure_database, use_bench_database

    _configured, bench_db = use_bench_database()

    import django

    django.setup()

    from bench import cases  # noqa: F401  (registers the benchmarks)
    from bench.runner import (
        Context,
        database_line,
        explain,
        format_plans,
        format_table,
        run,
        select,
    )

    benches = select(args.only)
    if args.list or not benches:
        if not benches:
            print(f"bench: no benchmark matches {args.only}; there are:", file=sys.stderr)
        for b in select(None):
            print(f"{b.key:<28} {b.name}", file=sys.stdout if args.list else sys.stderr)
        return 0 if args.list else 2

    print(f"bench: database {bench_db}", file=sys.stderr)
    ensure_database()

    from bench.seed import seed

    report = seed(args.rows)
    if (
        report.added_customers
        or report.added_units
        or report.added_tickets
        or report.added_work_orders
        or report.added_followups
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
        # The whole backlog, pass after pass until a pass claims nothing (bench.followups).
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
