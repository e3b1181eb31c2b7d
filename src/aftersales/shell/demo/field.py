"""Demo data, the field: technicians' skills and areas, a leave, van stock, and on-site visits."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.catalog.models import Unit
from aftersales.core.rules import next_opening
from aftersales.dispatch.models import Leave, ServiceCenter, TechnicianProfile
from aftersales.dispatch.selectors import calendar_of
from aftersales.tickets.services import ticket_create
from aftersales.workorders.models import Part, PartStock, WorkOrder
from aftersales.workorders.services import work_order_act, work_order_create

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


def load_field() -> None:
    """Dispatch: skills and areas, a leave, van stock, Nanshan assigning automatically, and
    on-site visits booked from the next opening hour on (plus one waiting for dispatch)."""
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
