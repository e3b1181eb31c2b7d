"""A customer detains or threatens a technician: the job pauses, the branch manager is alerted
on their workbench at once, and only a manager lifts the pause."""

from django.test import Client

from tests.factories import PASSWORD, make_staff, make_technician
from tests.workorders.conftest import act, ok


def test_an_incident_pauses_the_job_and_alerts_the_branch_manager_until_they_resume_it(
    api_as, center, phone, on_site_job
):
    make_technician("li", center)
    manager = make_staff("boss", "branch_manager", center)
    number = on_site_job(phone)["number"]
    ok(api_as("dispatcher"), number, "assign", technician="li")
    li = api_as("technician", "li")
    job = ok(li, number, "incident", note="客户扣留工具，情绪激动")
    assert job["paused"] is True
    assert job["events"][-1]["action"] == "incident"

    browser = Client()
    browser.login(username=manager.username, password=PASSWORD)
    home = browser.get("/").content.decode()
    assert "data-incidents" in home and number in home

    refused = act(li, number, "resume")
    assert refused.status_code == 403  # the company takes over, not the technician
    boss = api_as("branch_manager", "boss2")
    assert ok(boss, number, "resume", note="已联系客户，安排主管陪同")["paused"] is False
    assert number not in browser.get("/").content.decode()
    again = act(boss, number, "resume")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "not_paused")
