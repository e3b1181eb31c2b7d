"""Complaints in a real browser: the hotline takes one (its fields appear only for a complaint),
the complaints handler works it step by step on the request page without leaving it, and a web
complaint that is not ours is screened out of the handlers' list.

The browser asks for Chinese (zh-CN); `zh(msgid)` is what a Chinese user reads. With
E2E_SHOTS=/some/dir the pages are also photographed there (1366×800), to look at their layout.
"""

import os
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Locator, Page, expect

from aftersales.complaints.models import Complaint
from aftersales.desk import services as desk_services
from aftersales.tickets.models import Ticket
from tests.factories import CenterFactory, CustomerFactory, make_staff


def zh_in(context: str, msgid: str) -> str:
    """What a Chinese user reads for a msgid with its context (one English word, two meanings)."""
    with translation.override("zh-hans"):
        return translation.pgettext(context, msgid)


SHOTS = os.environ.get("E2E_SHOTS", "")


@pytest.fixture(autouse=True)
def laptop_screen(page: Page) -> None:
    page.set_viewport_size({"width": 1366, "height": 800})


def shot(page: Page, name: str) -> None:
    """The whole page as a PNG in $E2E_SHOTS (nothing without it)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def open_step(page: Page, name: str, label: str) -> Locator:
    """Press a step's button on the complaint card: its small form opens."""
    step = page.locator(f".complaint-card details.step-{name}")
    summary = step.locator("summary")
    expect(summary).to_have_text(label)
    summary.click()
    expect(step.locator("form")).to_be_visible()
    return step


def test_a_hotline_agent_takes_a_complaint_with_the_customers_wish(
    page: Page, log_in, zh, transactional_db
):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    agent = make_staff("lixy", "hotline", center)
    log_in(agent)

    page.goto("/requests/new/")
    complaint_fields = page.locator("#complaint-fields")
    expect(page.locator("input[name=kind]:checked")).to_have_value("repair")
    expect(complaint_fields).to_be_hidden()  # a repair asks nothing about a complaint

    page.get_by_label(zh("Phone")).fill("139 0013 9000")
    page.keyboard.press("Tab")
    page.get_by_label(zh("Name"), exact=True).fill("王女士")
    page.locator("label.seg", has_text=zh("Complaint")).click()
    expect(complaint_fields).to_be_visible()
    expect(complaint_fields.locator("legend")).to_have_text(zh("Complaint"))

    page.get_by_label(zh("Summary")).fill("工程师上门迟到两小时，态度很差")
    complaint_fields.get_by_label(zh("Complaint category")).select_option("staff_service")
    complaint_fields.get_by_label(zh("The customer's wish")).fill("要求书面道歉")
    shot(page, "1-intake-complaint")
    page.get_by_role("button", name=zh("Create request")).click()

    expect(page).to_have_url(re.compile(r"/requests/SR\d{10}/$"))
    ticket = Ticket.objects.get()
    assert (ticket.kind, ticket.channel, ticket.owner) == ("complaint", "hotline", agent)
    assert ticket.problem_class == "staff_service"
    assert Complaint.objects.get(ticket=ticket).wish == "要求书面道歉"
    card = page.locator(".complaint-card")
    expect(card.locator("h2")).to_contain_text(zh("Complaint"))
    expect(card.locator(".stage-current")).to_have_text(zh_in("complaint stage", "Received"))
    expect(card).to_contain_text("要求书面道歉")
    expect(card).to_contain_text(zh("Not yet: acknowledge the complaint and promise a date."))
    shot(page, "2-request-received")


