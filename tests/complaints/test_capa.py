"""Lessons from complaints (issue 20, item 7): once a complaint is resolved its handler records
the root cause and the corrective action with an owner and a due date; the owner (or a manager)
marks it done; open past its due date it is overdue."""

from datetime import datetime

import pytest
import time_machine
from django.contrib.auth.models import User

from aftersales.complaints.models import Complaint
from aftersales.core.models import Event
from tests.complaints.conftest import act, step_to
from tests.complaints.test_complaint_pages import HTMX
from tests.factories import CenterFactory, make_staff
from tests.words import zh

pytestmark = pytest.mark.clock("2026-12-01T10:00:00+08:00")

LESSON = {
    "root_cause": "parts",
    "root_cause_note": "屏幕备件缺货三周，无人跟进",
    "corrective_action": "备件缺货超过一周时自动提醒主管并告知客户",
    "owner": "zhaom",
    "due": "2026-12-15",
}


@pytest.fixture
def manager(api_as, center):  # type: ignore[no-untyped-def]
    return api_as("branch_manager", "zhaom", at_center=center)


@pytest.fixture
def resolved(handler, manager, file_complaint):  # type: ignore[no-untyped-def]
    """A complaint the customer accepted (its request resolved)."""
    number = file_complaint()
    step_to(handler, number, "proposed")
    answer = act(handler, number, "resolve", customer_accepted=True)
    assert answer.status_code == 200, answer.json()
    assert "record_capa" in answer.json()["allowed_actions"]
    return number


def capa_events(number):  # type: ignore[no-untyped-def]
    return list(Event.objects.filter(action__in=["record_capa", "complete_capa"]).order_by("pk"))


def test_the_handler_records_the_lesson_of_a_resolved_complaint(handler, resolved):
    answer = act(handler, resolved, "record_capa", **LESSON)

    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["status"] == "resolved" and body["complaint_stage"] == "resolved"
    capa = body["complaint"]["capa"]
    assert capa["root_cause"] == "parts"
    assert capa["corrective_action"] == LESSON["corrective_action"]
    assert capa["owner"] == "zhaom" and capa["due"] == "2026-12-15"
    assert capa["state"] == "open" and capa["overdue"] is False
    assert "complete_capa" in body["allowed_actions"]
    [event] = capa_events(resolved)
    assert event.action == "record_capa" and event.actor.username == "sunm"
    assert event.data["root_cause"] == "parts" and event.data["owner"] == "zhaom"
    assert not event.customer_visible  # a lesson is ours, not the customer's
    timeline = [e["action"] for e in body["events"]]
    assert timeline[-1] == "record_capa"


def test_its_owner_marks_it_done_once(handler, manager, resolved):
    act(handler, resolved, "record_capa", **LESSON)

    done = act(manager, resolved, "complete_capa", note="已上线缺货提醒")
    again = act(manager, resolved, "complete_capa")

    assert done.status_code == 200, done.json()
    capa = done.json()["complaint"]["capa"]
    assert capa["state"] == "done" and capa["done_by"] == "zhaom"
    assert capa["done_at"].startswith("2026-12-01") and capa["done_note"] == "已上线缺货提醒"
    assert not {"record_capa", "complete_capa"} & set(done.json()["allowed_actions"])
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    assert again.json()["error"]["details"]["allowed"] == []
    assert [e.action for e in capa_events(resolved)] == ["record_capa", "complete_capa"]


def test_an_owner_outside_the_complaint_roles_completes_their_own_action(api_as, handler, resolved):
    api_as("tech_center", "wangjs")  # the technical center sees every request
    act(handler, resolved, "record_capa", **{**LESSON, "owner": "wangjs"})

    other_engineer = act(api_as("tech_center", "liug"), resolved, "complete_capa")
    handler_try = act(handler, resolved, "complete_capa")
    owner = act(api_as("tech_center", "wangjs"), resolved, "complete_capa")

    assert other_engineer.status_code == 403 and handler_try.status_code == 403
    assert (
        zh("Only its owner or a manager completes a corrective action.")
        in (handler_try.json()["error"]["message"])
    )
    assert owner.status_code == 200, owner.json()
    assert Complaint.objects.get().capa_done_by.username == "wangjs"


def test_no_lesson_before_the_complaint_is_resolved(handler, file_complaint):
    number = file_complaint()
    step_to(handler, number, "proposed")

    early = act(handler, number, "record_capa", **LESSON)
    complete = act(handler, number, "complete_capa")

    assert early.status_code == 409
    error = early.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["details"]["allowed"] == ["propose", "approve_compensation", "resolve"]
    assert complete.status_code == 403  # not its owner, not a manager: the role comes first
    assert not Event.objects.filter(action__in=["record_capa", "complete_capa"]).exists()


def test_nothing_to_complete_before_the_lesson_is_recorded(manager, resolved):
    answer = act(manager, resolved, "complete_capa")

    assert answer.status_code == 409
    assert answer.json()["error"]["details"]["allowed"] == ["record_capa"]


