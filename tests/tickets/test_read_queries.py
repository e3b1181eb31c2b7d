"""The console costs the same few statements for a screen of fifty requests as for five, in
every queue and when searching (issue 17: reads at a million requests)."""

import pytest
from django.utils import timezone

from aftersales.tickets import selectors, services
from aftersales.tickets.models import Ticket
from aftersales.tickets.rules import OPEN_STATUSES
from tests.factories import CustomerFactory, UnitFactory, make_staff
from tests.queries import statements

QUEUES = ("mine", "center", "unassigned", "breaching", "escalated", "all")


@pytest.fixture
def clerk(db, center):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline", center)


def requests_of(clerk, customer, unit, n: int) -> None:  # type: ignore[no-untyped-def]
    """`n` requests of every queue: each taken by the clerk for the customer's unit, for the
    center; every other one unowned and escalated, all of them falling due now."""
    for i in range(n):
        ticket = services.ticket_create(
            by=clerk,
            kind="repair",
            channel="hotline",
            customer_id=customer.pk,
            serial=unit.serial,
            summary="手机不开机",
            center="gz",
        )
        Ticket.objects.filter(pk=ticket.pk).update(
            owner=clerk if i % 2 else None, escalated=i % 2 == 0, pending_due=timezone.now()
        )


def test_each_queue_costs_the_same_for_fifty_requests_as_for_five(clerk, center):  # type: ignore[no-untyped-def]
    customer = CustomerFactory(name="王伟", phone="+8613800138000")
    unit = UnitFactory(customer=customer)
    requests_of(clerk, customer, unit, 101)

    for queue in QUEUES:
        for search in ("", "王伟", "138 0013 8000", unit.serial):
            five, _console = statements(selectors.console, clerk, queue=queue, q=search, limit=5)
            fifty, console = statements(selectors.console, clerk, queue=queue, q=search, limit=50)

            assert len(console.rows) == 50, (queue, search)
            assert fifty == five, (queue, search)


def test_the_console_page_costs_the_same_with_fifty_rows_as_with_five(clerk, center, client):  # type: ignore[no-untyped-def]
    customer = CustomerFactory(name="王伟", phone="+8613800138000")
    unit = UnitFactory(customer=customer)
    client.force_login(clerk)
    requests_of(clerk, customer, unit, 10)
    five = {queue: statements(client.get, "/requests/", {"queue": queue})[0] for queue in QUEUES}
    searched = statements(client.get, "/requests/", {"queue": "all", "q": "王伟"})[0]

    requests_of(clerk, customer, unit, 91)
    for queue in QUEUES:
        fifty, page = statements(client.get, "/requests/", {"queue": queue})

        assert page.status_code == 200
        assert len(page.context["page"].rows) == 50, queue
        assert fifty == five[queue], queue
    assert statements(client.get, "/requests/", {"queue": "all", "q": "王伟"})[0] == searched


def test_the_index_of_an_owners_open_requests_holds_every_open_status():
    """The home's "my open requests" reads an index kept only for open requests: a status added
    to the open ones must be added to it too, or the database stops using it and sorts every
    open request of the owner again on each visit."""
    index = next(i for i in Ticket._meta.indexes if i.name == "ticket_owner_open_due")

    assert set(dict(index.condition.children)["status__in"]) == set(OPEN_STATUSES)
