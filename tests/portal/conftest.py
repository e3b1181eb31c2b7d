"""Portal stories: a customer whose repair is done, and one whose request is still open."""

from dataclasses import dataclass

import pytest

from aftersales.tickets.models import Ticket
from tests.workorders.conftest import bought, ok, open_job, to_ready_paid  # noqa: F401


@dataclass
class Done:
    number: str  # the request
    work_order: str
    phone: str  # as the customer types it: national, with spaces

    @property
    def ticket(self) -> Ticket:
        return Ticket.objects.get(number=self.number)


def national(e164: str) -> str:
    digits = e164.removeprefix("+86")
    return f"{digits[:3]} {digits[3:7]} {digits[7:]}"


@pytest.fixture
def desk(api_as):  # type: ignore[no-untyped-def]
    return api_as("front_desk", "desk")


@pytest.fixture
def repaired(desk, bought, open_job):  # type: ignore[no-untyped-def]  # noqa: F811
    """A paid carry-in repair handed back to its customer: the request is resolved and its
    satisfaction survey is on the agents' list (due the next working morning)."""
    unit = bought(400)
    number, wo = open_job(desk, unit)
    to_ready_paid(desk, wo)
    payment = {"amount": "280.00", "method": "cash", "receipt_no": "R0001"}
    ok(desk, wo, "hand_over", rating=5, payment=payment, no_signature_reason="客户口头确认")
    return Done(number, wo, national(unit.customer.phone))


@pytest.fixture
def in_repair(desk, bought, open_job):  # type: ignore[no-untyped-def]  # noqa: F811
    unit = bought(400)
    number, wo = open_job(desk, unit)
    return Done(number, wo, national(unit.customer.phone))
