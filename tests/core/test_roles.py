"""Roles as groups."""

from django.contrib.auth.models import Group

from aftersales.core.roles import ROLES


def test_every_role_is_a_group_with_its_permissions(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
    hotline = Group.objects.get(name="hotline")
    technician = Group.objects.get(name="technician")

    assert hotline.permissions.filter(codename="add_customer").exists()
    assert not technician.permissions.filter(codename="add_customer").exists()
    assert technician.permissions.filter(codename="view_unit").exists()


def test_each_role_holds_the_master_data_the_apps_declare(db):
    def held(role: str) -> set[str]:
        group = Group.objects.get(name=role)
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }

    reads = {
        "customers.view_customer",
        "catalog.view_category",
        "catalog.view_faultcode",
        "catalog.view_productmodel",
        "catalog.view_unit",
        "dispatch.view_servicecenter",
        "warranty.view_policy",
        "warranty.view_policycategory",
        "warranty.view_policypart",
        "warranty.view_performancefault",
        "warranty.view_policyversion",
    }
    writes = {
        "customers.add_customer",
        "customers.change_customer",
        "catalog.add_unit",
        "catalog.change_unit",
    }
    assert held("hotline") == held("front_desk") == reads | writes
    for role in ("dispatcher", "technician", "tech_center", "complaints", "branch_manager"):
        assert held(role) == reads, role
    assert held("finance") == held("archive") == reads
    assert held("admin") == set()  # a superuser: every permission
