"""Factories for test data: each builds a valid object with as little said as possible."""

from datetime import datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from aftersales.catalog.models import Category, ProductModel, Unit
from aftersales.customers.models import Customer
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.services import staff_upsert

PASSWORD = "Gr4nite-Lantern-58"  # passes every password validator for any persona's name


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCenter
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"center-{n}")
    name = factory.Sequence(lambda n: f"服务中心{n}")
    kind = ServiceCenter.Kind.BRANCH
    regions = factory.LazyFunction(lambda: ["440000"])


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"客户{n}")
    phone = factory.Sequence(lambda n: f"+86138{n:08d}")
    region = "440106"
    address = "广州市天河区天河路 1 号"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = "mobile_phone"
    name = "手机"


class ProductModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductModel

    code = factory.Sequence(lambda n: f"XH-{n:03d}")
    name = factory.Sequence(lambda n: f"星河 {n}")
    brand = "星河"
    category = factory.SubFactory(CategoryFactory)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    serial = factory.Sequence(lambda n: f"86000000{n:07d}")
    model = factory.SubFactory(ProductModelFactory)
    customer = factory.SubFactory(CustomerFactory)
    # Bought a month before "today" (whatever the clock says): inside the free-repair period,
    # past the 7- and 15-day windows.
    purchase_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    invoice_date = factory.LazyAttribute(lambda unit: unit.purchase_date)


def make_staff(username: str, role: str, center: ServiceCenter | None = None):  # type: ignore[no-untyped-def]
    """A staff user with one role (and a center), through the same service as `aftersales adduser`."""
    return staff_upsert(
        username=username, role=role, password=PASSWORD, center_code=center.code if center else None
    )


def make_plain_user(username: str = "nobody"):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    return user


def make_technician(username: str, center: ServiceCenter, skills=("mobile_phone",), **profile):  # type: ignore[no-untyped-def]
    """A technician with a dispatch profile (skills, area, capacity, calendar)."""
    from aftersales.dispatch.models import TechnicianProfile

    user = make_staff(username, "technician", center)
    TechnicianProfile.objects.filter(user=user).update(skills=list(skills), **profile)
    return user


def repair_request(by, customer: Customer | None = None, summary: str = "洗衣机不脱水"):  # type: ignore[no-untyped-def]
    """A repair request taken by `by` on the hotline, on a fresh unit of `customer` (or of a
    new customer)."""
    from aftersales.tickets.services import ticket_create

    unit = UnitFactory(customer=customer or CustomerFactory())
    return ticket_create(
        by=by,
        kind="repair",
        channel="hotline",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary=summary,
    )


def on_site_job(  # type: ignore[no-untyped-def]
    by,
    *,
    technician=None,
    booked_at: datetime | None = None,
    booked_by=None,
    customer: str = "张伟",
    region: str = "440106",
    days_ago: int = 40,
    model_name: str | None = None,
    summary: str = "屏幕不亮",
    priority: str = "normal",
    **customer_fields,
):
    """An on-site job opened through the services, as the hotline (`by`) opens one: a phone of
    customer `customer` in `region` (more fields of theirs in `customer_fields`), bought and
    invoiced `days_ago` days ago (40: a free repair under 三包; 400 and more: out of warranty),
    a request with `summary` and `priority`, and the job on it. With `technician`: assigned to
    them; with `booked_at` as well: a two-hour window from then, booked by `booked_by` (default
    `by`) — a window already begun is booked for tomorrow and moved back, as if booked earlier
    (the service refuses windows in the past)."""
    from aftersales.tickets.services import ticket_create
    from aftersales.workorders.models import WorkOrder
    from aftersales.workorders.services import work_order_act, work_order_create

    bought = timezone.localdate() - timedelta(days=days_ago)
    model = {"name": model_name} if model_name else {}
    unit = UnitFactory(
        model=ProductModelFactory(category=CategoryFactory(code="mobile_phone"), **model),
        customer=CustomerFactory(name=customer, region=region, **customer_fields),
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
    )
    ticket = ticket_create(
        by=by,
        kind="repair",
        channel="hotline",
        customer_id=unit.customer_id,
        serial=unit.serial,
        summary=summary,
        priority=priority,
    )
    wo = work_order_create(
        ticket=ticket,
        by=by,
        mode="on_site",
        technician=technician.username if technician else None,
    )
    if booked_at is None:
        return wo
    start = booked_at if booked_at > timezone.now() else timezone.now() + timedelta(days=1)
    end = start + timedelta(hours=2)
    work_order_act(work_order=wo, by=booked_by or by, action="schedule", start=start, end=end)
    if start != booked_at:
        WorkOrder.objects.filter(pk=wo.pk).update(
            appointment_start=booked_at, appointment_end=booked_at + timedelta(hours=2)
        )
    return WorkOrder.objects.get(pk=wo.pk)
