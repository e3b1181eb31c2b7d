"""工作台 of the roles that read every center's reports and keep no queue of requests — finance,
the archive, the technical center: this month's figures of their trade against the same days of
last month, each a link to the list behind it, and what their own work waits on. The December of
tests/reports/conftest.py."""

import pytest
import time_machine

from aftersales.tickets.models import Ticket
from aftersales.tickets.services import ticket_act
from tests.factories import make_staff
from tests.queries import statements
from tests.reports.conftest import NOW, at, december  # noqa: F401  (the scenario, a fixture)
from tests.visible import kpi_cards, visible_text

pytestmark = pytest.mark.clock(NOW)


def home_of(client, user) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get("/")
    assert answer.status_code == 200
    return answer.content.decode()


def test_finance_sees_the_money_of_the_month_at_every_center(client, center, december):  # noqa: F811
    html = home_of(client, make_staff("cashier", "finance", center))

    # Paid at the hand-overs of J0, J2 and J3; 20.00 waived on J3; nothing in November 1–15.
    assert kpi_cards(html) == {
        "tickets_created": ("6", "0", "+6"),
        "work_orders_completed": ("4", "0", "+4"),
        "fees_collected": ("¥840.00", "¥0.00", "+¥840.00"),
        "fees_waived": ("¥20.00", "¥0.00", "+¥20.00"),
    }
    assert "本月：全部服务中心" in visible_text(html)
    assert 'href="/reports/figures/fees_waived/?from=2026-12-01&amp;to=2026-12-15"' in html


def test_the_archive_sees_yesterday_s_ratings_nobody_signed(client, center, december):  # noqa: F811
    clerk = make_staff("clerk", "archive", center)
    with time_machine.travel(at(12, 12, "09:00"), tick=False):
        html = home_of(client, clerk)

    # J4 was rated 1 on 12-11 with no signature (the customer declined to sign).
    section = html[html.index("data-unverified") :]
    assert december.jobs["J4"] in section[: section.index("</section>")]
    assert "昨日未签名、尚未核实的评分 1" in visible_text(html)
    assert 'href="/callbacks/reconcile/"' in html
    assert set(kpi_cards(html)) == {
        "work_orders_completed",
        "csat_avg",
        "fees_collected",
        "fees_waived",
    }


def test_the_technical_center_sees_its_open_cases_and_the_month_s_faults(client, center, december):  # noqa: F811
    engineer = make_staff("engineer", "tech_center", center)
    with time_machine.travel(at(12, 15, "11:30"), tick=False):
        ticket = Ticket.objects.get(number=december.tickets["T4"])
        ticket_act(
            ticket=ticket, by=december.admin, action="escalate", fields={"note": "屏幕反复坏"}
        )

    html = home_of(client, engineer)

    text = visible_text(html)
    assert "等待答复的升级案例 1" in text and december.tickets["T4"] in text
    # Diagnosed in December: J1 SCREEN (LCD used), J2 BOARD (BOARD-A and FLEX used), J3 BOARD
    # (its last diagnosis; BOARD-A), J4 WIFI (no part): four rows, the most frequent first.
    faults = html[html.index("data-month-faults") :]
    faults = faults[: faults.index("</section>")]
    assert faults.count("<tr>") == 1 + 4
    assert "工单 XH-B BOARD BOARD-A 2 XH-A SCREEN LCD 1" in visible_text(faults)
    assert set(kpi_cards(html)) == {
        "first_time_fix_rate",
        "repeat_repair_rate_90d",
        "avg_turnaround_hours",
        "work_orders_completed",
    }


@pytest.mark.parametrize("role", ["finance", "archive", "tech_center"])
def test_a_reader_s_home_costs_the_same_statements_however_busy(client, center, role, request):
    user = make_staff("reader", role, center)
    client.force_login(user)
    quiet, _ = statements(client.get, "/")

    request.getfixturevalue("december")  # the busy month
    busy, _ = statements(client.get, "/")

    assert busy == quiet
