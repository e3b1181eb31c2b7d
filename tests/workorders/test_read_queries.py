"""Reading work orders costs the same few statements however long the page, and however long a
job's quote, parts list, visits and timeline: the API's list (each filter), a job through the
API, the job page and the list page (issue 17: reads at a million work orders)."""

import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from aftersales.core.models import Event
from aftersales.workorders.models import (
    Loan,
    Loaner,
    PartRequest,
    QuoteLine,
    Visit,
    WorkOrder,
)
from tests.factories import make_staff, make_technician, on_site_job
from tests.queries import statements
from tests.words import zh_html as zh


def a_busy_job(by, technician, *, lines: int = 1, loaner: bool = True) -> WorkOrder:  # type: ignore[no-untyped-def]
    """An on-site job with `lines` quote lines, part requests, visits and timeline notes, and a
    loaner out with the customer."""
    wo = on_site_job(by, technician=technician)
    for i in range(lines):
        QuoteLine.objects.create(
            work_order=wo, kind="labor", description=f"工时{i}", unit_price=Decimal("50.00")
        )
        PartRequest.objects.create(work_order=wo, code=f"P-{i}", state="ordered")
        Visit.objects.create(work_order=wo, number=i + 1, technician=technician)
        Event.objects.create(
            content_type=ContentType.objects.get_for_model(WorkOrder),
            object_id=wo.pk,
            actor=by,
            action="schedule",
            note=f"改约{i}",
            data={"work_order": wo.number, "previous": "2026-01-01T10:00", "reason": "customer"},
        )
    if loaner:
        spare = Loaner.objects.create(
            serial=f"L-{wo.number}", description="备用机", center=wo.center
        )
        Loan.objects.create(work_order=wo, loaner=spare)
    return wo


@pytest.fixture
def hotline(db, center):  # type: ignore[no-untyped-def]
    return make_staff("hl", "hotline", center)


@pytest.fixture
def tech(db, center):  # type: ignore[no-untyped-def]
    return make_technician("tech1", center)


def test_a_page_of_fifty_work_orders_costs_what_a_page_of_five_does(hotline, tech, center, api_as):  # type: ignore[no-untyped-def]
    for i in range(51):
        a_busy_job(hotline, tech, lines=1 + i % 3, loaner=i % 2 == 0)
    dispatcher = api_as("dispatcher")

    for filters in (
        {},
        {"status": "assigned"},
        {"technician": tech.username},
        {"center": center.code},
        {"mode": "on_site"},
    ):
        five, _answer = statements(dispatcher.get, "/work-orders", limit=5, **filters)
        fifty, answer = statements(dispatcher.get, "/work-orders", limit=50, **filters)

        assert len(answer.json()["items"]) == 50, filters
        assert fifty == five, filters


def test_the_list_answers_each_job_with_its_own_lines_parts_visits_and_loaner(
    hotline, tech, api_as
):  # type: ignore[no-untyped-def]
    long = a_busy_job(hotline, tech, lines=3)
    short = a_busy_job(hotline, tech, lines=1, loaner=False)

    items = {j["number"]: j for j in api_as("dispatcher").get("/work-orders").json()["items"]}

    assert [line["description"] for line in items[long.number]["quote"]["lines"]] == [
        "工时0",
        "工时1",
        "工时2",
    ]
    assert [p["code"] for p in items[long.number]["parts"]] == ["P-0", "P-1", "P-2"]
    assert [v["number"] for v in items[long.number]["visits"]] == [1, 2, 3]
    assert items[long.number]["loaner"]["serial"] == f"L-{long.number}"
    assert len(items[short.number]["quote"]["lines"]) == 1
    assert items[short.number]["loaner"] is None


def test_a_job_costs_the_same_however_long_its_quote_parts_visits_and_timeline(
    hotline, tech, api_as
):  # type: ignore[no-untyped-def]
    short = a_busy_job(hotline, tech, lines=1)
    long = a_busy_job(hotline, tech, lines=8)
    dispatcher = api_as("dispatcher")

    one, _answer = statements(dispatcher.get, f"/work-orders/{short.number}")
    eight, answer = statements(dispatcher.get, f"/work-orders/{long.number}")

    assert len(answer.json()["quote"]["lines"]) == 8 and len(answer.json()["reschedules"]) == 8
    assert eight == one


def test_the_job_page_costs_the_same_however_long_the_job(hotline, tech, client):  # type: ignore[no-untyped-def]
    short = a_busy_job(hotline, tech, lines=1)
    long = a_busy_job(hotline, tech, lines=8)
    client.force_login(hotline)

    one, _page = statements(client.get, f"/work-orders/{short.number}/")
    eight, page = statements(client.get, f"/work-orders/{long.number}/")

    assert "工时7" in page.content.decode()
    assert eight == one


def test_the_work_order_list_page_costs_the_same_for_fifty_rows_as_for_five(hotline, tech, client):  # type: ignore[no-untyped-def]
    for _ in range(5):
        a_busy_job(hotline, tech)
    client.force_login(hotline)
    five, _page = statements(client.get, "/work-orders/")

    for _ in range(45):
        a_busy_job(hotline, tech)
    fifty, page = statements(client.get, "/work-orders/")

    assert page.content.decode().count('href="/work-orders/WO') == 50
    assert fifty == five


def test_the_work_order_list_page_goes_back_in_time_page_by_page(hotline, tech, client):  # type: ignore[no-untyped-def]
    jobs = [on_site_job(hotline, technician=tech) for _ in range(52)]
    client.force_login(hotline)

    first = client.get("/work-orders/").content.decode()
    assert jobs[-1].number in first and jobs[2].number in first and jobs[1].number not in first
    older = re.search(r'href="\?cursor=([\w-]+)"', first)
    assert older is not None and zh("Older") in first and zh("Newest") not in first

    second = client.get("/work-orders/", {"cursor": older.group(1)}).content.decode()
    assert jobs[1].number in second and jobs[0].number in second and jobs[2].number not in second
    assert zh("Newest") in second and 'href="?cursor=' not in second
    assert client.get("/work-orders/", {"cursor": "not-ours"}).status_code == 400
