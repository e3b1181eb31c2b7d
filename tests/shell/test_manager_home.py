"""工作台 of a branch manager and an administrator: this month's figures against the same days of
last month (the dashboard's cards), the requests past a deadline, the jobs nobody holds and what
waits for their approval — of their own center (an administrator: every center's), beside the
alerts they had before.

The scenario, at 2026-12-15 12:00 (SLA: answer within 2 hours, resolve within 48):
- Guangzhou: N1 (11-05, cancelled), N2 (11-10, a carry-in job nobody holds), N3 (11-20, after
  the days compared, cancelled); D1 (12-02, a carry-in job nobody holds), D2 (12-10, a
  consultation nobody answered), D3 (12-15 11:00, its answer not due yet);
- Shenzhen: S1 (11-04, nobody answered), S2 (12-03, a carry-in job nobody holds).
"""

import re

import pytest
import time_machine

from aftersales.desk.services import request_act, request_create
from aftersales.dispatch.models import ServiceCenter
from aftersales.tickets.models import SlaPolicy, Ticket
from aftersales.tickets.services import ticket_act
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, CustomerFactory, make_staff
from tests.queries import statements
from tests.reports.conftest import at, request
from tests.visible import kpi_cards, visible_text

pytestmark = pytest.mark.clock("2026-12-15T12:00:00+08:00")


def cancelled(by, number: str, moment) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(moment, tick=False):
        ticket = Ticket.objects.get(number=number)
        ticket_act(ticket=ticket, by=by, action="cancel", fields={"reason": "客户自行解决"})


def job_nobody_holds(by, number: str, moment) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(moment, tick=False):
        work_order_create(ticket=Ticket.objects.get(number=number), by=by, mode="carry_in")


@pytest.fixture
def scenario(db, center):  # type: ignore[no-untyped-def]
    CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    SlaPolicy.objects.all().delete()
    SlaPolicy.objects.create(
        respond_amount=2, respond_unit="hours", resolve_amount=48, resolve_unit="hours"
    )
    with time_machine.travel(at(11, 1, "08:00"), tick=False):
        admin = make_staff("boss", "admin", center)
    t = {}
    t["N1"] = request(admin, at(11, 5, "09:00")).number
    cancelled(admin, t["N1"], at(11, 5, "09:10"))
    t["N2"] = request(admin, at(11, 10, "09:00")).number
    job_nobody_holds(admin, t["N2"], at(11, 10, "09:30"))
    t["N3"] = request(admin, at(11, 20, "09:00")).number
    cancelled(admin, t["N3"], at(11, 20, "09:10"))
    t["D1"] = request(admin, at(12, 2, "09:00")).number
    job_nobody_holds(admin, t["D1"], at(12, 2, "09:30"))
    t["D2"] = request(admin, at(12, 10, "09:00"), kind="consultation", summary="如何备份").number
    t["D3"] = request(admin, at(12, 15, "11:00"), channel="walk_in").number
    t["S1"] = request(admin, at(11, 4, "09:00"), center="sz").number
    t["S2"] = request(admin, at(12, 3, "09:00"), center="sz").number
    job_nobody_holds(admin, t["S2"], at(12, 3, "09:30"))
    return admin, t


@pytest.fixture
def manager(scenario):  # type: ignore[no-untyped-def]
    return make_staff("boss-gz", "branch_manager", ServiceCenter.objects.get(code="gz"))


def home_of(client, user) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get("/")
    assert answer.status_code == 200
    return answer.content.decode()


def part(html: str, marker: str) -> str:
    """The home's section that `marker` marks (up to the next one)."""
    start = html.index(marker)
    end = html.find('<section class="card', start)
    return html[start : end if end > 0 else html.index("</main>")]


def count_in(section: str) -> str:
    found = re.search(r'class="count[^"]*">([^<]*)</span>', section)
    assert found
    return found[1]


def test_the_branch_manager_sees_this_month_of_their_center_against_the_same_days_of_the_last(
    client, manager
):
    html = home_of(client, manager)
    figures = part(html, "data-month-figures")

    assert "2026-12-01 至 2026-12-15，与 2026-11-01 至 2026-11-15 对比。" in visible_text(figures)
    cards = kpi_cards(figures)
    # D1, D2, D3 against N1, N2 (N3 is after 11-15; Shenzhen's are not theirs).
    assert cards["tickets_created"] == ("3", "2", "+1")
    # Answered in time: D1 (its job opened at 09:30) of D1 and D2 (D3 is not due yet); N2 of N2
    # (N1 was cancelled).
    assert cards["response_sla_met_rate"] == ("50.0%", "100.0%", "-50.0 个百分点")
    assert cards["fees_collected"] == ("¥0.00", "¥0.00", "+¥0.00")
    assert 'href="/reports/"' in figures and "全部报表" in visible_text(figures)


