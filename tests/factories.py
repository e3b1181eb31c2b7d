"""Factories for test data: each builds a valid object with as little said as possible."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from aftersales.catalog.models import Category, ProductModel, Unit
from aftersales.customers.models import Customer
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.services import staff_upsert

PASSWORD = "secret-pass-1"


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
    purchase_date = date(2026, 11, 2)
    invoice_date = date(2026, 11, 2)


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
