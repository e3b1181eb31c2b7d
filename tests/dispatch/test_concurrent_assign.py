"""Two dispatchers claim the same job at the same moment: one wins, the other is told who has it."""

import threading

import pytest
from django.db import connection

from aftersales.core.models import Event
from tests.factories import make_technician


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_assigning_one_job_at_once_get_one_winner_and_one_conflict(
    api_as, center, phone, on_site_job
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency needs a server database: run with DATABASE_URL=postgres://… "
            "(SQLite serialises writers, so it cannot show the race)"
        )
    make_technician("li", center)
    make_technician("wang", center)
    number = on_site_job(phone)["number"]
    callers = {"li": api_as("dispatcher", "d1"), "wang": api_as("dispatcher", "d2")}
    answers: dict[str, object] = {}
    start = threading.Barrier(2)

    def claim(technician: str) -> None:
        from django.db import connections

        try:
            start.wait()
            answers[technician] = callers[technician].post(
                f"/work-orders/{number}/actions",
                {"action": "assign", "technician": technician, "expected_technician": None},
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim, args=(name,)) for name in callers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    codes = sorted(a.status_code for a in answers.values())  # type: ignore[attr-defined]
    assert codes == [200, 409]
    winner = next(n for n, a in answers.items() if a.status_code == 200)  # type: ignore[attr-defined]
    loser = next(a for a in answers.values() if a.status_code == 409)  # type: ignore[attr-defined]
    assert loser.json()["error"]["code"] == "conflict"
    assert loser.json()["error"]["details"] == {"technician": winner}
    assert Event.objects.filter(action="assign", data__work_order=number).count() == 1
