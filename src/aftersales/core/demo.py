"""Demo data: a small, realistic Chinese service network. Idempotent: run it as often as you like."""

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from aftersales.catalog.models import ProductModel, Unit
from aftersales.catalog.services import category_ensure
from aftersales.core.models import BusinessCalendar
from aftersales.customers.models import Customer
from aftersales.customers.rules import normalize_phone
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.services import staff_upsert

DEMO_PASSWORD = "demo1234"

CALENDARS = [
    (
        "office",
        "办公时间（周一至周五）",
        {d: [["09:00", "12:00"], ["13:30", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")},
    ),
    (
        "service-6d",
        "服务网点（周一至周六，午休）",
        {
            d: [["08:30", "12:00"], ["13:30", "17:30"]]
            for d in ("mon", "tue", "wed", "thu", "fri", "sat")
        },
    ),
    (
        "split-shift",
        "维修中心（两班制）",
        {
            d: [["08:00", "12:00"], ["14:00", "20:00"]]
            for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        },
    ),
]

CENTERS = [
    (
        "sh-tech",
        "上海技术中心",
        ServiceCenter.Kind.TECHNICAL_CENTER,
        ["310000"],
        "上海市浦东新区张江路 88 号",
        "office",
    ),
    (
        "gz-repair",
        "广州维修中心",
        ServiceCenter.Kind.REPAIR_CENTER,
        ["440100", "440000"],
        "广州市天河区体育西路 120 号",
        "split-shift",
    ),
    (
        "sz-branch",
        "深圳南山服务网点",
        ServiceCenter.Kind.BRANCH,
        ["440305"],
        "深圳市南山区科技园南路 6 号",
        "service-6d",
    ),
]

# One user per role: (username, role, center, name)
STAFF = [
    ("admin", "admin", None, "系统管理员"),
    ("hotline", "hotline", None, "李晓燕"),
    ("dispatcher", "dispatcher", "gz-repair", "陈志强"),
    ("frontdesk", "front_desk", "sz-branch", "王丽"),
    ("techcenter", "tech_center", "sh-tech", "赵工"),
    ("complaints", "complaints", None, "孙敏"),
    ("manager", "branch_manager", "sz-branch", "周建国"),
    ("finance", "finance", None, "吴静"),
    ("archive", "archive", None, "郑芳"),
]
TECHNICIANS = [
    ("tech01", "gz-repair", "刘师傅"),
    ("tech02", "gz-repair", "黄师傅"),
    ("tech03", "gz-repair", "何师傅"),
    ("tech04", "sz-branch", "林师傅"),
    ("tech05", "sz-branch", "郭师傅"),
    ("tech06", "sz-branch", "马师傅"),
    ("tech07", "sh-tech", "罗师傅"),
    ("tech08", "sh-tech", "梁师傅"),
]

CATEGORIES = [("mobile_phone", "手机"), ("air_compressor", "空气压缩机"), ("flooring", "地板")]
MODELS = [
    ("XH-P50", "星河 P50", "星河", "mobile_phone", Decimal("2999.00")),
    ("XH-P50-PRO", "星河 P50 Pro", "星河", "mobile_phone", Decimal("4299.00")),
    ("QM-A12", "启明 A12", "启明", "mobile_phone", Decimal("1499.00")),
    ("JF-37A", "劲风 JF-37A 螺杆空压机", "劲风", "air_compressor", Decimal("38600.00")),
    ("JF-11V", "劲风 JF-11V 变频空压机", "劲风", "air_compressor", Decimal("16800.00")),
    ("SM-E1", "森木 E1 强化复合地板（100㎡）", "森木", "flooring", Decimal("12800.00")),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕晓东俊峰雪梅文博子涵浩然欣怡宇轩"
DISTRICTS = [
    ("310115", "上海市浦东新区", ["世纪大道", "张杨路", "陆家嘴环路", "川沙路"]),
    ("310104", "上海市徐汇区", ["漕溪北路", "天钥桥路", "衡山路"]),
    ("440106", "广州市天河区", ["天河路", "中山大道西", "黄埔大道"]),
    ("440104", "广州市越秀区", ["北京路", "环市东路", "东风中路"]),
    ("440305", "深圳市南山区", ["科技园南路", "南海大道", "后海大道"]),
    ("440304", "深圳市福田区", ["深南大道", "福华路"]),
]
COMPANIES = [
    "华南精工机械有限公司",
    "浦江纺织有限公司",
    "越秀食品厂",
    "南山电子科技有限公司",
    "天河建材有限公司",
    "申城印刷有限公司",
    "珠江包装制品厂",
    "鹏城精密模具有限公司",
]
MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "152",
    "158",
    "159",
    "177",
    "180",
    "186",
    "188",
    "189",
    "199",
]
SELLERS = [
    "星河官方旗舰店",
    "苏宁电器天河店",
    "国美浦东店",
    "劲风工业设备华南经销部",
    "森木地板体验馆",
]


def _imei(rng: random.Random) -> str:
    """A 15-digit IMEI with a valid Luhn check digit."""
    body = "86" + "".join(str(rng.randrange(10)) for _ in range(12))
    total = 0
    for i, ch in enumerate(body):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _customer_rows(rng: random.Random, count: int) -> list[dict[str, str]]:
    rows, phones = [], set()
    for i in range(count):
        region, city, streets = rng.choice(DISTRICTS)
        while True:
            phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
            if phone not in phones:
                phones.add(phone)
                break
        is_org = i % 12 == 0
        name = (
            COMPANIES[(i // 12) % len(COMPANIES)]
            if is_org
            else rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        )
        rows.append(
            {
                "kind": "organization" if is_org else "person",
                "name": name,
                "phone": normalize_phone(phone),
                "contact_person": (rng.choice(SURNAMES) + "经理") if is_org else "",
                "address": f"{city}{rng.choice(streets)}{rng.randrange(1, 999)}号",
                "region": region,
            }
        )
    return rows


@transaction.atomic
def load_demo(customers: int = 200, units: int = 300) -> list[tuple[str, str, str]]:
    """Load (or top up) the demo network and return the demo logins (username, role, center)."""
    rng = random.Random(20261123)  # fixed seed: the same names and numbers on every machine
    calendars = {}
    for code, name, hours in CALENDARS:
        calendars[code], _ = BusinessCalendar.objects.update_or_create(
            code=code, defaults={"name": name, "weekly_hours": hours}
        )
    for code, name, kind, regions, address, calendar in CENTERS:
        ServiceCenter.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "regions": regions,
                "address": address,
                "calendar": calendars[calendar],
            },
        )
    logins = []
    for username, role, center, name in STAFF:
        staff_upsert(
            username=username, role=role, password=DEMO_PASSWORD, center_code=center, name=name
        )
        logins.append((username, role, center or ""))
    for username, center, name in TECHNICIANS:
        staff_upsert(
            username=username,
            role="technician",
            password=DEMO_PASSWORD,
            center_code=center,
            name=name,
        )
        logins.append((username, "technician", center))

    categories = {code: category_ensure(code=code, name=name) for code, name in CATEGORIES}
    models = []
    for code, name, brand, category, price in MODELS:
        model, _ = ProductModel.objects.get_or_create(
            code=code, defaults={"name": name, "brand": brand, "category": categories[category]}
        )
        models.append((model, price))

    people = []
    for row in _customer_rows(rng, customers):
        customer, _ = Customer.objects.get_or_create(phone=row["phone"], defaults=row)
        people.append(customer)

    today = timezone.localdate()
    for i in range(units):
        model, price = models[i % len(models)]
        owner = people[rng.randrange(len(people))]
        # Mostly older units, some bought in the last days (return/exchange windows), some long expired.
        age = rng.choice(
            [
                rng.randrange(0, 7),
                rng.randrange(7, 16),
                rng.randrange(16, 365),
                rng.randrange(365, 1100),
            ]
        )
        bought = today - timedelta(days=age)
        is_phone = model.category.code == "mobile_phone"
        serial = _imei(rng) if is_phone else f"{model.code.replace('-', '')}{bought:%y%m}{i:05d}"
        Unit.objects.get_or_create(
            serial=serial,
            defaults={
                "model": model,
                "customer": owner,
                "purchase_date": bought,
                "invoice_date": bought,
                "invoice_no": f"{rng.randrange(10**7, 10**8)}",
                "seller": rng.choice(SELLERS),
                "price": price,
                "manufacture_date": bought - timedelta(days=rng.randrange(20, 120)),
                "activation_date": bought if is_phone else None,
            },
        )
    _demo_requests(rng)
    _demo_workshop()
    _demo_field()
    _demo_complaints()
    return logins


def _demo_complaints() -> None:
    """Complaints at each point a handler meets them (Shenzhen, so its manager sees them): a web
    complaint to screen, one acknowledged with a promise, and one whose refund awaits approval."""
    from django.contrib.auth.models import User

    from aftersales.complaints.models import Complaint
    from aftersales.tickets.services import ticket_act, ticket_create

    if Complaint.objects.filter(ticket__center__code="sz-branch").exists():
        return
    handler = User.objects.get(username="complaints")
    customers = list(Customer.objects.order_by("id")[40:43])
    stories = [
        ("web", "网上投诉：客服电话一直打不通", "staff_service", "希望有人回电", []),
        ("hotline", "工程师上门迟到两小时且未提前告知", "staff_service", "要求道歉", ["tech04"]),
        ("hotline", "购机时承诺的差价至今未退", "product", "退还差价 300 元", []),
    ]
    made = []
    for customer, (channel, summary, category, wish, staff) in zip(customers, stories, strict=True):
        made.append(
            ticket_create(
                by=handler,
                kind="complaint",
                channel=channel,
                summary=summary,
                customer_id=customer.pk,
                center="sz-branch",
                category=category,
                wish=wish,
                staff=staff,
                priority="high",
            )
        )
    late, refund = made[1], made[2]
    ticket_act(ticket=late, by=handler, action="acknowledge", note="已致电客户致歉，三日内答复")
    ticket_act(ticket=refund, by=handler, action="acknowledge", note="已记录，核实销售承诺")
    ticket_act(
        ticket=refund,
        by=handler,
        action="investigate",
        findings="门店销售确有书面承诺",
        responsibility="ours",
    )
    ticket_act(
        ticket=refund,
        by=handler,
        action="propose",
        plan="退还承诺差价并致歉",
        compensation=[{"kind": "refund", "value": "300.00"}, {"kind": "apology", "value": ""}],
    )


DEMO_REQUESTS = [
    # (kind, channel, summary, how far it got)
    ("repair", "hotline", "手机不开机，充电也没反应", "new"),
    ("repair", "walk_in", "屏幕有竖线，触摸失灵", "in_progress"),
    ("repair", "hotline", "通话时对方听不到声音", "escalated"),
    ("consultation", "hotline", "如何关闭勿扰模式", "remote_guidance"),
    ("consultation", "web", "空压机保养周期是多久", "new"),
    ("installation", "hotline", "新购空压机需要上门安装调试", "in_progress"),
    ("booking", "web", "预约周六上门检查地板起拱", "new"),
    ("complaint", "hotline", "维修超过一个月仍未取回手机", "new"),
    ("repair", "walk_in", "电池鼓包，续航很短", "resolved"),
    ("repair", "hotline", "空压机排气压力不足", "new"),
]


def _demo_requests(rng: random.Random) -> None:
    """A few requests in every state, made through the services so each has its timeline."""
    from django.contrib.auth.models import User

    from aftersales.tickets.models import Ticket
    from aftersales.tickets.services import ticket_act, ticket_create

    if Ticket.objects.exists():
        return
    hotline = User.objects.get(username="hotline")
    desk = User.objects.get(username="frontdesk")
    units = list(Unit.objects.select_related("customer", "model__category").order_by("id"))
    for i, (kind, channel, summary, state) in enumerate(DEMO_REQUESTS):
        by = desk if channel == "walk_in" else hotline
        unit = next(
            u
            for u in units[i * 7 :]
            if (u.model.category.code == "air_compressor") == ("空压机" in summary)
            and (u.model.category.code == "flooring") == ("地板" in summary)
        )
        ticket = ticket_create(
            by=by,
            kind=kind,
            channel=channel,
            summary=summary,
            customer_id=unit.customer_id,
            serial=unit.serial if kind in ("repair", "installation", "booking") else None,
            priority="high" if kind == "complaint" else "normal",
        )
        if state == "in_progress":
            ticket_act(ticket=ticket, by=by, action="start", note="已联系客户，约定处理方式")
        elif state == "escalated":
            ticket_act(
                ticket=ticket, by=by, action="escalate", note="已排除 SIM 卡问题，疑似主板故障"
            )
        elif state == "remote_guidance":
            ticket_act(
                ticket=ticket,
                by=by,
                action="resolve",
                resolution="remote_guidance",
                note="电话指导客户关闭勿扰模式",
            )
        elif state == "resolved":
            ticket_act(ticket=ticket, by=by, action="start")
            ticket_act(
                ticket=ticket,
                by=by,
                action="resolve",
                resolution="answered",
                note="已为客户更换电池",
            )


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


def _demo_workshop() -> None:
    """Fee standards, parts and stock, loaners, and a few jobs at the Shenzhen desk, made through
    the services so each has its timeline (idempotent: only when no work order exists)."""
    from django.contrib.auth.models import User

    from aftersales.tickets.services import ticket_create
    from aftersales.workorders.models import (
        FeeItem,
        FeeStandard,
        Loaner,
        Part,
        PartStock,
        WorkOrder,
    )
    from aftersales.workorders.services import work_order_act, work_order_create

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
            work_order=job, by=desk, action="receive", inspection=inspection, agreement_signed=True
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


# Technicians' skills and own areas (empty: their center's regions).
TECHNICIAN_PROFILES = {
    "tech01": (["mobile_phone", "air_compressor"], ["440106"]),
    "tech02": (["mobile_phone", "air_compressor"], ["440104"]),
    "tech03": (["air_compressor", "flooring"], []),
    "tech04": (["mobile_phone"], []),
    "tech05": (["mobile_phone"], []),
    "tech06": (["mobile_phone"], []),
    "tech07": (["mobile_phone", "air_compressor", "flooring"], []),
    "tech08": (["mobile_phone", "air_compressor", "flooring"], []),
}


def _demo_field() -> None:
    """Dispatch: skills and areas, a leave, van stock, Nanshan assigning automatically, and
    on-site visits booked from the next opening hour on (plus one waiting for dispatch)."""
    from django.contrib.auth.models import User

    from aftersales.core.rules import next_opening
    from aftersales.dispatch.models import Leave, TechnicianProfile
    from aftersales.dispatch.selectors import calendar_of
    from aftersales.tickets.services import ticket_create
    from aftersales.workorders.models import Part, PartStock, WorkOrder
    from aftersales.workorders.services import work_order_act, work_order_create

    for username, (skills, regions) in TECHNICIAN_PROFILES.items():
        TechnicianProfile.objects.filter(user__username=username).update(
            skills=skills, regions=regions
        )
    branch = ServiceCenter.objects.get(code="sz-branch")
    ServiceCenter.objects.filter(pk=branch.pk).update(auto_assign=True)
    opening = next_opening(timezone.now() + timedelta(hours=1), calendar_of(branch))
    opening = opening.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    tech04, tech06 = (User.objects.get(username=u) for u in ("tech04", "tech06"))
    if not Leave.objects.filter(technician=tech06).exists():
        # From today to two days past the day the visits are booked: a holiday in between
        # (the Spring Festival) must not let the visits land after the leave.
        last_day = timezone.localdate(opening) + timedelta(days=2)
        Leave.objects.create(
            technician=tech06, first_day=timezone.localdate(), last_day=last_day, reason="年假"
        )
    for part in Part.objects.filter(code__in=["BAT", "USB"]):
        PartStock.objects.get_or_create(
            center=branch, part=part, holder=tech04, defaults={"on_hand": 2}
        )
    if WorkOrder.objects.filter(mode="on_site").exists():
        return
    hotline, dispatcher = (User.objects.get(username=u) for u in ("hotline", "dispatcher"))
    phones = Unit.objects.filter(model__category__code="mobile_phone").order_by("id")
    nanshan = list(phones.filter(customer__region="440305")[:3])
    tianhe = list(phones.filter(customer__region="440106")[:1])
    for i, unit in enumerate(nanshan + tianhe):
        ticket = ticket_create(
            by=hotline,
            kind="repair",
            channel="hotline",
            summary="上门维修：手机无法充电" if i % 2 else "上门维修：屏幕闪烁",
            customer_id=unit.customer_id,
            serial=unit.serial,
        )
        job = work_order_create(ticket=ticket, by=hotline, mode="on_site")
        if job.technician is None:
            continue  # Tianhe: gz-repair dispatches by hand, the job waits on the board
        start = opening + timedelta(hours=2 * i)
        work_order_act(
            work_order=job,
            by=dispatcher,
            action="schedule",
            start=start.isoformat(),
            end=(start + timedelta(hours=2)).isoformat(),
        )


def print_logins(
    logins: list[tuple[str, str, str]], write: Callable[[str], object] = print
) -> None:
    write(f"演示账号 Demo logins (password / 密码: {DEMO_PASSWORD}):")
    for username, role, center in logins:
        write(f"  {username:<12} {role:<15} {center}")
