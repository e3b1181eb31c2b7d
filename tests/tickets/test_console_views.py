"""The console's pages without a browser: intake, the request page and its actions, the queues,
the technical center's queue, handover — and who may see what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from aftersales.core.models import Event
from aftersales.knowledge.models import EscalationCase
from aftersales.tickets import rules, selectors, services
from aftersales.tickets.models import Ticket
from tests.factories import (
    CategoryFactory,
    CenterFactory,
    CustomerFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
)
from tests.words import zh

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/requests/"}


@pytest.fixture
def clerk(db, center):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline", center)


@pytest.fixture
def clerk_client(client, clerk):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    return client


def a_phone_bought_days_ago(days: int, **extra):  # type: ignore[no-untyped-def]
    bought = timezone.localdate() - timedelta(days=days)
    phone = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    return UnitFactory(
        model=phone,
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
        invoice_no="FP-001",
        **extra,
    )


def intake(**fields):  # type: ignore[no-untyped-def]
    return {
        "phone": "138 0013 8000",
        "kind": "repair",
        "channel": "hotline",
        "priority": "normal",
        "summary": "手机不开机",
        "damage": "none",
        "step": "create",
        **fields,
    }


def a_request(by, **extra):  # type: ignore[no-untyped-def]
    customer = extra.pop("customer", None) or CustomerFactory()
    return services.ticket_create(
        by=by,
        kind="repair",
        channel="hotline",
        summary="屏幕闪烁",
        customer_id=customer.pk,
        **extra,
    )


def promised(ticket, **clocks):  # type: ignore[no-untyped-def]
    """The request's SLA promises set to `clocks` (what a policy would have said), and its
    pending due time with them, as the services keep it."""
    for name, value in clocks.items():
        setattr(ticket, name, value)
    ticket.pending_due = rules.pending_due(ticket)
    ticket.save(update_fields=[*clocks, "pending_due"])
    return ticket


# Intake ----------------------------------------------------------------------------------------


def test_the_intake_form_creates_a_request_owned_by_the_clerk_and_opens_it(clerk_client, clerk):
    customer = CustomerFactory(name="张伟", phone="+8613800138000")
    unit = a_phone_bought_days_ago(5, customer=customer)

    answer = clerk_client.post("/requests/new/", intake(unit=unit.serial))

    ticket = Ticket.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/requests/{ticket.number}/"
    assert ticket.owner == clerk and ticket.customer == customer and ticket.unit == unit
    assert ticket.warranty["remedies"] == ["refund", "exchange", "free_repair"]


def test_intake_registers_a_new_customer_typed_inline(clerk_client):
    answer = clerk_client.post(
        "/requests/new/",
        intake(phone="139 0013 9000", name="王芳", region="440106", kind="consultation"),
    )

    assert answer.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.customer.name, ticket.customer.phone) == ("王芳", "+8613900139000")


def test_enter_without_js_only_draws_the_form_again(clerk_client):
    CustomerFactory(name="张伟", phone="+8613800138000")

    answer = clerk_client.post("/requests/new/", intake(step="refresh"))

    assert answer.status_code == 200
    assert "张伟" in answer.text
    assert not Ticket.objects.exists()


def test_the_phone_lookup_finds_the_customer_typed_with_spaces(clerk_client, clerk):
    customer = CustomerFactory(name="张伟", phone="+8613800138000", address="", region="")
    unit = a_phone_bought_days_ago(5, customer=customer)
    earlier = a_request(clerk, customer=customer)

    answer = clerk_client.get("/requests/new/customer/", {"phone": "138 0013 8000"}, **HTMX)

    assert answer.status_code == 200
    assert b"<html" not in answer.content
    assert answer.context["found"].customer == customer
    assert "张伟" in answer.text and "138 0013 8000" in answer.text
    assert unit.serial in answer.text  # the units to pick from
    assert earlier.number in answer.text  # their open requests
    assert 'id="unit-picks" hx-swap-oob="true"' in answer.text
    assert answer.context["found"].missing == ["address", "region"]  # flagged, not blocking


def test_an_unknown_phone_asks_for_the_new_customer_and_keeps_what_was_typed(clerk_client):
    answer = clerk_client.get(
        "/requests/new/customer/", {"phone": "13900139000", "name": "王芳"}, **HTMX
    )

    assert answer.context["found"].customer is None
    assert 'name="name"' in answer.text and 'value="王芳"' in answer.text


def test_an_unknown_serial_shows_on_its_field_and_creates_nothing(clerk_client):
    CustomerFactory(phone="+8613800138000")

    answer = clerk_client.post("/requests/new/", intake(serial="NOSUCH123", description="黑屏"))

    assert answer.status_code == 422
    assert answer.context["form"].errors["serial"] == [
        zh("No unit is registered with this serial number: register it first.")
    ]
    assert 'value="NOSUCH123"' in answer.text and "黑屏" in answer.text  # nothing typed is lost
    assert not Ticket.objects.exists()


def test_the_decision_appears_for_a_repair_as_soon_as_the_unit_is_known(clerk_client):
    unit = a_phone_bought_days_ago(5)

    answer = clerk_client.get(
        "/requests/new/warranty/", {"kind": "repair", "unit": unit.serial}, **HTMX
    )

    assert answer.status_code == 200
    remedies = [r["code"] for r in answer.context["view"]["remedies"]]
    assert remedies == ["refund", "exchange", "free_repair"]
    assert 'id="fault-field"' in answer.text  # the phone policy's faults, drawn for this category


def test_liquid_damage_turns_the_decision_into_paid_repair(clerk_client):
    unit = a_phone_bought_days_ago(5)

    answer = clerk_client.get(
        "/requests/new/warranty/",
        {
            "kind": "repair",
            "serial": unit.serial,
            "damage": "liquid",
            "fault_category": "mobile_phone",
        },
        **HTMX,
    )

    assert [r["code"] for r in answer.context["view"]["remedies"]] == ["paid_repair"]
    assert 'id="fault-field"' not in answer.text  # same category: the fault list stays as it is


def test_a_unit_is_registered_inline_for_the_customer(clerk_client):
    customer = CustomerFactory(phone="+8613800138000")
    model = ProductModelFactory(code="XH-P50", category=CategoryFactory(code="mobile_phone"))
    bought = timezone.localdate() - timedelta(days=3)

    answer = clerk_client.post(
        "/requests/new/unit/register/",
        {
            "serial": "860000009999999",
            "model_code": model.code,
            "purchase_date": bought.isoformat(),
            "invoice_no": "FP-9",
            "customer_id": customer.pk,
        },
        **HTMX,
    )

    assert answer.status_code == 200
    assert answer.context["looked_up"].unit.customer == customer
    assert answer["HX-Trigger"] == "unit-changed"


def test_registering_a_unit_of_an_unknown_model_is_refused_on_the_model_field(clerk_client):
    answer = clerk_client.post(
        "/requests/new/unit/register/",
        {"serial": "860000009999999", "model_code": "NO-SUCH", "invoice_no": "FP-9"},
        **HTMX,
    )

    assert answer.status_code == 422
    form = answer.context["register_form"]
    assert form.errors["model_code"] == [zh("Unknown model %(code)s.") % {"code": "NO-SUCH"}]
    assert 'value="FP-9"' in answer.text  # nothing typed is lost


# The request page -----------------------------------------------------------------------------


def test_the_request_page_shows_only_the_buttons_its_status_allows(clerk_client, clerk):
    ticket = a_request(clerk)

    answer = clerk_client.get(f"/requests/{ticket.number}/")

    assert answer.status_code == 200
    shown = [a["name"] for a in answer.context["actions"]]
    assert shown == ["note", "assign_owner", "start", "resolve", "cancel", "escalate"]
    assert 'value="close"' not in answer.text and 'value="reopen"' not in answer.text
    assert "lixy" in answer.text  # the owner, always shown


def test_a_refused_action_shows_its_message_and_changes_nothing(clerk_client, clerk):
    ticket = a_request(clerk)
    events_before = Event.objects.count()

    answer = clerk_client.post(f"/requests/{ticket.number}/act/", {"action": "close"}, **HTMX)

    assert answer.status_code == 409
    message = zh("“%(action)s” is not possible while the request is %(status)s.")
    assert message % {"action": zh("Close"), "status": zh("New")} in answer.text
    ticket.refresh_from_db()
    assert ticket.status == "new" and ticket.closed_at is None
    assert Event.objects.count() == events_before


def test_a_note_without_text_is_refused_on_its_field_keeping_the_form_open(clerk_client, clerk):
    ticket = a_request(clerk)

    answer = clerk_client.post(
        f"/requests/{ticket.number}/act/", {"action": "note", "customer_visible": "on"}, **HTMX
    )

    assert answer.status_code == 422
    note = next(a for a in answer.context["actions"] if a["name"] == "note")
    assert note["open"] and note["form"].errors["note"] == [zh("This field is required.")]


def test_an_action_moves_the_request_and_lands_on_the_timeline(clerk_client, clerk):
    ticket = a_request(clerk)

    answer = clerk_client.post(
        f"/requests/{ticket.number}/act/", {"action": "resolve", "resolution": "repaired"}
    )

    assert answer.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "resolved"
    page = clerk_client.get(f"/requests/{ticket.number}/")
    assert [a["name"] for a in page.context["actions"]] == ["note", "reopen", "close"]
    assert [row.event.action for row in page.context["events"]] == ["created", "resolve"]


def test_a_front_desk_of_another_center_gets_not_found(client, clerk):
    ticket = a_request(clerk)
    elsewhere = make_staff("zhaol", "front_desk", CenterFactory(code="sz", name="深圳"))
    client.force_login(elsewhere)

    assert client.get(f"/requests/{ticket.number}/").status_code == 404
    answer = client.post(f"/requests/{ticket.number}/act/", {"action": "note", "note": "x"})
    assert answer.status_code == 404
    assert not Event.objects.filter(action="note").exists()


# The console ----------------------------------------------------------------------------------


def test_the_queue_mine_lists_only_my_open_requests(clerk_client, clerk, center):
    colleague = make_staff("wangf", "hotline", center)
    mine = a_request(clerk)
    theirs = a_request(colleague)
    done = a_request(clerk)
    services.ticket_act(ticket=done, by=clerk, action="resolve", resolution="answered")

    answer = clerk_client.get("/requests/", {"queue": "mine"})

    numbers = [row.ticket.number for row in answer.context["page"].rows]
    assert numbers == [mine.number]
    assert theirs.number not in answer.text
    assert answer.context["page"].counts["mine"] == 1
    assert answer.context["page"].counts["center"] == 2


def test_changing_a_filter_swaps_the_list_only(clerk_client, clerk):
    a_request(clerk)

    answer = clerk_client.get(
        "/requests/", {"queue": "all", "kind": "repair"}, HTTP_HX_TARGET="ticket-list", **HTMX
    )

    assert [t.name for t in answer.templates][0] == "tickets/partials/_list.html"
    assert b"<html" not in answer.content
    assert 'id="count-mine" hx-swap-oob="true"' in answer.text


def test_due_soon_holds_the_requests_whose_promise_falls_due_within_two_hours(clerk_client, clerk):
    late = a_request(clerk)
    soon = a_request(clerk)
    later = a_request(clerk)
    now = timezone.now()
    promised(late, respond_by=now - timedelta(minutes=5))
    promised(soon, respond_by=now + timedelta(minutes=90))
    promised(later, respond_by=now + timedelta(hours=5), resolve_by=now + timedelta(days=3))

    answer = clerk_client.get("/requests/", {"queue": "breaching"})

    rows = {row.ticket.number: row.sla.state for row in answer.context["page"].rows}
    assert rows == {late.number: "breached", soon.number: "soon"}


def test_load_more_continues_after_the_last_row(clerk_client, clerk):
    made = [a_request(clerk) for _ in range(3)]
    first_page = selectors.console(clerk, queue="mine", limit=2)
    assert [r.ticket for r in first_page.rows] == made[:0:-1]

    more = clerk_client.get(
        "/requests/", {"queue": "mine", "cursor": first_page.next_cursor}, **HTMX
    )

    assert [t.name for t in more.templates][0] == "tickets/partials/_rows.html"
    assert [r.ticket for r in more.context["page"].rows] == [made[0]]
    assert more.context["page"].next_cursor is None


def test_the_console_reads_a_fixed_number_of_queries_however_long_the_list(
    clerk_client, clerk, django_assert_max_num_queries
):
    for _ in range(3):
        a_request(clerk)
    clerk_client.get("/requests/", {"queue": "mine"})  # warm the session and content types
    with django_assert_max_num_queries(14) as few:
        clerk_client.get("/requests/", {"queue": "mine"})
    for _ in range(10):
        a_request(clerk)

    with django_assert_max_num_queries(len(few.captured_queries)):
        answer = clerk_client.get("/requests/", {"queue": "mine"})

    assert len(answer.context["page"].rows) == 13


def test_the_queue_counts_refresh_on_their_own(clerk_client, clerk):
    a_request(clerk)

    answer = clerk_client.get("/requests/", {"part": "counts"}, **HTMX)

    assert 'id="count-mine" hx-swap-oob="true">1<' in answer.text
    assert "<table" not in answer.text


# The technical center -------------------------------------------------------------------------


def test_the_technical_center_answers_a_case_from_its_queue(client, clerk):
    ticket = a_request(clerk)
    services.ticket_act(ticket=ticket, by=clerk, action="escalate", note="反复重启，刷机无效")
    engineer = make_staff("chenj", "tech_center")
    client.force_login(engineer)

    queue = client.get("/escalations/")
    case = EscalationCase.objects.get()
    assert "反复重启，刷机无效" in queue.text and ticket.number in queue.text
    answer = client.post(f"/escalations/{case.pk}/answer/", {"answer": "更换主板排线"}, **HTMX)

    assert answer.status_code == 200
    case.refresh_from_db()
    assert case.status == "answered" and case.answered_by == engineer
    assert Event.objects.filter(action="escalation_answered", note="更换主板排线").exists()


def test_an_empty_answer_is_refused_on_the_field(client, clerk):
    ticket = a_request(clerk)
    services.ticket_act(ticket=ticket, by=clerk, action="escalate", note="问题")
    client.force_login(make_staff("chenj", "tech_center"))
    case = EscalationCase.objects.get()

    answer = client.post(f"/escalations/{case.pk}/answer/", {"answer": "  "}, **HTMX)

    assert answer.status_code == 422
    assert answer.context["form"].errors["answer"] == [zh("Write the answer.")]
    case.refresh_from_db()
    assert case.status == "open"


# Handover -------------------------------------------------------------------------------------


def test_the_handover_page_moves_the_leaving_persons_requests(client, clerk, center):
    colleague = make_staff("wangf", "hotline", center)
    first, second = a_request(clerk), a_request(clerk)
    client.force_login(make_staff("boss", "admin"))

    answer = client.post(
        "/staff/handover/", {"leaving": clerk.username, "to": colleague.username}, follow=True
    )

    assert answer.status_code == 200
    with translation.override("zh-hans"):
        moved = translation.ngettext(
            "%(count)d request moved from %(from)s to %(to)s.",
            "%(count)d requests moved from %(from)s to %(to)s.",
            2,
        )
    assert moved % {"count": 2, "from": "lixy", "to": "wangf"} in answer.text
    assert {t.owner for t in Ticket.objects.filter(pk__in=[first.pk, second.pk])} == {colleague}
    clerk.refresh_from_db()
    assert clerk.is_active is False


def test_the_handover_page_is_refused_to_a_hotline_agent(clerk_client, clerk, center):
    colleague = make_staff("wangf", "hotline", center)
    ticket = a_request(colleague)

    assert clerk_client.get("/staff/handover/").status_code == 403
    answer = clerk_client.post("/staff/handover/", {"leaving": "wangf", "to": "lixy"})

    assert answer.status_code == 403
    ticket.refresh_from_db()
    assert ticket.owner == colleague