def test_the_branch_manager_sees_their_requests_past_a_deadline_longest_overdue_first(
    client, manager, scenario
):
    _, t = scenario
    overdue = part(home_of(client, manager), "data-overdue")

    assert count_in(overdue) == "3"
    shown = re.findall(r'href="/requests/(\w+)/"', overdue)
    # N2 owes its resolution since 11-12, D1 since 12-04, D2 its answer since 12-10 11:00.
    assert shown == [t["N2"], t["D1"], t["D2"]]
    assert t["D3"] not in overdue and t["S1"] not in overdue
    assert 'href="/requests/?queue=breaching"' in overdue


def test_the_branch_manager_sees_how_many_jobs_nobody_holds_and_where_to_assign_them(
    client, manager
):
    unassigned = part(home_of(client, manager), "data-manager-unassigned")

    assert count_in(unassigned) == "2"  # N2's and D1's (not S2's in Shenzhen)
    assert 'href="/dispatch/"' in unassigned


def test_the_administrator_sees_every_center(client, scenario):
    admin, t = scenario
    html = home_of(client, admin)

    figures = part(html, "data-month-figures")
    assert "本月：全部服务中心" in visible_text(figures)
    assert kpi_cards(figures)["tickets_created"] == ("4", "3", "+1")
    overdue = part(html, "data-overdue")
    assert count_in(overdue) == "5"
    assert re.findall(r'href="/requests/(\w+)/"', overdue)[0] == t["S1"]
    assert count_in(part(html, "data-manager-unassigned")) == "3"


def test_the_compensations_waiting_for_approval_are_counted_with_the_way_to_them(
    client, manager, scenario, center, settings
):
    settings.COMPLAINT_APPROVAL_ABOVE = "100.00"
    handler = make_staff("sunm", "complaints", center)
    for where in ("gz", "sz"):
        ticket = request_create(
            by=handler,
            kind="complaint",
            channel="hotline",
            summary="维修超过一个月仍未取回手机",
            customer_id=CustomerFactory().pk,
            center=where,
        )
        request_act(ticket=ticket, by=handler, action="acknowledge", note="已致歉")
        request_act(
            ticket=ticket, by=handler, action="investigate", findings="属实", responsibility="ours"
        )
        request_act(
            ticket=ticket,
            by=handler,
            action="propose",
            plan="退差价",
            compensation=[{"kind": "refund", "value": "300.00"}],
        )
    admin, _ = scenario

    approvals = part(home_of(client, manager), "data-approvals")

    assert count_in(approvals) == "1"  # not Shenzhen's
    assert 'href="/complaints/?view=approval"' in approvals
    assert count_in(part(home_of(client, admin), "data-approvals")) == "2"


def test_nothing_waiting_reads_as_such_and_no_english_is_left(client, manager):
    html = home_of(client, manager)
    approvals = part(html, "data-approvals")
    first = html.rindex("<section", 0, html.index("data-month-figures"))
    ours = html[first : html.index("</section>", html.index(approvals))]
    words = re.sub(r"SR\d+", "", visible_text(ours))

    assert count_in(approvals) == "0" and "没有待您审批的补偿" in visible_text(approvals)
    assert not re.search(r"[A-Za-z]{2,}", words), words


def test_the_home_reads_as_few_statements_with_more_rows(client, manager, scenario):
    admin, t = scenario
    client.force_login(manager)
    few, _ = statements(client.get, "/")
    for day in (3, 4, 5, 6, 7, 8):
        number = request(admin, at(12, day, "10:00")).number
        job_nobody_holds(admin, number, at(12, day, "10:30"))

    many, _ = statements(client.get, "/")

    assert many == few


def test_the_other_roles_homes_show_no_figures(client, scenario, center):
    for role in ("hotline", "front_desk", "dispatcher"):
        html = home_of(client, make_staff(f"someone-{role}", role, center))
        assert "data-month-figures" not in html and "data-overdue" not in html


def test_a_branch_manager_of_no_center_sees_no_figures_but_their_home(client, scenario):
    html = home_of(client, make_staff("drifter", "branch_manager"))

    figures = visible_text(part(html, "data-month-figures"))
    assert "您的账号不属于任何服务中心" in figures and "data-kpi" not in html
    assert count_in(part(html, "data-overdue")) == "0"
