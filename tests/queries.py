"""How many SQL statements one call runs: the read-speed tests compare a page of many rows with a
page of few (issue 17)."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def statements(call: Any, *args: Any, **kwargs: Any) -> tuple[int, Any]:
    """(how many SQL statements `call(*args, **kwargs)` ran, what it returned), once a first call
    has warmed what a process or a session keeps (content types, the session's first save). An
    answer over HTTP must be a 200: a refusal costs other statements than the page."""
    call(*args, **kwargs)
    with CaptureQueriesContext(connection) as run:
        answer = call(*args, **kwargs)
    if hasattr(answer, "status_code"):
        assert answer.status_code == 200, answer.content[:300]
    return len(run.captured_queries), answer
