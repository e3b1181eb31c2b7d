"""An agent works the callback queue in a real browser: the overdue survey first, the customer is
not satisfied, and the request comes back reopened with a revisit job waiting for dispatch."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from aftersales.followups.services import followup_schedule
from aftersales.tickets.models import Ticket
from aftersales.workorders import services as wo_services
from aftersales.workorders.models import WorkOrder
from tests.factories import CenterFactory, CustomerFactory, make_staff, repair_request


def test_an_agent_records_an_unhappy_customer_and_the_request_is_reopened(
    page: Page, log_in, zh, transactional_db
):
    center = CenterFactory(code="gz", name="广州维修中心", regions=["440100"])
    agent = make_staff("xiaoyan", "hotline", center)
    ticket = repair_request(agent, CustomerFactory(name="陈静"))
    job = wo_services.work_order_create(ticket=ticket, by=agent, mode="carry_in")
    WorkOrder.objects.filter(pk=job.pk).update(
        status="completed", outcome="repaired", handed_over_at=timezone.now()
    )
    survey = followup_schedule(
        ticket=ticket,
        kind="satisfaction_survey",
        due_at=timezone.now() - timedelta(hours=1),
        owner=agent,
        work_order=job,
    )

    log_in(agent)
    page.get_by_role("navigation").get_by_role("link", name=zh("Callbacks")).click()
    expect(page).to_have_url(re.compile(r"/callbacks/$"))
    card = page.locator(f"[data-followup='{survey.pk}']")
    expect(card).to_contain_text("陈静")
    expect(card.locator("blockquote.script")).to_contain_text(ticket.number)
    card.locator(f"input[name='c{survey.pk}-reached'][value=yes]").check()
    card.locator(f"input[name='c{survey.pk}-satisfied'][value=no]").check()
    card.locator(f"input[name='c{survey.pk}-score'][value='2']").check()
    card.get_by_label(zh("Note")).fill("屏幕又出现竖线")
    card.get_by_role("button", name=zh("Record the call")).click()

    expect(page.locator(f"[data-followup='{survey.pk}']")).to_have_count(0)
    assert Ticket.objects.get(pk=ticket.pk).status == "reopened"
    revisit = WorkOrder.objects.exclude(pk=job.pk).get(ticket=ticket)
    assert (revisit.status, revisit.technician) == ("created", None)
