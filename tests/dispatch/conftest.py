"""Dispatch stories share: a phone in Guangzhou's Tianhe district, an on-site job opened on it by
the hotline, and a visit window on the next working day."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from aftersales.core.rules import next_working_day_opening
from aftersales.dispatch.selectors import calendar_of
from tests.factories import CategoryFactory, CustomerFactory, ProductModelFactory, UnitFactory


def next_day_window(center, hour_offset: float = 1, hours: float = 2):  # type: ignore[no-untyped-def]
    """A visit window on the center's next working day, `hour_offset` hours after opening."""
    opening = next_working_day_opening(timezone.now(), calendar_of(center))
    start = opening + timedelta(hours=hour_offset)
    return start, start + timedelta(hours=hours)


def iso(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def phone(db):  # type: ignore[no-untyped-def]
    model = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    return UnitFactory(model=model, customer=CustomerFactory(region="440106"))


@pytest.fixture
def on_site_job(api_as):  # type: ignore[no-untyped-def]
    """`on_site_job(unit)` → the number of an on-site work order the hotline opened."""
    hotline = api_as("hotline")

    def open_(unit, **body):  # type: ignore[no-untyped-def]
        ticket = hotline.post(
            "/tickets",
            {
                "kind": "repair",
                "channel": "hotline",
                "customer_id": unit.customer_id,
                "serial": unit.serial,
                "summary": "屏幕不亮",
            },
        )
        assert ticket.status_code == 201, ticket.json()
        job = hotline.post(
            f"/tickets/{ticket.json()['number']}/work-orders", {"mode": "on_site", **body}
        )
        assert job.status_code == 201, job.json()
        return job.json()

    return open_
