"""A customer follows the survey text's link on their phone: a typo in the phone number is
refused in words with the rest kept, then the rating lands and an agent gets the call to make."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from aftersales.followups.models import FollowUp
from aftersales.followups.services import followup_schedule
from aftersales.tickets.models import Ticket
from tests.factories import CenterFactory, CustomerFactory, make_staff, repair_request


def test_a_customer_rates_a_finished_repair_from_their_phone(page: Page, zh, transactional_db):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    agent = make_staff("xiaoyan", "hotline", center)
    ticket = repair_request(agent, CustomerFactory(name="陈静", phone="+8613912345678"))
    Ticket.objects.filter(pk=ticket.pk).update(status="resolved")
    survey = followup_schedule(
        ticket=ticket,
        kind="satisfaction_survey",
        due_at=timezone.now() - timedelta(hours=1),
        owner=agent,
    )
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(f"/portal/rate/{ticket.number}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(zh("Rate our service"))
    expect(page.get_by_text(ticket.number)).to_be_visible()
    page.get_by_label(zh("Your phone number")).fill("139 1234 5670")  # one digit wrong
    page.get_by_label(zh("2 · dissatisfied")).check()
    page.get_by_label(zh("Anything you want to tell us? (optional)")).fill("等了一个星期")
    page.get_by_role("button", name=zh("Send my rating")).click()

    expect(page.get_by_role("alert")).to_have_text(
        zh("No request with this number and phone number.")
    )
    expect(page.get_by_label(zh("Your phone number"))).to_have_value("139 1234 5670")
    expect(page.get_by_label(zh("2 · dissatisfied"))).to_be_checked()
    expect(page.get_by_label(zh("Anything you want to tell us? (optional)"))).to_have_value(
        "等了一个星期"
    )
    survey.refresh_from_db()
    assert survey.status == "open"

    page.get_by_label(zh("Your phone number")).fill("139 1234 5678")
    page.get_by_role("button", name=zh("Send my rating")).click()

    expect(page.get_by_role("status")).to_contain_text(zh("Thank you for your rating!"))
    survey.refresh_from_db()
    assert (survey.status, survey.score, survey.satisfied, survey.note) == (
        "done",
        2,
        False,
        "等了一个星期",
    )
    callback = FollowUp.objects.get(ticket=ticket, status="open")
    assert callback.kind == "consultation_callback" and "等了一个星期" in callback.note
    assert Ticket.objects.get(pk=ticket.pk).status == "resolved"  # the agent's call decides
