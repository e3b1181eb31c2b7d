"""Demo data, the workshop: fee standards, parts and their stock, loaners, and carry-in jobs at
the Shenzhen desk."""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.catalog.models import ProductModel, Unit
from aftersales.dispatch.models import ServiceCenter
from aftersales.tickets.services import ticket_create
from aftersales.workorders.models import FeeItem, FeeStandard, Loaner, Part, PartStock, WorkOrder
from aftersales.workorders.services import work_order_act, work_order_create

FEE_ITEMS = [
    # (kind, code, description, price, from km, below km)
    ("inspection", "inspection", "检测费（客户不维修时收取）", "0.00", None, None),
    ("labor", "LAB-1", "一般维修（拆装、清洁、紧固）", "50.00", None, None),
    ("labor", "LAB-2", "主板级维修", "120.00", None, None),
    ("labor", "LAB-3", "更换屏幕总成", "80.00", None, None),
    ("visit", "VISIT-10", "上门费（10 公里内）", "30.00", "0", "10"),
    ("visit", "VISIT-30", "上门费（10–30 公里）", "50.00", "10", "30"),
    ("visit", "VISIT-FAR", "上门费（30 公里以上）", "80.00", "30", None),
]
PARTS = [
    # (part code, name, list price) for every phone model
    ("LCD", "屏幕总成", "420.00"),
    ("BAT", "电池", "129.00"),
    ("USB", "尾插小板", "45.00"),
    ("SPK", "听筒", "35.00"),
]
LOANERS = [
    ("LOAN-SZ-01", "备用机 启明 A12", "sz-branch"),
    ("LOAN-SZ-02", "备用机 启明 A12", "sz-branch"),
    ("LOAN-GZ-01", "备用机 星河 P50", "gz-repair"),
]


def load_workshop() -> None:
    """Fee standards, parts and stock, loaners, and a few jobs at the Shenzhen desk, made through
    the services so each has its timeline (idempotent: only when no work order exists)."""
    company, _ = FeeStandard.objects.get_or_create(
        code="company", version=1, defaults={"name": "公司收费标准"}
    )
    for kind, code, description, price, low, high in FEE_ITEMS:
        FeeItem.objects.get_or_create(
            standard=company,
            code=code,
            defaults={
                "kind": kind,
                "description": description,
                "price": Decimal(price),
                "min_km": Decimal(low) if low else None,
                "max_km": Decimal(high) if high else None,
            },
        )
    shenzhen = ServiceCenter.objects.get(code="sz-branch")
    local, _ = FeeStandard.objects.get_or_create(
        code="sz-branch", version=1, defaults={"name": "深圳网点收费标准", "center": shenzhen}
    )
    # The local standard prices the screen job higher: the lower (company) price applies.
    FeeItem.objects.get_or_create(
        standard=local,
        code="LAB-3",
        defaults={"kind": "labor", "description": "更换屏幕总成", "price": Decimal("100.00")},
    )
    for model in ProductModel.objects.filter(category__code="mobile_phone"):
        for code, name, price in PARTS:
            part, _ = Part.objects.get_or_create(
                model=model, code=code, defaults={"name": name, "price": Decimal(price)}
            )
            for center in ServiceCenter.objects.filter(code__in=["sz-branch", "gz-repair"]):
                PartStock.objects.get_or_create(
                    center=center,
                    part=part,
                    holder=None,
                    defaults={"on_hand": 0 if code == "LCD" else 5},
                )
    for serial, description, center_code in LOANERS:
        Loaner.objects.get_or_create(
            serial=serial,
            defaults={
                "description": description,
                "center": ServiceCenter.objects.get(code=center_code),
            },
        )
    if WorkOrder.objects.exists():
        return
    desk = User.objects.get(username="frontdesk")
    inspection = {
        "appearance": "外观完好，背面轻微划痕",
        "accessories": ["充电器"],
        "liquid_indicator": "intact",
        "seal_intact": True,
        "serial_matches": True,
    }
    phones = Unit.objects.filter(model__category__code="mobile_phone").order_by("-id")[:2]
    for step, unit in zip(("received", "awaiting_parts"), phones, strict=True):
        ticket = ticket_create(
            by=desk,
            kind="repair",
            channel="walk_in",
            summary="屏幕碎裂，显示异常" if step == "awaiting_parts" else "充电很慢，偶尔自动关机",
            customer_id=unit.customer_id,
            serial=unit.serial,
            center="sz-branch",
        )
        job = work_order_create(ticket=ticket, by=desk, mode="carry_in", technician="tech04")
        work_order_act(
            work_order=job,
            by=desk,
            action="receive",
            inspection=inspection,
            agreement_signed=True,
            voucher="valid",
            brought_by="end_user",
        )
        if step == "awaiting_parts":
            job.refresh_from_db()
            for remedy in ("free_repair", "paid_repair"):
                if remedy in job.remedies and len(job.remedies) > 1:
                    work_order_act(work_order=job, by=desk, action="choose_remedy", remedy=remedy)
                    break
            work_order_act(work_order=job, by=desk, action="start_diagnosis")
            work_order_act(
                work_order=job,
                by=desk,
                action="wait_parts",
                parts=[{"code": "LCD", "qty": 1}],
                expected_date=(timezone.localdate() + timedelta(days=3)).isoformat(),
            )
