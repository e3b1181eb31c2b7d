"""An administrator erases one person's name, phone and address (PIPL's right to erasure): by
API and by `aftersales privacy erase`. Nothing of them is left in any text column of any table;
the service records, figures and invoices stay; an open case stops it unless forced; the erase is
an event on the customer's timeline and an access record."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.core.models import AccessRecord, Event
from aftersales.customers.models import Customer
from aftersales.followups.models import FollowUp
from aftersales.notifications.models import Message
from aftersales.tickets.models import Ticket
from aftersales.workorders.models import WorkOrder
from tests.clock import PLAIN_DAY
from tests.privacy.conftest import ADDRESS, EMAIL, NAME, PHONE_SPELLINGS, _request, _unit, traces

pytestmark = pytest.mark.clock(PLAIN_DAY)


def figures(customer: Customer) -> dict[str, object]:
    job = WorkOrder.objects.get(ticket__customer=customer)
    return {
        "requests": list(
            Ticket.objects.filter(customer=customer)
            .order_by("number")
            .values_list("number", "status", "created_at")
        ),
        "job": (
            job.number,
            job.status,
            job.outcome,
            job.paid,
            job.quote_total,
            job.rating,
            job.receipt_no,
            job.handed_over_at,
        ),
        "quote": list(job.quote_lines.order_by("pk").values_list("qty", "unit_price")),
        "follow_ups": list(
            FollowUp.objects.filter(ticket__customer=customer)
            .order_by("pk")
            .values_list("kind", "score", "due_at")
        ),
        "messages": list(
            Message.objects.filter(customer=customer)
            .order_by("pk")
            .values_list("template_code", "status", "sent_at")
        ),
        "units": list(
            customer.units.order_by("pk").values_list(
                "serial", "purchase_date", "invoice_no", "price"
            )
        ),
        "events": Event.objects.exclude(action="erased").count(),
    }


def test_an_erase_leaves_no_name_phone_or_address_in_any_table(history):
    assert traces((NAME, ADDRESS, EMAIL, *PHONE_SPELLINGS))  # there is plenty to find before

    answer = history.admin.post(f"/customers/{history.customer.pk}/erase")

    assert answer.status_code == 200, answer.json()
    assert traces((NAME, ADDRESS, EMAIL, *PHONE_SPELLINGS)) == []


def test_an_erase_keeps_the_service_records_and_the_figures(history):
    before = figures(history.customer)

    history.admin.post(f"/customers/{history.customer.pk}/erase")

    after = figures(history.customer)
    assert after == before
    her = Customer.objects.get(pk=history.customer.pk)
    assert her.name == "[erased]" and her.phone == f"erased-{her.pk}" and her.address == ""
    assert her.region == "440106"  # the reports still count by district
    job = WorkOrder.objects.get(number=history.work_order)
    assert job.handover_signature.name == "" and job.agreement_signed is True


def test_someone_elses_record_loses_only_her_phone(history):
    history.admin.post(f"/customers/{history.customer.pk}/erase")

    theirs = Ticket.objects.get(number=history.neighbour_request)
    neighbour = Customer.objects.get(pk=history.neighbour.pk)
    assert theirs.description == "邻居代报，也可打 [erased] 找人"
    assert (neighbour.name, neighbour.phone) == (history.neighbour.name, history.neighbour.phone)


def test_the_erase_is_an_event_on_the_customers_timeline_and_an_access_record(history):
    answer = history.admin.post(f"/customers/{history.customer.pk}/erase").json()

    event = Event.objects.get(action="erased")
    assert event.subject == history.customer and event.actor.username == "boss"
    assert answer["erased_by"] == "boss" and answer["forced"] is False
    record = AccessRecord.objects.get(kind="privacy_erase")
    assert (record.user.username, record.subject) == ("boss", str(history.customer.pk))


def test_an_open_case_stops_the_erase_naming_it_and_force_goes_ahead(history):
    her = history.customer
    still_open = _request(history.admin, her, _unit(her), summary=f"{NAME}的新问题")
    before = traces((NAME,))

    refused = history.admin.post(f"/customers/{her.pk}/erase", {})

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "case_open" and still_open in error["message"]
    assert {"kind": "request", "ref": still_open} in error["details"]["open"]
    assert traces((NAME,)) == before and not Event.objects.filter(action="erased").exists()

    forced = history.admin.post(f"/customers/{her.pk}/erase", {"force": True})

    assert forced.status_code == 200 and forced.json()["forced"] is True
    assert traces((NAME, *PHONE_SPELLINGS)) == []
    assert Ticket.objects.get(number=still_open).status == "new"  # the case goes on


def test_the_command_refuses_while_a_case_is_open_and_force_goes_ahead(history):
    her = history.customer
    still_open = _request(history.admin, her, _unit(her))

    with pytest.raises(CommandError, match=still_open):
        call_command("privacy", "erase", "--phone", "139 1234 5678", "--by", "boss")
    assert Customer.objects.get(pk=her.pk).name == NAME

    out = io.StringIO()
    call_command(
        "privacy", "erase", "--phone", "+86 139-1234-5678", "--by", "boss", "--force", stdout=out
    )

    assert "boss" in out.getvalue() and "+0800" in out.getvalue()  # who, and when (local time)
    assert traces((NAME, ADDRESS, *PHONE_SPELLINGS)) == []


def test_the_command_erases_only_for_an_administrator(history, api_as):
    api_as("hotline", "xiaoli")

    with pytest.raises(CommandError):
        call_command("privacy", "erase", "--phone", "13912345678", "--by", "xiaoli")
    with pytest.raises(CommandError, match="13800000000"):  # no such customer
        call_command("privacy", "erase", "--phone", "13800000000", "--by", "boss")

    assert Customer.objects.get(pk=history.customer.pk).name == NAME


def test_only_an_administrator_erases_by_api(history, api_as):
    refused = api_as("branch_manager").post(
        f"/customers/{history.customer.pk}/erase", {"force": True}
    )
    missing = history.admin.post("/customers/999999/erase")

    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert missing.status_code == 404
    assert Customer.objects.get(pk=history.customer.pk).name == NAME
    assert not Event.objects.filter(action="erased").exists()


def test_a_second_erase_is_refused_and_no_message_goes_to_the_placeholder(history):
    her = history.customer
    history.admin.post(f"/customers/{her.pk}/erase")

    again = history.admin.post(f"/customers/{her.pk}/erase")
    # A case opened afterwards (say, the unit comes back) texts no one.
    _request(history.admin, Customer.objects.get(pk=her.pk), her.units.first())

    assert again.status_code == 409 and again.json()["error"]["code"] == "already_erased"
    newest = Message.objects.filter(customer=her).latest("pk")
    assert newest.recipient == "" and newest.status == "failed"
