"""December 2026 at the Guangzhou center, lived through the real services, moment by moment, so
that every figure of the reports can be counted by hand (the counts are written in the tests).

The requests (SLA: answer within 2 hours, resolve within 48, around the clock):
- before December: T7 (11-25) and T8 (11-26) with on-site jobs J2 and J3, T6 (11-27) with the
  carry-in job J4, T0 (11-28) with the carry-in job J0 on the phone U0;
- in December: T1 (12-02, on U0 again: its job J1 is a repeat of J0), T2 (12-03, a
  consultation answered late, resolved in time, reopened and resolved again late), T3 (12-05, a
  web complaint nobody answered), T5 (12-06, cancelled), T4 (12-15 11:00, an hour before now,
  its answer not due yet); and in Shenzhen TS (12-07).
The clock stands at 2026-12-15 12:00 (the tests' own); the default period is 12-01..12-15.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from aftersales.catalog.models import ProductModel, Unit
from aftersales.followups.models import FollowUp
from aftersales.followups.services import followup_complete, followup_rate_from_web
from aftersales.tickets.models import SlaPolicy, Ticket
from aftersales.tickets.services import ticket_act, ticket_create
from aftersales.workorders.models import Part, WorkOrder
from aftersales.workorders.services import work_order_act, work_order_create
from tests.factories import (
    CategoryFactory,
    CenterFactory,
    CustomerFactory,
    ProductModelFactory,
    UnitFactory,
    make_staff,
)
from tests.workorders.conftest import INSPECTION

TZ = ZoneInfo("Asia/Shanghai")
NOW = "2026-12-15T12:00:00+08:00"  # each test module lives at it: pytest.mark.clock(NOW)


def at(month: int, day: int, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@dataclass
class December:
    admin: object
    tech: object  # 张师傅, home center gz: J0, J2, J3
    li: object  # 李师傅, home center gz: J1, J4
    wang: object  # 王师傅, home center gz: nothing this month
    tickets: dict[str, str]  # T0… → number
    jobs: dict[str, str]  # J0… → number


def phone(model: ProductModel, days_ago: int) -> Unit:
    """A phone of `model` bought `days_ago` days before today (1000: out of warranty, paid)."""
    from django.utils import timezone

    bought = timezone.localdate() - timedelta(days=days_ago)
    return UnitFactory(
        model=model,
        customer=CustomerFactory(),
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
    )


def request(
    by, moment: datetime, *, unit: Unit | None = None, center: str = "gz", **fields
) -> Ticket:  # type: ignore[no-untyped-def]
    """A request taken at `moment` (a repair by phone on `unit` unless `fields` say otherwise)."""
    body = {"kind": "repair", "channel": "hotline", "summary": "不开机", **fields}
    customer = unit.customer_id if unit is not None else CustomerFactory().pk
    with time_machine.travel(moment, tick=False):
        return ticket_create(
            by=by,
            customer_id=customer,
            serial=unit.serial if unit is not None else None,
            center=center,
            **body,
        )


def act(by, number: str, action: str, **payload) -> WorkOrder:  # type: ignore[no-untyped-def]
    wo = WorkOrder.objects.get(number=number)
    return work_order_act(work_order=wo, by=by, action=action, **payload)


def quote(price: str) -> list[dict[str, object]]:
    return [{"kind": "labor", "description": "维修", "qty": 1, "unit_price": price}]


def paying(amount: str) -> dict[str, str]:
    return {"amount": amount, "method": "cash", "receipt_no": f"R-{amount}"}


NO_SIGNATURE = "客户口头确认"


def survey_of(number: str) -> FollowUp:
    return FollowUp.objects.get(work_order__number=number, kind="satisfaction_survey")


@pytest.fixture
def december(db, center) -> December:  # type: ignore[no-untyped-def]
    CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    SlaPolicy.objects.all().delete()
    SlaPolicy.objects.create(
        respond_amount=2, respond_unit="hours", resolve_amount=48, resolve_unit="hours"
    )
    with time_machine.travel(at(11, 20, "09:00"), tick=False):
        admin = make_staff("boss", "admin", center)
        tech = make_staff("zhang", "technician", center)
        li = make_staff("li", "technician", center)
        wang = make_staff("wang", "technician", center)
        make_staff("zhao", "technician", CenterFactory(code="sz"))
        for user, name in ((tech, "张师傅"), (li, "李师傅"), (wang, "王师傅")):
            user.last_name = name
            user.save(update_fields=["last_name"])
        phones = CategoryFactory(code="mobile_phone")
        m1 = ProductModelFactory(code="XH-A", category=phones)
        m2 = ProductModelFactory(code="XH-B", category=phones)
        m4 = ProductModelFactory(code="XH-C", category=phones)
        Part.objects.create(model=m1, code="LCD", name="屏幕", price=Decimal("300.00"))
        Part.objects.create(model=m2, code="BOARD-A", name="主板", price=Decimal("500.00"))
        Part.objects.create(model=m2, code="FLEX", name="排线", price=Decimal("50.00"))
        u0, u2, u3 = phone(m1, 1000), phone(m2, 1000), phone(m2, 1000)
        phone(m2, 1000)  # a third XH-B registered, never repaired
        u4 = phone(m4, 100)  # in warranty: a free job
    t, j = {}, {}

    # J2 and J3: on-site jobs of 张师傅 booked in November for December.
    t["T7"] = request(admin, at(11, 25, "09:00"), unit=u2).number
    with time_machine.travel(at(11, 25, "09:00"), tick=False):
        wo = work_order_create(
            ticket=Ticket.objects.get(number=t["T7"]), by=admin, mode="on_site", technician="zhang"
        )
        j["J2"] = wo.number
        act(admin, wo.number, "schedule", start=at(12, 8, "10:00"), end=at(12, 8, "12:00"))
    t["T8"] = request(admin, at(11, 26, "09:00"), unit=u3).number
    with time_machine.travel(at(11, 26, "09:00"), tick=False):
        wo = work_order_create(
            ticket=Ticket.objects.get(number=t["T8"]), by=admin, mode="on_site", technician="zhang"
        )
        j["J3"] = wo.number
        act(admin, wo.number, "schedule", start=at(12, 10, "10:00"), end=at(12, 10, "12:00"))
    t["T6"] = request(admin, at(11, 27, "09:00"), unit=u4).number

    # J0: 张师傅 repairs U0 at the desk (paid), handed over on 12-01.
    t["T0"] = request(admin, at(11, 28, "09:00"), unit=u0).number
    with time_machine.travel(at(11, 28, "09:00"), tick=False):
        wo = work_order_create(
            ticket=Ticket.objects.get(number=t["T0"]), by=admin, mode="carry_in", technician="zhang"
        )
        j["J0"] = n = wo.number
        act(admin, n, "receive", inspection=INSPECTION, agreement_signed=True)
        act(admin, n, "start_diagnosis")
        act(admin, n, "diagnose", findings="屏幕排线断裂", fault_code="SCREEN")
        act(admin, n, "quote", lines=quote("280.00"))
        act(admin, n, "approve_quote")
        act(admin, n, "complete_repair", actions_taken="更换排线")
        act(admin, n, "qc_pass", checks=["屏幕"])
    with time_machine.travel(at(12, 1, "09:00"), tick=False):  # the customer asks for later
        act(
            admin,
            j["J3"],
            "schedule",
            start=at(12, 10, "14:00"),
            end=at(12, 10, "16:00"),
            reason="customer_request",
        )
    with time_machine.travel(at(12, 1, "10:00"), tick=False):
        act(
            admin,
            j["J0"],
            "hand_over",
            rating=5,
            payment=paying("280.00"),
            no_signature_reason=NO_SIGNATURE,
        )

    # T1: U0 again, the same fault: J1 (李师傅) is a repeat of J0 — free, one QC fail.
    t["T1"] = request(admin, at(12, 2, "09:00"), unit=u0).number
    with time_machine.travel(at(12, 2, "09:30"), tick=False):
        wo = work_order_create(
            ticket=Ticket.objects.get(number=t["T1"]), by=admin, mode="carry_in", technician="li"
        )
        j["J1"] = n = wo.number
        assert wo.repeat_repair
        act(admin, n, "receive", inspection=INSPECTION, agreement_signed=True)
        act(admin, n, "start_diagnosis")
        act(admin, n, "diagnose", findings="屏幕再次不亮", fault_code="SCREEN")
        act(admin, n, "start_repair")
        act(admin, n, "complete_repair", actions_taken="更换屏幕", parts_used=[{"code": "LCD"}])
        act(admin, n, "qc_fail", reason="触控失灵")
        act(admin, n, "complete_repair", actions_taken="重新装配")
        act(admin, n, "qc_pass", checks=["屏幕", "触控"])

    # T2: a consultation, answered late (12:00 > 11:00), resolved in time, reopened, resolved again.
    t["T2"] = request(admin, at(12, 3, "09:00"), kind="consultation", summary="如何备份").number
    with time_machine.travel(at(12, 3, "12:00"), tick=False):
        ticket_act(
            ticket=Ticket.objects.get(number=t["T2"]),
            by=admin,
            action="note",
            fields={"note": "已回电", "customer_visible": True},
        )
    with time_machine.travel(at(12, 3, "15:20"), tick=False):
        act(admin, j["J1"], "hand_over", rating=3, no_signature_reason=NO_SIGNATURE)
    with time_machine.travel(at(12, 4, "09:00"), tick=False):
        ticket_act(
            ticket=Ticket.objects.get(number=t["T2"]),
            by=admin,
            action="resolve",
            fields={"resolution": "answered"},
        )
    with time_machine.travel(at(12, 4, "09:30"), tick=False):  # J4: 李师傅, T6's phone
        wo = work_order_create(
            ticket=Ticket.objects.get(number=t["T6"]), by=admin, mode="carry_in", technician="li"
        )
        j["J4"] = n = wo.number
        act(admin, n, "receive", inspection=INSPECTION, agreement_signed=True)
        act(admin, n, "start_diagnosis")
        act(admin, n, "diagnose", findings="WIFI 时断时续", fault_code="WIFI")
    with time_machine.travel(at(12, 4, "11:00"), tick=False):  # not a satisfaction score
        callback = FollowUp.objects.get(ticket__number=t["T2"], kind="consultation_callback")
        followup_complete(followup=callback, by=admin, reached=True, satisfied=True, score=1)

    t["T3"] = request(
        admin, at(12, 5, "09:00"), kind="complaint", channel="web", summary="维修太慢"
    ).number
    with time_machine.travel(at(12, 5, "10:00"), tick=False):
        ticket_act(
            ticket=Ticket.objects.get(number=t["T2"]),
            by=admin,
            action="reopen",
            fields={"note": "还是不会"},
        )
    with time_machine.travel(at(12, 5, "11:00"), tick=False):  # J1's survey by phone: 4
        followup_complete(
            followup=survey_of(j["J1"]), by=admin, reached=True, satisfied=True, score=4
        )
    t["T5"] = request(admin, at(12, 6, "09:00")).number
    with time_machine.travel(at(12, 6, "09:10"), tick=False):
        ticket_act(
            ticket=Ticket.objects.get(number=t["T5"]),
            by=admin,
            action="cancel",
            fields={"reason": "客户自行解决"},
        )
    t["TS"] = request(admin, at(12, 7, "09:00"), center="sz").number

    # J2: arrives on time (10:30 in 10–12), lacks a part, comes back late (16:30 > 16:00).
    with time_machine.travel(at(12, 8, "10:30"), tick=False):
        n = j["J2"]
        act(admin, n, "depart")
        act(admin, n, "arrive")
        act(admin, n, "start_diagnosis")
        act(admin, n, "diagnose", findings="主板损坏", fault_code="BOARD")
        act(admin, n, "quote", lines=quote("280.00"))
        act(admin, n, "approve_quote")
        act(admin, n, "visit_incomplete", reason="parts_missing")
    with time_machine.travel(at(12, 8, "11:00"), tick=False):
        act(admin, n, "schedule", start=at(12, 9, "14:00"), end=at(12, 9, "16:00"))
    with time_machine.travel(at(12, 9, "16:30"), tick=False):
        act(admin, n, "depart")
        act(admin, n, "arrive")
        act(
            admin,
            n,
            "complete_repair",
            actions_taken="更换主板和排线",
            parts_used=[{"code": "BOARD-A"}, {"code": "FLEX"}],
        )
        act(admin, n, "qc_pass", checks=["开机"])
    with time_machine.travel(at(12, 9, "17:00"), tick=False):
        act(
            admin,
            n,
            "hand_over",
            rating=5,
            payment=paying("280.00"),
            no_signature_reason=NO_SIGNATURE,
        )

    with time_machine.travel(at(12, 10, "10:00"), tick=False):  # T2's second resolution, late
        ticket_act(
            ticket=Ticket.objects.get(number=t["T2"]),
            by=admin,
            action="resolve",
            fields={"resolution": "answered"},
        )
    # J3: on time in the moved window; diagnosed twice (the last: BOARD); 20.00 waived.
    with time_machine.travel(at(12, 10, "14:30"), tick=False):
        n = j["J3"]
        act(admin, n, "depart")
        act(admin, n, "arrive")
        act(admin, n, "start_diagnosis")
        act(admin, n, "diagnose", findings="不开机", fault_code="POWER")
        act(admin, n, "diagnose", findings="主板短路", fault_code="BOARD")
        act(admin, n, "quote", lines=quote("300.00"))
        act(admin, n, "approve_quote")
        act(admin, n, "waive", amount="20.00", reason="老客户")
        act(admin, n, "complete_repair", actions_taken="更换主板", parts_used=[{"code": "BOARD-A"}])
        act(admin, n, "qc_pass", checks=["开机"])
    with time_machine.travel(at(12, 10, "16:00"), tick=False):  # the customer declines to rate
        act(admin, n, "hand_over", payment=paying("280.00"), no_signature_reason=NO_SIGNATURE)

    with time_machine.travel(at(12, 11, "10:00"), tick=False):  # J4: no fault found, rated 1
        act(admin, j["J4"], "no_fault_found", findings="复测正常")
        act(admin, j["J4"], "hand_over", rating=1, no_signature_reason=NO_SIGNATURE)
    with time_machine.travel(at(12, 12, "10:00"), tick=False):  # T8 rated 5 on the portal
        followup_rate_from_web(ticket=Ticket.objects.get(number=t["T8"]), score=5)

    t["T4"] = request(admin, at(12, 15, "11:00"), channel="walk_in").number
    return December(admin=admin, tech=tech, li=li, wang=wang, tickets=t, jobs=j)