def test_missing_or_wrong_fields_are_named(handler, resolved):
    empty = act(handler, resolved, "record_capa")
    wrong = act(
        handler, resolved, "record_capa", **{**LESSON, "root_cause": "bad luck", "due": "soon"}
    )
    past = act(handler, resolved, "record_capa", **{**LESSON, "due": "2026-11-30"})
    nobody = act(handler, resolved, "record_capa", **{**LESSON, "owner": "ghost"})

    assert empty.status_code == 422
    assert set(empty.json()["error"]["details"]) == {
        "root_cause",
        "corrective_action",
        "owner",
        "due",
    }
    assert set(wrong.json()["error"]["details"]) == {"root_cause", "due"}
    assert past.status_code == 422
    assert past.json()["error"]["details"]["due"] == [zh("The due date cannot be in the past.")]
    assert nobody.status_code == 422 and list(nobody.json()["error"]["details"]) == ["owner"]
    assert Complaint.objects.get().capa_state == ""
    assert not Event.objects.filter(action="record_capa").exists()


def test_an_owner_who_cannot_open_the_complaint_is_refused(handler, resolved):
    make_staff("chenf", "front_desk", CenterFactory(code="sz", name="深圳维修中心"))

    answer = act(handler, resolved, "record_capa", **{**LESSON, "owner": "chenf"})

    assert answer.status_code == 422
    assert list(answer.json()["error"]["details"]) == ["owner"]


def test_other_roles_may_not_record_a_lesson(api_as, resolved):
    answer = act(api_as("hotline"), resolved, "record_capa", **LESSON)

    assert answer.status_code == 403
    assert Complaint.objects.get().capa_state == ""


def test_recording_again_while_open_revises_it(handler, resolved):
    act(handler, resolved, "record_capa", **LESSON)

    answer = act(handler, resolved, "record_capa", **{**LESSON, "due": "2026-12-31"})

    assert answer.json()["complaint"]["capa"]["due"] == "2026-12-31"
    assert [e.data["revised"] for e in capa_events(resolved)] == [False, True]


def test_open_past_its_due_date_it_is_overdue_and_done_late_is_recorded(handler, manager, resolved):
    act(handler, resolved, "record_capa", **LESSON)  # due 2026-12-15

    with time_machine.travel(datetime.fromisoformat("2026-12-15T23:00:00+08:00"), tick=False):
        on_the_day = manager.get(f"/tickets/{resolved}").json()["complaint"]["capa"]
    with time_machine.travel(datetime.fromisoformat("2026-12-16T09:00:00+08:00"), tick=False):
        after = manager.get(f"/tickets/{resolved}").json()["complaint"]["capa"]
        done = act(manager, resolved, "complete_capa")

    assert on_the_day["overdue"] is False
    assert after["overdue"] is True and after["state"] == "open"
    capa = done.json()["complaint"]["capa"]
    assert capa["state"] == "done" and capa["overdue"] is False
    assert capa_events(resolved)[-1].data["late"] is True


def test_the_request_page_offers_the_lesson_then_its_completion(client, handler, resolved):
    handler_user = Complaint.objects.get().ticket.created_by
    client.force_login(handler_user)
    ticket = Complaint.objects.get().ticket

    before = client.get(f"/requests/{ticket.number}/")
    recorded = client.post(
        f"/requests/{ticket.number}/act/",
        {"action": "record_capa", **{**LESSON, "owner": "赵敏 (zhaom)"}},
        **HTMX,
    )
    refused = client.post(
        f"/requests/{ticket.number}/act/",
        {"action": "record_capa", "root_cause": "parts", "owner": "zhaom"},
        **HTMX,
    )

    assert zh("Record the lesson: root cause and corrective action") in before.text
    assert zh("Corrective action done") not in before.text
    assert recorded.status_code == 200
    assert zh("Lesson learned") in recorded.text and zh("Corrective action open") in recorded.text
    assert zh("Root cause and corrective action recorded") in recorded.text  # the timeline
    # the handler is neither its owner nor a manager: no button to complete it
    assert 'name="action" value="complete_capa"' not in recorded.text
    assert refused.status_code == 422
    assert Complaint.objects.get().capa_owner.username == "zhaom"


def test_the_owner_sees_the_button_to_complete_it(client, handler, manager, resolved):
    act(handler, resolved, "record_capa", **LESSON)

    client.force_login(User.objects.get(username="zhaom"))

    page = client.get(f"/requests/{resolved}/")
    done = client.post(
        f"/requests/{resolved}/act/", {"action": "complete_capa", "note": "已完成培训"}, **HTMX
    )

    assert 'name="action" value="complete_capa"' in page.text
    assert done.status_code == 200
    assert Complaint.objects.get().capa_state == "done"
    assert 'name="action" value="complete_capa"' not in done.text
