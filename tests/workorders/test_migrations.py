"""A database made before a change moves forward: the jobs handed over repaired before the unit's
timeline kept them get their `repaired` events, so the 三包 decision still counts them."""

import pytest
from django.core.management import call_command

from aftersales.catalog.models import Unit
from aftersales.core.models import Event
from aftersales.warranty.selectors import failed_repairs_of
from aftersales.workorders.models import WorkOrder
from tests.workorders.conftest import ok, to_ready_paid

BEFORE = "0002_van_stock_visit_incomplete"


@pytest.mark.django_db(transaction=True)
def test_jobs_repaired_before_the_unit_timeline_are_counted_after_migrating(
    api_as, bought, open_job
):  # type: ignore[no-untyped-def]
    desk = api_as("front_desk", "desk")
    unit = bought(days_ago=100)
    _, wo = open_job(desk, unit)
    to_ready_paid(desk, wo)
    ok(desk, wo, "hand_over", rating=5, payment={"amount": "280.00", "method": "cash"})
    job = WorkOrder.objects.get(number=wo)
    call_command("migrate", "workorders", BEFORE, verbosity=0)  # as the database was
    assert not Event.objects.filter(action="repaired").exists()

    call_command("migrate", "workorders", verbosity=0)

    repaired = Event.objects.get(action="repaired")
    assert repaired.subject == unit and repaired.at == job.handed_over_at
    assert repaired.actor.username == "desk" and repaired.data["work_order"] == wo
    assert failed_repairs_of(Unit.objects.get(pk=unit.pk)) == 1
