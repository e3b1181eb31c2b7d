"""Reference data (SLA policies, calendars, 三包 terms, message templates, who holds which role
in which center) is read once per process and read again after any change, whoever made it and
in whichever process; a change rolled back is never seen (core.reference, decision 60)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from aftersales.core.models import ReferenceVersion
from aftersales.dispatch.models import StaffProfile
from aftersales.notifications.models import Message, Template
from aftersales.tickets.models import SlaPolicy
from tests.factories import PASSWORD, CenterFactory, CustomerFactory, make_staff

REFERENCE_TABLES = (
    "tickets_slapolicy",
    "core_calendaroverride",
    "core_businesscalendar",
    "warranty_",
    "notifications_template",
    "auth_group",
    "dispatch_staffprofile",
)


def phoned_repair(customer):  # type: ignore[no-untyped-def]
    return {
        "kind": "repair",
        "channel": "hotline",
        "customer_id": customer.pk,
        "summary": "洗衣机不脱水",
    }


def respond_within(answer) -> timedelta:  # type: ignore[no-untyped-def]
    body = answer.json()
    return datetime.fromisoformat(body["sla"]["respond_by"]) - datetime.fromisoformat(
        body["created_at"]
    )


def test_a_second_intake_reads_no_reference_data(api_as):
    hotline, customer = api_as("hotline"), CustomerFactory()
    hotline.post("/tickets", phoned_repair(customer))

    with CaptureQueriesContext(connection) as run:
        assert hotline.post("/tickets", phoned_repair(customer)).status_code == 201

    read = [q["sql"] for q in run.captured_queries if any(t in q["sql"] for t in REFERENCE_TABLES)]
    assert read == []


def test_an_sla_policy_the_administrator_adds_times_the_next_intake(api_as, client):
    hotline, customer = api_as("hotline"), CustomerFactory()
    before = hotline.post("/tickets", phoned_repair(customer))
    make_staff("boss", "admin")
    client.login(username="boss", password=PASSWORD)

    saved = client.post(
        "/admin/tickets/slapolicy/add/",
        {
            "kind": "repair",
            "channel": "hotline",
            "priority": "normal",
            "respond_amount": "1",
            "respond_unit": "hours",
            "resolve_amount": "24",
            "resolve_unit": "hours",
        },
    )
    after = hotline.post("/tickets", phoned_repair(customer))

    assert saved.status_code == 302 and SlaPolicy.objects.filter(kind="repair").exists()
    assert respond_within(before) != timedelta(hours=1)
    assert respond_within(after) == timedelta(hours=1)


def test_a_change_made_by_another_process_is_seen_at_the_next_request(api_as):
    hotline, customer = api_as("hotline"), CustomerFactory()
    hotline.post("/tickets", phoned_repair(customer))
    # Another worker saved a policy: its row and a new version are in the database, and no
    # signal of this process saw it.
    policy = SlaPolicy(
        kind="repair",
        channel="hotline",
        priority="normal",
        respond_amount=2,
        respond_unit="hours",
        resolve_amount=24,
        resolve_unit="hours",
    )
    SlaPolicy.objects.bulk_create([policy])
    ReferenceVersion.objects.update_or_create(pk=1, defaults={"version": "another-process"})

    assert respond_within(hotline.post("/tickets", phoned_repair(customer))) == timedelta(hours=2)


def test_a_change_rolled_back_is_never_seen(api_as):
    hotline, customer = api_as("hotline"), CustomerFactory()
    hotline.post("/tickets", phoned_repair(customer))

    with pytest.raises(RuntimeError), transaction.atomic():
        SlaPolicy.objects.create(
            kind="repair",
            channel="hotline",
            priority="normal",
            respond_amount=1,
            respond_unit="hours",
            resolve_amount=24,
            resolve_unit="hours",
        )
        # A request inside that transaction reads the change, and keeps what it read…
        inside = respond_within(hotline.post("/tickets", phoned_repair(customer)))
        raise RuntimeError("the administrator's save failed")

    assert inside == timedelta(hours=1)

    # …which the next request, the change undone, never uses.
    assert respond_within(hotline.post("/tickets", phoned_repair(customer))) != timedelta(hours=1)


def test_a_deactivated_template_sends_nothing_from_the_next_intake(api_as):
    hotline, customer = api_as("hotline"), CustomerFactory()
    hotline.post("/tickets", phoned_repair(customer))
    template = Template.objects.get(code="request_received", channel="sms")

    template.active = False
    template.save()
    hotline.post("/tickets", phoned_repair(customer))

    assert Message.objects.filter(customer=customer).count() == 1


def test_a_staff_member_moved_or_stripped_of_the_role_is_treated_so_at_the_next_call(
    api_as, center
):
    hotline, customer = api_as("hotline", "lixy"), CustomerFactory()
    assert hotline.post("/tickets", phoned_repair(customer)).json()["center"] == center.code

    profile = StaffProfile.objects.get(user__username="lixy")
    profile.center = CenterFactory(code="sz")
    profile.save()
    assert hotline.post("/tickets", phoned_repair(customer)).json()["center"] == "sz"

    profile.user.groups.clear()
    assert hotline.post("/tickets", phoned_repair(customer)).status_code == 403
