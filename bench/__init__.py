"""Benchmarks for `make bench`: realistic data at scale, measured through the real code paths.

- `bench.database` — points Django at the bench's own database (`<name>_bench`) and migrates it;
- `bench.seed`     — seeds (or tops up) customers, units and service requests, fast;
- `bench.runner`   — the `@benchmark` registry, the timing loop, the table and the EXPLAIN check;
- `bench.cases`    — the benchmarks themselves: adding one is writing one small function there;
- `bench.web`      — the HTTP line: `aftersales serve` against the framework floor (`bench.floor`),
                     driven by `bench.closed_loop`, and the web workers' memory.

Only `bench.database` may be imported before `django.setup()`.
"""
