"""Taking requests from every channel and working them through the API."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.tickets.models import Ticket
from tests.factories import (
    CategoryFactory,
    CenterFactory,
    CustomerFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
)


def repair_for(unit, **extra):  # type: ignore[no-untyped-def]
    return {
        "kind": "repair",
        "channel": "hotline",
        "customer_id": unit.customer_id,
        "serial": unit.serial,
        "summary": "手机不开机",
        **extra,
    }


def test_a_hotline_repair_is_numbered_owned_timed_and_decided(api_as):
    today = timezone.localdate()
    phone = ProductModelFactory(category=CategoryFactory(code="mobile_phone"))
    unit = UnitFactory(
        model=phone,
        purchase_date=today - timedelta(days=5),
        invoice_date=None,
        price=Decimal("2999.00"),
    )

    answer = api_as("hotline", "lixy").post("/tickets", repair_for(unit))

    assert answer.status_code == 201
    ticket = answer.json()
    assert ticket["number"].startswith("SR") and len(ticket["number"]) == 12
    assert ticket["status"] == "new" and ticket["owner"] == "lixy"
    assert ticket["sla"]["respond_by"] and ticket["sla"]["resolve_by"]
    assert ticket["escalated"] is False
    assert ticket["warranty"]["remedies"] == ["refund", "exchange", "free_repair"]
    assert (
        ticket["events"][0]["action"] == "created"
        and ticket["events"][0]["customer_visible"] is True
    )


def test_an_inline_customer_whose_phone_is_on_file_attaches_and_overwrites_nothing(api_as):
    known = CustomerFactory(name="张伟", phone="+8613800138000", address="原地址")

    answer = api_as("hotline").post(
        "/tickets",
        {
            "kind": "consultation",
            "channel": "hotline",
            "summary": "怎么设置来电铃声",
            "customer": {"name": "张先生", "phone": "138 0013 8000", "address": "新地址"},
        },
    )

    assert answer.json()["customer"]["id"] == known.id
    known.refresh_from_db()
    assert (known.name, known.address) == ("张伟", "原地址")


def test_a_new_inline_customer_is_registered_and_missing_facts_are_flagged(api_as):
    answer = api_as("hotline").post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "walk_in",
            "summary": "屏幕不亮",
            "customer": {"name": "李娜", "phone": "13900139000"},
        },
    )

    body = answer.json()
    assert answer.status_code == 201 and body["customer"]["phone"] == "+8613900139000"
    assert set(body["missing_facts"]) >= {"address", "region", "serial"}


def test_the_center_is_the_given_one_else_the_creators_else_the_one_serving_the_region(api_as):
    sz = CenterFactory(code="sz", regions=["440305"])
    CenterFactory(code="gz", regions=["440100"])
    customer = CustomerFactory(region="440305")
    body = {
        "kind": "consultation",
        "channel": "hotline",
        "summary": "咨询",
        "customer_id": customer.id,
    }

    assert api_as("hotline", "h1", at_center=None).post("/tickets", body).json()["center"] == "sz"
    assert (
        api_as("front_desk", "d1", at_center=CenterFactory(code="sh", regions=["310000"]))
        .post("/tickets", body)
        .json()["center"]
        == "sh"
    )
    assert (
        api_as("hotline", "h2", at_center=None)
        .post("/tickets", {**body, "center": "gz"})
        .json()["center"]
        == "gz"
    )
    assert sz.tickets.count() == 1


def test_retrying_an_intake_with_the_same_idempotency_key_creates_one_request(api_as):
    hotline = api_as("hotline")
    body = {
        "kind": "consultation",
        "channel": "hotline",
        "summary": "咨询",
        "customer_id": CustomerFactory().id,
    }

    first = hotline.post("/tickets", body, headers={"Idempotency-Key": "call-0815"})
    retry = hotline.post("/tickets", body, headers={"Idempotency-Key": "call-0815"})

    assert first.status_code == retry.status_code == 201
    assert retry.json()["number"] == first.json()["number"]
    assert Ticket.objects.count() == 1


def test_bad_intake_is_422_naming_the_field(api_as):
    hotline = api_as("hotline")
    customer = CustomerFactory()
    base = {"kind": "repair", "channel": "hotline", "summary": "不开机", "customer_id": customer.id}

    for field, change in {
        "kind": {"kind": "party"},
        "channel": {"channel": "pigeon"},
        "priority": {"priority": "asap"},
        "serial": {"serial": "NOPE"},
        "summary": {"summary": "  "},
        "customer_id": {"customer_id": 999999},
        "customer.phone": {"customer_id": None, "customer": {"name": "王", "phone": "12"}},
    }.items():
        answer = hotline.post("/tickets", {**base, **change})
        assert answer.status_code == 422, (field, answer.json())
        assert field in answer.json()["error"]["details"], (field, answer.json())
    assert Ticket.objects.count() == 0


def test_who_may_take_and_see_requests(api_as, center):
    other_center = CenterFactory(code="far", regions=["310000"])
    customer = CustomerFactory()
    body = {
        "kind": "repair",
        "channel": "hotline",
        "summary": "不开机",
        "customer_id": customer.id,
        "center": "far",
    }
    number = api_as("hotline").post("/tickets", body).json()["number"]

    assert api_as("technician").post("/tickets", body).status_code == 403
    assert api_as("dispatcher").post("/tickets", body).status_code == 403
    assert api_as("archive").get(f"/tickets/{number}").status_code == 200
    # A front desk of another center does not learn that the request exists.
    assert (
        api_as("front_desk", "desk-gz", at_center=center).get(f"/tickets/{number}").status_code
        == 404
    )
    assert (
        api_as("front_desk", "desk-far", at_center=other_center)
        .get(f"/tickets/{number}")
        .status_code
        == 200
    )
    assert api_as("hotline").get("/tickets/SR0000000000").status_code == 404
    assert Ticket.objects.count() == 1


def test_first_staff_contact_stops_the_response_clock(api_as):
    hotline = api_as("hotline")
    number = hotline.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "hotline",
            "summary": "不开机",
            "customer_id": CustomerFactory().id,
        },
    ).json()["number"]

    internal = hotline.post(
        f"/tickets/{number}/actions", {"action": "note", "note": "内部备注"}
    ).json()
    reached = hotline.post(
        f"/tickets/{number}/actions", {"action": "start", "note": "已联系客户"}
    ).json()

    assert internal["sla"]["responded_at"] is None
    assert reached["sla"]["responded_at"] is not None


def test_phone_guidance_resolves_and_schedules_the_2_hour_callback(api_as):
    hotline = api_as("hotline", "lixy")
    number = hotline.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "hotline",
            "summary": "误操作导致静音",
            "customer_id": CustomerFactory().id,
        },
    ).json()["number"]

    body = hotline.post(
        f"/tickets/{number}/actions",
        {"action": "resolve", "resolution": "remote_guidance", "note": "指导客户关闭勿扰模式"},
    ).json()

    assert body["status"] == "resolved" and body["resolution"] == "remote_guidance"
    callback = FollowUp.objects.get(ticket__number=number)
    assert callback.kind == "consultation_callback" and callback.owner.username == "lixy"
    listed = hotline.get("/followups", ticket=number, status="open").json()["items"]
    assert [f["kind"] for f in listed] == ["consultation_callback"]


def test_owner_handover_is_explicit_and_recorded(api_as):
    make_staff("wangli", "hotline")
    hotline = api_as("hotline", "lixy")
    number = hotline.post(
        "/tickets",
        {
            "kind": "consultation",
            "channel": "hotline",
            "summary": "咨询",
            "customer_id": CustomerFactory().id,
        },
    ).json()["number"]

    body = hotline.post(
        f"/tickets/{number}/actions", {"action": "assign_owner", "owner": "wangli"}
    ).json()
    nobody = hotline.post(
        f"/tickets/{number}/actions", {"action": "assign_owner", "owner": "ghost"}
    )

    assert body["owner"] == "wangli"
    assert body["events"][-1]["action"] == "assign_owner" and body["events"][-1]["actor"] == "lixy"
    assert nobody.status_code == 422 and "owner" in nobody.json()["error"]["details"]


def test_a_leaving_persons_open_requests_go_to_a_colleague_in_one_step(api_as):
    leaving = api_as("hotline", "leaving")
    make_staff("stays", "hotline")
    customer = CustomerFactory()
    body = {
        "kind": "consultation",
        "channel": "hotline",
        "summary": "咨询",
        "customer_id": customer.id,
    }
    open_numbers = [leaving.post("/tickets", body).json()["number"] for _ in range(2)]
    done = leaving.post("/tickets", body).json()["number"]
    leaving.post(f"/tickets/{done}/actions", {"action": "resolve", "resolution": "answered"})

    answer = api_as("admin", "boss").post("/users/leaving/handover", {"to": "stays"})

    assert answer.status_code == 200 and answer.json() == {"requests": 2, "work_orders": 0}
    assert set(
        Ticket.objects.filter(owner__username="stays").values_list("number", flat=True)
    ) == set(open_numbers)
    assert Ticket.objects.get(number=done).owner.username == "leaving"
    assert Event.objects.filter(action="assign_owner", actor__username="boss").count() == 2
    assert leaving.get("/tickets").status_code == 401  # deactivated: the token stops working


def test_only_admins_and_branch_managers_hand_over(api_as):
    make_staff("leaving", "hotline")
    make_staff("stays", "hotline")

    assert api_as("hotline").post("/users/leaving/handover", {"to": "stays"}).status_code == 403
    assert api_as("admin").post("/users/ghost/handover", {"to": "stays"}).status_code == 404


def test_escalation_reaches_the_technical_center_and_its_answer_returns(api_as):
    hotline = api_as("hotline", "lixy")
    number = hotline.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "hotline",
            "summary": "反复死机",
            "customer_id": CustomerFactory().id,
        },
    ).json()["number"]
    escalated = hotline.post(
        f"/tickets/{number}/actions", {"action": "escalate", "note": "刷机后仍死机"}
    ).json()
    engineer = api_as("tech_center", "zhaogong")

    queue = engineer.get("/escalations", status="open").json()["items"]
    answered = engineer.post(f"/escalations/{queue[0]['id']}/answer", {"answer": "更换主板"})
    again = engineer.post(f"/escalations/{queue[0]['id']}/answer", {"answer": "再答一次"})

    assert escalated["escalated"] is True and escalated["status"] == "new"
    assert [c["ticket"] for c in queue] == [number] and queue[0]["facts"]["summary"] == "反复死机"
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert again.status_code == 409
    timeline = hotline.get(f"/tickets/{number}").json()["events"]
    assert [e["action"] for e in timeline][-2:] == ["escalate", "escalation_answered"]
    assert hotline.get("/tickets", escalated="true").json()["items"][0]["number"] == number
    assert hotline.post(f"/escalations/{queue[0]['id']}/answer", {"answer": "x"}).status_code in (
        403,
        409,
    )


def test_lists_filter_and_search_by_number_phone_serial_and_name(api_as):
    hotline = api_as("hotline", "lixy")
    zhang = CustomerFactory(name="张伟", phone="+8613800138000")
    unit = UnitFactory(customer=zhang, serial="861234567890123")
    first = hotline.post("/tickets", repair_for(unit)).json()["number"]
    hotline.post(
        "/tickets",
        {
            "kind": "consultation",
            "channel": "web",
            "summary": "咨询",
            "customer_id": CustomerFactory(name="李娜").id,
        },
    )

    def numbers(**params):  # type: ignore[no-untyped-def]
        return [t["number"] for t in hotline.get("/tickets", **params).json()["items"]]

    for q in (first, "138 0013 8000", "861234567890123", "张"):
        assert numbers(q=q) == [first], q
    assert numbers(kind="repair") == [first]
    assert len(numbers(owner="lixy")) == 2
    assert numbers(status="resolved") == []


def test_owner_and_center_filters_find_exactly_their_requests(api_as, center):
    elsewhere = CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    hotline = api_as("hotline", "lixy")
    colleague = api_as("hotline", "wangf")

    def take(client, at):  # type: ignore[no-untyped-def]
        body = {"kind": "consultation", "channel": "hotline", "summary": "咨询", "center": at}
        return client.post("/tickets", {**body, "customer_id": CustomerFactory().id}).json()

    mine_here, mine_there = take(hotline, "gz"), take(hotline, "sz")
    theirs_here = take(colleague, "gz")
    hotline.post(f"/tickets/{mine_there['number']}/actions", {"action": "start"})

    def numbers(**params):  # type: ignore[no-untyped-def]
        return [t["number"] for t in hotline.get("/tickets", **params).json()["items"]]

    assert numbers(owner="lixy") == [mine_there["number"], mine_here["number"]]
    assert numbers(owner="wangf") == [theirs_here["number"]]
    assert numbers(center="gz") == [theirs_here["number"], mine_here["number"]]
    assert numbers(center=elsewhere.code, owner="lixy") == [mine_there["number"]]
    assert numbers(owner="lixy", status="in_progress") == [mine_there["number"]]
    assert numbers(owner="lixy", center="gz", status="new") == [mine_here["number"]]
    assert numbers(owner="nobody-by-this-name") == []
    assert numbers(center="no-such-center") == []


def test_the_decision_kept_at_intake_is_the_one_the_desk_saw(db):
    from aftersales.tickets.services import ticket_create

    today = timezone.localdate()
    hotline = make_staff("lixy", "hotline")
    unit = UnitFactory(
        model=ProductModelFactory(category=CategoryFactory(code="mobile_phone")),
        purchase_date=today - timedelta(days=5),
        invoice_date=None,
    )

    ticket = ticket_create(
        by=hotline,
        kind="repair",
        channel="hotline",
        summary="进水不开机",
        customer_id=unit.customer_id,
        serial=unit.serial,
        warranty_facts={"performance_fault": True, "damage_kind": "liquid"},
    )

    assert ticket.warranty["remedies"] == ["paid_repair"]


def test_a_unit_registered_before_its_new_owner_joins_the_requests_customer(db):
    from aftersales.tickets.services import ticket_create

    hotline = make_staff("lixy", "hotline")
    unit = UnitFactory(customer=None)

    ticket = ticket_create(
        by=hotline,
        kind="repair",
        channel="walk_in",
        summary="不开机",
        serial=unit.serial,
        customer={"name": "新客户", "phone": "13700137000"},
    )

    unit.refresh_from_db()
    assert unit.customer_id == ticket.customer_id


def test_a_desk_that_takes_a_request_for_another_center_still_sees_it(api_as, center):
    """First-ask responsibility: its owner follows the request they took, wherever it went."""
    CenterFactory(code="far", regions=["310000"])
    desk = api_as("front_desk", "desk-gz", at_center=center)
    body = {
        "kind": "repair",
        "channel": "walk_in",
        "summary": "不开机",
        "customer_id": CustomerFactory().id,
        "center": "far",
    }
    taken = desk.post("/tickets", body)
    assert taken.status_code == 201 and taken.json()["owner"] == "desk-gz"
    number = taken.json()["number"]

    assert desk.get(f"/tickets/{number}").status_code == 200
    assert number in [t["number"] for t in desk.get("/tickets").json()["items"]]
    # Another desk of the first center owns nothing there and sees nothing of it.
    colleague = api_as("front_desk", "desk-gz-2", at_center=center)
    assert colleague.get(f"/tickets/{number}").status_code == 404
