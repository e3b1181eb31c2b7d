"""The HTTP line of the bench (bench.web), end to end with tiny counts: `python -m bench --http`
seeds its database, starts `aftersales serve` and the framework floor, drives both, reads the
workers' memory and prints the line; nothing of it is left running or on file but its databases.

It runs in a subprocess on SQLite files of its own (whatever the suite's database), so that the
servers see what the bench wrote, and no timing is asserted: only that every request was answered
as expected and the line is printed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from bench.web import READS, database_names

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_the_http_line_drives_the_app_and_the_floor_and_prints_the_ratio(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'aftersales.sqlite3'}",
        AFTERSALES_VAR_DIR=str(tmp_path),
        LANGUAGE_CODE="en",
    )
    tiny = "--http-rows 30 --http-rounds 2 --http-seconds 1 --http-count 12 --http-warmup 0.2"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--http",
            *tiny.split(),
            "--http-mix",
            "100",
            "--http-reads",
            "3",
        ],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout

    rounds = re.findall(r"^(\d) +(floor|app) +(\d+) .* (\d+)$", out, re.MULTILINE)
    assert [(n, side) for n, side, _requests, _errors in rounds] == [
        ("1", "floor"),
        ("1", "app"),
        ("2", "floor"),
        ("2", "app"),
    ]
    assert all(int(requests) > 0 and errors == "0" for _n, _s, requests, errors in rounds)
    assert re.search(r"^intake / floor: \d+\.\d %", out, re.MULTILINE)
    assert re.search(r"^queries per intake: \d+ SQL statements", out, re.MULTILINE)
    mix = re.search(r"after (\d+) more mixed requests .*, 0 errors\): app (.*)$", out, re.MULTILINE)
    assert mix, out
    assert mix.group(1) == "100"  # a login among them (one in 100)
    assert len(re.findall(r"\d+ MB \(peak \d+\)", mix.group(2))) == 2  # two web workers
    reads = re.findall(r"^  (\S.*?) +(\d+) +[\d.]+ +[\d.]+ +(\d+)", out, re.MULTILINE)
    assert [kind for kind, _calls, _errors in reads] == list(READS)  # each read, one at a time
    assert all(calls == "3" and errors == "0" for _kind, calls, errors in reads), out

    template, run, floor = database_names(str(tmp_path / "aftersales_bench.sqlite3"), "sqlite", 30)
    assert Path(template).is_file() and Path(floor).is_file()
    assert not Path(run).exists()  # each run measures a fresh copy, dropped afterwards
