"""Demo data, cases: service requests in every state and complaints at each stage, made through
the services so each has its timeline."""

from django.contrib.auth.models import User

from aftersales.catalog.models import Unit
from aftersales.complaints.models import Complaint
from aftersales.customers.models import Customer
from aftersales.desk.services import request_act, request_create
from aftersales.tickets.models import Ticket

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


def load_requests() -> None:
    """A few requests in every state, made through the services so each has its timeline."""
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
        ticket = request_create(
            by=by,
            kind=kind,
            channel=channel,
            summary=summary,
            customer_id=unit.customer_id,
            serial=unit.serial if kind in ("repair", "installation", "booking") else None,
            priority="high" if kind == "complaint" else "normal",
        )
        if state == "in_progress":
            request_act(ticket=ticket, by=by, action="start", note="已联系客户，约定处理方式")
        elif state == "escalated":
            request_act(
                ticket=ticket, by=by, action="escalate", note="已排除 SIM 卡问题，疑似主板故障"
            )
        elif state == "remote_guidance":
            request_act(
                ticket=ticket,
                by=by,
                action="resolve",
                resolution="remote_guidance",
                note="电话指导客户关闭勿扰模式",
            )
        elif state == "resolved":
            request_act(ticket=ticket, by=by, action="start")
            request_act(
                ticket=ticket,
                by=by,
                action="resolve",
                resolution="answered",
                note="已为客户更换电池",
            )


def load_complaints() -> None:
    """Complaints at each point a handler meets them (Shenzhen, so its manager sees them): a web
    complaint to screen, one acknowledged with a promise, and one whose refund awaits approval."""
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
            request_create(
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
    request_act(ticket=late, by=handler, action="acknowledge", note="已致电客户致歉，三日内答复")
    request_act(ticket=refund, by=handler, action="acknowledge", note="已记录，核实销售承诺")
    request_act(
        ticket=refund,
        by=handler,
        action="investigate",
        findings="门店销售确有书面承诺",
        responsibility="ours",
    )
    request_act(
        ticket=refund,
        by=handler,
        action="propose",
        plan="退还承诺差价并致歉",
        compensation=[{"kind": "refund", "value": "300.00"}, {"kind": "apology", "value": ""}],
    )
