"""Who saw what: opening a customer's page or a unit's history, and taking a list that holds
phones, each leaves one record (who, when, what, from where) for the administrator — at the cost
of one INSERT, nothing else."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftersales.core.models import AccessKind, AccessRecord
from aftersales.core.services import record_access
from aftersales.dispatch.models import TechnicianProfile
from tests.factories import CustomerFactory, UnitFactory, make_staff, make_technician
from tests.words import zh_html

ADMIN_LIST = "/admin/core/accessrecord/"


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline", center)


def only_record() -> AccessRecord:
    return AccessRecord.objects.get()


def seen(record: AccessRecord) -> tuple[str, str, str]:
    """Who saw what, as the admin's list reads it."""
    return (record.user.username if record.user else "", record.kind, record.subject)


def test_opening_a_customer_page_records_who_looked_at_whom(client, agent):
    customer = CustomerFactory()
    client.force_login(agent)

    assert client.get(f"/customers/{customer.pk}/", REMOTE_ADDR="10.1.2.3").status_code == 200

    record = only_record()
    assert seen(record) == ("lixy", "customer", str(customer.pk))
    assert (record.client, record.detail) == ("10.1.2.3", f"/customers/{customer.pk}/")


def test_opening_a_unit_page_records_its_serial(client, agent):
    unit = UnitFactory()
    client.force_login(agent)

    assert client.get(f"/warranty/units/{unit.serial}/").status_code == 200

    assert seen(only_record()) == ("lixy", "unit", unit.serial)


def test_a_page_that_is_not_there_records_nothing(client, agent):
    client.force_login(agent)

    assert client.get("/customers/999999/").status_code == 404
    assert client.get("/warranty/units/NO-SUCH-SERIAL/").status_code == 404

    assert not AccessRecord.objects.exists()


def test_the_api_records_a_customer_and_a_unit_read(api_as):
    unit = UnitFactory()
    api = api_as("hotline", "lixy")

    assert api.get(f"/customers/{unit.customer.pk}").status_code == 200
    assert api.get(f"/units/{unit.serial}").status_code == 200

    records = [seen(r) for r in AccessRecord.objects.order_by("id")]
    assert records == [("lixy", "customer", str(unit.customer.pk)), ("lixy", "unit", unit.serial)]


def test_a_page_of_the_customer_list_is_recorded_as_a_list_export_with_its_filter(api_as):
    CustomerFactory(phone="+8613800138000")
    api = api_as("hotline", "lixy")

    assert api.get("/customers", phone="13800138000").status_code == 200

    record = only_record()
    assert seen(record) == ("lixy", "list_export", "customers")
    assert "13800138000" in record.detail


def test_a_broken_cursor_takes_no_list_and_records_nothing(api_as):
    assert api_as("hotline").get("/customers", cursor="%%%").status_code == 422
    assert not AccessRecord.objects.exists()


def test_a_technicians_calendar_feed_holds_phones_and_is_recorded_as_theirs(anonymous, center):
    make_technician("li", center)
    key = TechnicianProfile.objects.get(user__username="li").calendar_key

    answer = anonymous.client.get(f"/api/v1/technicians/li/calendar.ics?key={key}")

    assert answer.status_code == 200
    record = only_record()
    assert seen(record) == ("li", "list_export", "calendar.ics")
    assert key not in record.detail  # the key is the feed's credential: never written down


def test_recording_is_one_insert_and_nothing_else(db, agent):
    with CaptureQueriesContext(connection) as queries:
        record_access(None, kind=AccessKind.PRIVACY_EXPORT, subject="+8613800138000", by=agent)

    assert len(queries) == 1
    assert queries[0]["sql"].startswith('INSERT INTO "core_accessrecord"')


def test_the_customer_page_costs_exactly_one_query_more_than_without_the_record(
    client, agent, monkeypatch
):
    customer = CustomerFactory()
    UnitFactory(customer=customer)
    client.force_login(agent)
    page = f"/customers/{customer.pk}/"
    client.get(page)  # caches warm (sessions, content types) before counting

    monkeypatch.setattr("aftersales.shell.views.record_access", lambda *a, **k: None)
    with CaptureQueriesContext(connection) as without:
        client.get(page)
    monkeypatch.undo()
    with CaptureQueriesContext(connection) as with_record:
        client.get(page)

    assert len(with_record) == len(without) + 1
    extra = [q["sql"] for q in with_record if "core_accessrecord" in q["sql"]]
    assert len(extra) == 1 and extra[0].startswith('INSERT INTO "core_accessrecord"')


def test_the_administrator_reads_the_records_in_words(client, agent):
    boss = make_staff("boss", "admin")
    record_access(None, kind=AccessKind.CUSTOMER, subject="4711", by=agent)
    record_access(None, kind=AccessKind.UNIT, subject="860000009999999", by=boss)
    client.force_login(boss)

    answer = client.get(ADMIN_LIST)
    found = client.get(ADMIN_LIST, {"q": "lixy"})
    units = client.get(ADMIN_LIST, {"kind__exact": "unit"})

    assert answer.status_code == 200
    assert zh_html("customer page") in answer.text and zh_html("unit history") in answer.text
    assert "4711" in answer.text and "lixy" in answer.text
    assert list(found.context["cl"].result_list) == [AccessRecord.objects.get(subject="4711")]
    assert [r.subject for r in units.context["cl"].result_list] == ["860000009999999"]
    assert client.get(f"{ADMIN_LIST}add/").status_code == 403


def test_no_other_role_reads_the_records_even_given_the_permission_by_hand(client, agent):
    record_access(None, kind=AccessKind.CUSTOMER, subject="4711", by=agent)
    agent.user_permissions.add(Permission.objects.get(codename="view_accessrecord"))
    client.force_login(agent)

    assert client.get(ADMIN_LIST).status_code == 403
    assert "accessrecord" not in client.get("/admin/").text
    client.logout()
    assert client.get(ADMIN_LIST).status_code == 302  # to the login page
