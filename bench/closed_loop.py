"""A closed-loop HTTP client: C clients, each sending its next request when the previous one has
been answered, until a count or a time is reached. No Django here: it only speaks HTTP.

A closed loop measures what a server does at a fixed concurrency (the 4 desks typing at once),
not how it behaves past saturation: every client always waits for its answer, so the rate is
what the server sustains and the latency what each caller sees.
"""

import http.client
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Call:
    """One request: what to send, and the statuses that count as answered right."""

    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    ok: tuple[int, ...] = (200,)
    kind: str = ""  # what the mix calls it, for the error report


@dataclass
class Outcome:
    requests: int  # answered (right or not)
    seconds: float  # from the start to the last answer
    latencies_ms: list[float]  # of every answered request, ascending
    errors: Counter[str] = field(default_factory=Counter)  # "kind status" → count
    first_error: str = ""
    by_kind: dict[str, list[float]] = field(default_factory=dict)  # kind → latencies, ascending

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        return sum(self.errors.values())


def drive(
    host: str,
    port: int,
    calls: Callable[[int, int], Call],
    *,
    clients: int = 4,
    count: int = 1000,
    seconds: float = 15.0,
    timeout: float = 120.0,
) -> Outcome:
    """`clients` threads, each with its own connection, send `calls(i, client)` for i = 0, 1, …
    (one sequence shared by all, each i sent once) until `count` requests have been sent or
    `seconds` have passed; a request already sent is still waited for. A server that closes
    the connection after each answer (gunicorn's sync workers) is reconnected to each time, as
    any client of it does."""
    lock = threading.Lock()
    sequence = iter(range(count))
    started = time.perf_counter()
    deadline = started + seconds
    latencies: list[list[tuple[str, float]]] = [[] for _ in range(clients)]
    errors: Counter[str] = Counter()
    first_error: list[str] = []
    last_answer = [started]

    def client(c: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        mine = latencies[c]
        try:
            while True:
                with lock:
                    i = next(sequence, None)
                if i is None or time.perf_counter() >= deadline:
                    return
                call = calls(i, c)
                start = time.perf_counter()
                try:
                    conn.request(call.method, call.path, body=call.body, headers=call.headers)
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as error:
                    conn.close()
                    status, body = 0, repr(error).encode()
                end = time.perf_counter()
                mine.append((call.kind, (end - start) * 1000.0))
                with lock:
                    last_answer[0] = max(last_answer[0], end)
                    if status not in call.ok:
                        errors[f"{call.kind or call.path} {status}"] += 1
                        if not first_error:
                            first_error.append(
                                f"{call.method} {call.path}: {status} {body[:300]!r}"
                            )
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(c,), daemon=True) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_kind: dict[str, list[float]] = {}
    for mine in latencies:
        for kind, ms in mine:
            by_kind.setdefault(kind, []).append(ms)
    for values in by_kind.values():
        values.sort()
    return Outcome(
        requests=sum(len(mine) for mine in latencies),
        seconds=last_answer[0] - started,
        latencies_ms=sorted(ms for mine in latencies for _kind, ms in mine),
        errors=errors,
        first_error=first_error[0] if first_error else "",
        by_kind=by_kind,
    )
