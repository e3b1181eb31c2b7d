"""People are picked by name on the request page: the new owner and the technician of a work
order opened there are chosen from lists of names with role and center; the forms keep the
usernames."""

from aftersales.dispatch.services import staff_upsert
from aftersales.tickets.services import ticket_create
from aftersales.workorders.models import WorkOrder
from tests.factories import CenterFactory, CustomerFactory, make_staff
from tests.words import zh


def named(username, role, center, name):  # type: ignore[no-untyped-def]
    return staff_upsert(username=username, role=role, center_code=center.code, name=name)


def a_request(by):  # type: ignore[no-untyped-def]
    return ticket_create(
        by=by,
        kind="repair",
        channel="hotline",
        summary="屏幕闪烁",
        customer_id=CustomerFactory().pk,
    )


def test_the_new_owner_is_chosen_by_name_role_and_center(client, center):
    clerk = named("lixy", "hotline", center, "李晓燕")
    named("wangl", "front_desk", center, "王丽")
    client.force_login(clerk)
    ticket = a_request(clerk)

    page = client.get(f"/requests/{ticket.number}/")

    label = f"王丽 · {zh('Front desk')} · {center.name}"
    assert f'<option value="wangl">{label}</option>' in page.text


def test_a_work_order_goes_to_a_technician_picked_by_name(client, center):
    clerk = make_staff("lixy", "hotline", center)
    named("tech01", "technician", center, "赵强")
    elsewhere = CenterFactory(code="sz", name="深圳服务网点")
    named("tech09", "technician", elsewhere, "钱多")
    client.force_login(clerk)
    ticket = a_request(clerk)

    page = client.get(f"/requests/{ticket.number}/")
    opened = client.post(
        f"/work-orders/open/{ticket.number}/", {"mode": "carry_in", "technician": "tech01"}
    )

    assert f'<option value="tech01">赵强 · {zh("Technician")} · {center.name}</option>' in page.text
    assert "tech09" not in page.text  # another center's technician is not offered
    assert opened.status_code == 302
    assert WorkOrder.objects.get().technician.username == "tech01"
