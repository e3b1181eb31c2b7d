"""A complaint whose promised answer is near and still unresolved goes to the branch manager,
once, by the worker's sweep (DOMAIN.md §5)."""

from datetime import timedelta

from django.utils import timezone

from aftersales.complaints.services import complaints_escalate_due
from aftersales.core.models import Event
from aftersales.notifications.services import timers_sweep
from tests.complaints.conftest import act
from tests.factories import make_staff


def acknowledged(handler, file_complaint, promised_in: timedelta) -> str:  # type: ignore[no-untyped-def]
    number = file_complaint()
    promised = timezone.now() + promised_in
    assert (
        act(
            handler, number, "acknowledge", note="已致歉", promised_by=promised.isoformat()
        ).status_code
        == 200
    )
    return number


def test_a_complaint_near_its_promise_goes_to_the_branch_manager_once(
    handler, file_complaint, center
):
    make_staff("boss", "branch_manager", center)
    number = acknowledged(handler, file_complaint, timedelta(hours=3))

    assert timers_sweep()["complaints_escalated"] == 1
    assert complaints_escalate_due(now=timezone.now()) == []  # the next sweep: nothing new

    [event] = Event.objects.filter(action="complaint_escalated")
    assert event.data["alerted"] == ["boss"]
    assert handler.get(f"/tickets/{number}").json()["escalated"] is True


def test_a_complaint_with_time_left_or_already_resolved_is_not_escalated(handler, file_complaint):
    acknowledged(handler, file_complaint, timedelta(days=2))
    assert complaints_escalate_due(now=timezone.now()) == []
