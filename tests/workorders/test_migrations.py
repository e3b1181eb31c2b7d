"""A database made before a change moves forward: the jobs handed over repaired before the unit's
timeline kept them get their `repaired` events, so the 三包 decision still counts them; the jobs
opened before their requests kept a record of them get that record, so the request's timeline
and its technician still find them."""

import pytest
from django.core.management import call_command

from aftersales.catalog.models import Unit
from aftersales.core.models import Event
from aftersales.tickets.models import Ticket
from aftersales.tickets.selectors import tickets_for, timeline
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
    ok(
        desk,
        wo,
        "hand_over",
        rating=5,
        payment={"amount": "280.00", "method": "cash"},
        no_signature_reason="客户口头确认",
    )
    job = WorkOrder.objects.get(number=wo)
    call_command("migrate", "workorders", BEFORE, verbosity=0)  # as the database was
    assert not Event.objects.filter(action="repaired").exists()

    call_command("migrate", "workorders", verbosity=0)

    repaired = Event.objects.get(action="repaired")
    assert repaired.subject == unit and repaired.at == job.handed_over_at
    assert repaired.actor.username == "desk" and repaired.data["work_order"] == wo
    assert failed_repairs_of(Unit.objects.get(pk=unit.pk)) == 1


BEFORE_TICKET_JOBS = "0003_ticket_pending_due"  # tickets: before the request's record of its jobs


@pytest.mark.django_db(transaction=True)
def test_jobs_opened_before_the_requests_record_of_them_are_found_after_migrating(
    api_as, bought, open_job, tech
):  # type: ignore[no-untyped-def]
    desk = api_as("front_desk", "desk")
    number, wo = open_job(desk, bought(days_ago=100), technician="tech")
    nobodys, unassigned = open_job(desk, bought(days_ago=100))
    # As the database was: no record (workorders' backfill goes back with the table it fills).
    call_command("migrate", "tickets", BEFORE_TICKET_JOBS, verbosity=0)

    call_command("migrate", "workorders", verbosity=0)

    ticket = Ticket.objects.get(number=number)
    assert list(tickets_for(tech)) == [ticket]
    assert [(e.action, e.data.get("work_order")) for e in timeline(ticket)] == [
        ("created", None),
        ("created", wo),
        ("start", wo),
    ]
    other = Ticket.objects.get(number=nobodys)
    assert ("created", unassigned) in [
        (e.action, e.data.get("work_order")) for e in timeline(other)
    ]
    assert (
        api_as("technician", "tech").get(f"/tickets/{number}").json()["events"][1]["work_order"]
        == wo
    )
