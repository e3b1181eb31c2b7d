"""Whom a complaint concerns is picked by name: typing 张 offers 张伟 with his role and center,
and the complaint records his username."""

from aftersales.complaints.models import Complaint
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.services import staff_upsert
from tests.factories import make_staff


def named(username, role, center, name):  # type: ignore[no-untyped-def]
    return staff_upsert(username=username, role=role, center_code=center.code, name=name)


def test_typing_a_name_offers_the_person_with_role_and_center(client, center):
    client.force_login(make_staff("lixy", "hotline", center))
    named("zhangw", "technician", center, "张伟")

    answer = client.get("/people/", {"q": "张伟"})

    assert 'data-value="张伟 (zhangw)"' in answer.text
    assert "张伟 · " in answer.text and center.name in answer.text


def test_a_person_picked_by_name_is_recorded_by_username(client, center):
    client.force_login(make_staff("lixy", "hotline", center))
    named("zhangw", "technician", center, "张伟")
    other = ServiceCenter.objects.create(code="sz", name="深圳服务网点", kind="branch")
    named("lij", "front_desk", other, "李娟")

    answer = client.post(
        "/requests/new/",
        {
            "phone": "138 0013 8000",
            "name": "王女士",
            "kind": "complaint",
            "channel": "hotline",
            "priority": "normal",
            "summary": "工程师迟到两小时",
            "category": "staff_service",
            "wish": "要求道歉",
            "staff": "张伟 (zhangw)，李娟 (lij)，",
            "damage": "none",
            "step": "create",
        },
    )

    assert answer.status_code == 302
    staff = Complaint.objects.get().staff.order_by("username")
    assert [p.username for p in staff] == ["lij", "zhangw"]
