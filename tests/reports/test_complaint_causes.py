"""Lessons from complaints as a report: the complaints resolved in a period by root cause ×
responsibility, with their corrective actions open, overdue and done, against a hand count.

The complaints (each worked through the real services on its day):
- C1 gz, resolved 12-02, ours, lesson "parts" due 12-10, still open: overdue on 12-15;
- C2 gz, resolved 12-03, ours, lesson "parts" due 12-20, open;
- C3 gz, resolved 12-04, the customer's, lesson "customer_use" due 12-05, done on 12-05;
- C4 gz, resolved 12-05, unclear, no lesson yet;
- C5 gz, resolved 11-28 (November), ours, lesson "delay" due 12-01, open;
- C6 gz, proposed, not resolved: not counted;
- C7 sz, resolved 12-06, ours, lesson "parts" due 12-30, open.
"""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine

from aftersales.core.services import issue_token
from aftersales.desk.services import request_act, request_create
from tests.conftest import ApiClient
from tests.factories import PASSWORD, CenterFactory, CustomerFactory, make_staff
from tests.words import zh

TZ = ZoneInfo("Asia/Shanghai")
NOW = "2026-12-15T12:00:00+08:00"
pytestmark = pytest.mark.clock(NOW)


def on(month: int, day: int):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime(2026, month, day, 10, 0, tzinfo=TZ), tick=False)


def complaint(by, center, day, responsibility, lesson=None, done_on=None, resolve=True):  # type: ignore[no-untyped-def]
    with on(*day):
        ticket = request_create(
            by=by,
            kind="complaint",
            channel="hotline",
            summary="维修超期",
            customer_id=CustomerFactory().pk,
            center=center.code,
        )
        request_act(ticket=ticket, by=by, action="acknowledge", note="致歉")
        request_act(
            ticket=ticket,
            by=by,
            action="investigate",
            findings="查明原因",
            responsibility=responsibility,
        )
        request_act(ticket=ticket, by=by, action="propose", plan="道歉", compensation=[])
        if not resolve:
            return ticket
        request_act(ticket=ticket, by=by, action="resolve", customer_accepted=True)
        if lesson:
            cause, due = lesson
            request_act(
                ticket=ticket,
                by=by,
                action="record_capa",
                root_cause=cause,
                corrective_action="整改",
                owner=by.username,
                due=due,
            )
    if done_on:
        with on(*done_on):
            request_act(ticket=ticket, by=by, action="complete_capa", note="已整改")
    return ticket


@pytest.fixture
def december(db, center):  # type: ignore[no-untyped-def]
    shenzhen = CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    gz = make_staff("zhaom", "branch_manager", center)
    sz = make_staff("qianm", "branch_manager", shenzhen)
    complaint(gz, center, (12, 2), "ours", ("parts", "2026-12-10"))
    complaint(gz, center, (12, 3), "ours", ("parts", "2026-12-20"))
    complaint(gz, center, (12, 4), "customer", ("customer_use", "2026-12-05"), done_on=(12, 5))
    complaint(gz, center, (12, 5), "unclear")
    complaint(gz, center, (11, 28), "ours", ("delay", "2026-12-01"))
    complaint(gz, center, (12, 6), "ours", resolve=False)
    complaint(sz, shenzhen, (12, 6), "ours", ("parts", "2026-12-30"))


def row(cause, side, count, open_=0, overdue=0, done=0):  # type: ignore[no-untyped-def]
    return {
        "root_cause": cause,
        "responsibility": side,
        "count": count,
        "capa_open": open_,
        "capa_overdue": overdue,
        "capa_done": done,
    }


def report(client, **params):  # type: ignore[no-untyped-def]
    answer = client.get("/reports/complaints", **params)
    assert answer.status_code == 200, answer.json()
    return answer.json()


def test_december_by_cause_and_responsibility(api_as, december):
    found = report(api_as("admin", "reader"))

    assert found["from"] == "2026-12-01" and found["to"] == "2026-12-15"
    assert found["center"] is None
    assert found["items"] == [
        row("parts", "ours", 3, open_=3, overdue=1),  # C1 (overdue), C2, C7
        row("customer_use", "customer", 1, done=1),  # C3
        row(None, "unclear", 1),  # C4: no lesson yet
    ]
    totals = {k: found[k] for k in ("resolved", "without_capa", "capa_open", "capa_overdue")}
    assert totals == {"resolved": 5, "without_capa": 1, "capa_open": 3, "capa_overdue": 1}
    assert found["capa_done"] == 1


def test_one_center_and_another_month(api_as, december):
    reader = api_as("tech_center", "reader")

    guangzhou = report(reader, center="gz")
    november = report(reader, **{"from": "2026-11-01", "to": "2026-11-30"})

    assert guangzhou["resolved"] == 4
    assert guangzhou["items"][0] == row("parts", "ours", 2, open_=2, overdue=1)
    # C5 was resolved in November; its action, due 12-01, is overdue today
    assert november["items"] == [row("delay", "ours", 1, open_=1, overdue=1)]


def test_a_branch_manager_reads_its_own_center_only(api_as, december):
    token, _ = issue_token(username="qianm", password=PASSWORD)
    shenzhen = ApiClient(token)

    own = report(shenzhen)
    other = shenzhen.get("/reports/complaints", center="gz")

    assert own["center"] == "sz"
    assert own["items"] == [row("parts", "ours", 1, open_=1)]
    assert other.status_code == 404


def test_refusals_as_the_other_reports(api_as, december):
    hotline = api_as("hotline").get("/reports/complaints")
    backwards = api_as("admin", "reader").get(
        "/reports/complaints", **{"from": "2026-12-10", "to": "2026-12-01"}
    )

    assert hotline.status_code == 403
    assert backwards.status_code == 422
    assert list(backwards.json()["error"]["details"]) == ["to"]


def test_the_workbook_has_one_row_per_item_in_words(api_as, december):
    answer = api_as("admin", "reader").get("/reports/complaints", format="xlsx")

    assert answer.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(answer.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4  # the header and three items
    assert rows[1][:3] == (zh("Spare parts: missing, late or faulty"), zh("Ours"), 3)
    assert rows[3][0] == zh("Not recorded")
