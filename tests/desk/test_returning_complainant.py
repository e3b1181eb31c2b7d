"""The intake screen tells the agent that the caller complained before (seed: a returning
complainant gets better reception): how often, and their last complaint."""

import pytest

from aftersales.desk import services
from tests.factories import CenterFactory, CustomerFactory, make_staff
from tests.visible import visible_text

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def handler(center):  # type: ignore[no-untyped-def]
    return make_staff("sunm", "complaints", center)


def complaint_of(customer, by, summary):  # type: ignore[no-untyped-def]
    return services.request_create(
        by=by, kind="complaint", channel="hotline", summary=summary, customer_id=customer.pk
    )


def caller_panel(client, phone):  # type: ignore[no-untyped-def]
    return client.get("/requests/new/customer/", {"phone": phone}, **HTMX).content.decode()


def test_a_caller_who_complained_twice_is_flagged_with_the_last_complaint(client, center, handler):
    customer = CustomerFactory(name="王女士", phone="+8613800138000")
    complaint_of(customer, handler, "工程师迟到")
    last = complaint_of(customer, handler, "承诺的差价没有退")
    client.force_login(make_staff("lixy", "hotline", center))

    panel = caller_panel(client, "138 0013 8000")

    assert "曾投诉 2 次" in visible_text(panel)
    assert f"最近一次投诉： {last.number}" in visible_text(panel)
    assert f'href="/requests/{last.number}/"' in panel


def test_a_caller_who_never_complained_has_no_flag(client, center):
    CustomerFactory(name="张伟", phone="+8613900139000")
    client.force_login(make_staff("lixy", "hotline", center))

    panel = caller_panel(client, "13900139000")

    assert "张伟" in panel and "曾投诉" not in panel and "data-complained" not in panel


def test_a_complaint_at_another_center_still_counts_but_is_not_linked(client, handler):
    customer = CustomerFactory(name="王女士", phone="+8613800138000")
    last = complaint_of(customer, handler, "工程师迟到")
    client.force_login(make_staff("chenf", "front_desk", CenterFactory(code="sz")))

    panel = caller_panel(client, "13800138000")

    assert "曾投诉 1 次" in visible_text(panel) and last.number in panel
    assert f'href="/requests/{last.number}/"' not in panel  # not theirs to open
