"""The bench's report history (bench.reports, on bench.dispatch's closed jobs): what issue 19's
speed is measured on must give the reports something to count, and top up only what is missing.

It seeds a small bench database (200 requests, 150 closed jobs instead of none at this size) on
the test database, then reads the KPIs and the technicians' report of the last year as finance.
"""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.reports import selectors
from bench import dispatch
from bench import reports as history
from bench import seed as seeding

ROWS = 200


@pytest.mark.django_db
def test_the_seed_gives_the_reports_something_to_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "history_for", lambda rows: 150)
    report = seeding.seed(ROWS, out=io.StringIO(), batch=64)
    assert report.added_history > 0
    assert history.seed_report_history(io.StringIO()).added == 0  # nothing missing the next time

    finance = get_user_model().objects.get(username=seeding.FINANCE)
    today = timezone.localdate()
    year = {"first": today - timedelta(days=364), "last": today}
    kpis = selectors.kpis(finance, center=None, **year)
    assert kpis["tickets_created"] > 0 and kpis["work_orders_completed"] > 0
    assert kpis["response_sla_met_rate"] is not None
    assert kpis["resolution_sla_met_rate"] is not None  # the requests' `resolve` events
    assert kpis["first_time_fix_rate"] is not None and kpis["avg_turnaround_hours"] is not None
    assert kpis["csat_count"] > 0 and kpis["fees_collected"] != "0.00"

    rows = selectors.technicians(finance, center=None, **year)
    assert sum(r["work_orders_completed"] for r in rows) == kpis["work_orders_completed"]
    assert any(r["on_time_arrival_rate"] is not None for r in rows)  # the on-site jobs' visits
    assert any(r["csat_avg"] is not None for r in rows)
