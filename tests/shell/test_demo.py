"""`aftersales demo`: the demo data, loaded once however often it runs."""

from django.contrib.auth.models import User
from django.core.management import call_command

from aftersales.catalog.models import Category, Unit
from aftersales.core.roles import ROLES, role_of
from aftersales.customers.models import Customer
from aftersales.dispatch.models import ServiceCenter


def test_demo_data_loads_once_however_often_it_runs(db):
    call_command("demo")
    call_command("demo")

    assert ServiceCenter.objects.count() == 3
    assert Customer.objects.count() == 200
    assert Unit.objects.count() == 300
    assert User.objects.filter(groups__name="technician").count() == 8
    assert {role_of(u) for u in User.objects.all()} == set(ROLES)
    assert set(Category.objects.values_list("code", flat=True)) >= {
        "mobile_phone",
        "air_compressor",
        "flooring",
    }
    assert Unit.objects.values("purchase_date").distinct().count() > 100  # varied purchase dates


def test_the_demo_has_field_visits_booked_and_one_waiting_for_dispatch(db):
    from aftersales.workorders.models import WorkOrder

    call_command("demo")
    call_command("demo")

    on_site = WorkOrder.objects.filter(mode="on_site")
    booked = on_site.filter(status="scheduled")
    assert booked.count() == 3
    assert set(booked.values_list("center__code", flat=True)) == {"sz-branch"}  # auto-assigned
    assert "tech06" not in set(booked.values_list("technician__username", flat=True))  # on leave
    assert on_site.filter(status="created", technician=None).count() == 1


def test_the_demo_has_complaints_to_screen_promised_and_awaiting_approval(db):
    from aftersales.complaints.models import Complaint

    call_command("demo")
    call_command("demo")

    shenzhen = Complaint.objects.filter(ticket__center__code="sz-branch")
    assert shenzhen.count() == 3
    assert shenzhen.filter(ticket__channel="web", stage="received").count() == 1
    assert shenzhen.filter(stage="acknowledged", promised_by__isnull=False).count() == 1
    waiting = shenzhen.get(stage="proposed").compensations.filter(approved_at=None)
    assert [c.kind for c in waiting if c.awaiting_approval] == ["refund"]