def test_a_handler_works_a_complaint_to_the_customers_yes_without_leaving_the_page(
    page: Page, log_in, zh, transactional_db
):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    handler = make_staff("sunm", "complaints", center)
    make_staff("zhangw", "technician", center)
    ticket = desk_services.request_create(
        by=handler,
        kind="complaint",
        channel="hotline",
        summary="维修超过一个月仍未取回手机",
        customer_id=CustomerFactory(name="王女士").pk,
        wish="尽快取回手机并道歉",
    )
    log_in(handler)
    page.goto(f"/requests/{ticket.number}/")
    page.evaluate("window.sameDocument = true")  # gone if the page were loaded again
    card = page.locator(".complaint-card")
    expect(card).to_contain_text("尽快取回手机并道歉")

    # Acknowledge: what the customer said; the promised date is left to the default.
    step = open_step(page, "acknowledge", zh("Acknowledge and promise"))
    expect(step.get_by_label(zh("What the customer said; your apology"))).to_be_focused()
    shot(page, "3-acknowledge-open")
    page.keyboard.type("客户情绪激动，已致电道歉")
    page.keyboard.press("Control+Enter")
    expect(card.locator(".stage-current")).to_have_text(zh("Acknowledged"))
    promise = card.locator("dt", has_text=zh("Answer promised by")).locator(
        "xpath=following-sibling::dd[1]"
    )
    expect(promise).to_have_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))

    # Investigate: the findings, whose fault it is, and the staff concerned.
    step = open_step(page, "investigate", zh_in("complaint step", "Record findings"))
    step.get_by_label(zh_in("complaint", "Findings")).fill("备件延误三周，未主动告知客户")
    step.get_by_label(zh("Ours"), exact=True).check()
    step.get_by_label(zh("Staff concerned")).fill("zhangw")
    shot(page, "4-investigate-open")
    step.get_by_role("button", name=zh("Save")).click()
    expect(card.locator(".stage-current")).to_have_text(zh("Investigated"))
    expect(card.locator(".complaint-staff")).to_contain_text("zhangw")

    # Propose: the plan and one compensation line, a written apology.
    step = open_step(page, "propose", zh("Propose a solution"))
    step.get_by_label(zh("Plan")).fill("书面道歉，加急维修")
    first_offer = step.locator(".offer-row").first
    first_offer.get_by_label(zh("Compensation")).select_option(label=zh("Apology"))
    first_offer.get_by_label(zh("Value")).fill("书面道歉")
    shot(page, "5-propose-open")
    step.get_by_role("button", name=zh("Save")).click()
    expect(card.locator(".stage-current")).to_have_text(zh("Proposed"))
    expect(card.locator("table.compensations tbody tr")).to_have_count(1)
    expect(card.locator("table.compensations")).to_contain_text("书面道歉")

    # The customer's answer: accepted, the complaint and its request are resolved.
    step = open_step(page, "resolve", zh("Customer's answer"))
    step.get_by_label(zh("Yes"), exact=True).check()
    step.get_by_label(zh("Note")).fill("客户接受")
    shot(page, "6-answer-open")
    step.get_by_role("button", name=zh("Save")).click()

    expect(page.locator(".request-head .status")).to_have_text(zh("Resolved"))
    expect(card.locator(".stage-current")).to_have_text(zh("Resolved"))
    # the customer's steps are over; what is left is the lesson (root cause, corrective action)
    expect(card.locator("details.action")).to_have_count(1)
    expect(card.locator("details.step-record_capa")).to_have_count(1)
    timeline = page.locator(".timeline")
    for label in ("Complaint acknowledged", "Complaint investigated", "Solution proposed"):
        expect(timeline).to_contain_text(zh(label))
    expect(timeline).to_contain_text("客户接受")
    assert page.evaluate("window.sameDocument") is True  # every step swapped in, no reload
    shot(page, "7-request-resolved")
    complaint = Complaint.objects.get(ticket=ticket)
    assert (complaint.stage, complaint.responsibility) == ("resolved", "ours")


def test_a_web_complaint_that_is_not_ours_is_screened_out_of_the_list(
    page: Page, log_in, zh, transactional_db
):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    handler = make_staff("sunm", "complaints", center)
    from_the_web = desk_services.request_create(
        by=handler,
        kind="complaint",
        channel="web",
        summary="买的空调制冷差",
        customer_id=CustomerFactory(name="刘先生").pk,
    )
    log_in(handler)

    page.get_by_role("link", name=zh("Complaints"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/complaints/$"))
    page.get_by_role("link", name=zh("To screen"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/complaints/\?view=to_screen$"))
    row = page.locator("tr.complaint-row", has_text=from_the_web.number)
    expect(row).to_contain_text("刘先生")
    expect(row).to_contain_text(zh("To screen"))
    shot(page, "8-list-to-screen")
    row.get_by_role("link", name=from_the_web.number).click()

    step = open_step(page, "screen", zh("Screen"))
    step.get_by_label(zh("Not ours: explain")).check()
    step.get_by_label(zh("Explanation (sent to the customer when not ours)")).fill(
        "该空调非本公司产品，请联系购买商家"
    )
    shot(page, "9-screen-open")
    step.get_by_role("button", name=zh("Save")).click()
    expect(page.locator(".request-head .status")).to_have_text(zh("Resolved"))
    expect(page.locator(".complaint-card")).to_contain_text("该空调非本公司产品")

    page.goto("/complaints/?view=to_screen")
    expect(page.locator("tr.complaint-row")).to_have_count(0)
    expect(page.locator(".console-empty")).to_have_text(zh("No complaints here."))
    page.get_by_role("link", name=zh("All open"), exact=True).click()
    expect(page.locator("tr.complaint-row", has_text=from_the_web.number)).to_have_count(0)
