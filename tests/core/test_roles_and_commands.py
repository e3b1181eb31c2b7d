"""Roles as groups, `aftersales adduser` and `aftersales demo`."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from aftersales.catalog.models import Category, Unit
from aftersales.core.roles import ROLES, role_of
from aftersales.customers.models import Customer
from aftersales.dispatch.models import ServiceCenter
from tests.factories import CenterFactory


def test_every_role_is_a_group_with_its_permissions(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
    hotline = Group.objects.get(name="hotline")
    technician = Group.objects.get(name="technician")

    assert hotline.permissions.filter(codename="add_customer").exists()
    assert not technician.permissions.filter(codename="add_customer").exists()
    assert technician.permissions.filter(codename="view_unit").exists()


def test_adduser_creates_a_staff_user_with_one_role_and_a_center(db):
    CenterFactory(code="sz-branch")

    call_command(
        "adduser",
        "wangli",
        "--role",
        "front_desk",
        "--password",
        "pw-123456",
        "--center",
        "sz-branch",
    )
    call_command("adduser", "wangli", "--role", "branch_manager", "--password", "pw-123456")

    user = User.objects.get(username="wangli")
    assert role_of(user) == "branch_manager"
    assert user.check_password("pw-123456")
    assert user.staff_profile.center.code == "sz-branch"  # kept when --center is not given


def test_adduser_refuses_an_unknown_center(db):
    with pytest.raises(CommandError, match="nowhere"):
        call_command(
            "adduser", "wangli", "--role", "front_desk", "--password", "pw", "--center", "nowhere"
        )
    assert not User.objects.filter(username="wangli").exists()


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
