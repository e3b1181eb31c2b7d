"""The bench's dispatch load at --rows 400: technicians with profiles, open jobs consistent with
their mode and status, numbered apart from today's, and suggestions found for the waiting ones."""

import io

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from aftersales.core.services import next_number
from aftersales.dispatch.models import TechnicianProfile
from aftersales.dispatch.selectors import technicians
from aftersales.field.suggestions import suggestions_for
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.rules import OPEN_STATUSES
from bench import dispatch
from bench import seed as seeding

ROWS = 400


@pytest.mark.django_db
def test_the_dispatch_load_is_seeded_once_and_consistent() -> None:
    report = seeding.seed(ROWS, out=io.StringIO(), batch=100)
    assert report.technicians == dispatch.technicians_for(ROWS)
    assert report.work_orders == report.added_work_orders == dispatch.jobs_for(ROWS)
    again = seeding.seed(ROWS, out=io.StringIO())
    assert again.added_work_orders == 0 and again.technicians == report.technicians

    techs = technicians()
    assert len(techs) == report.technicians
    assert TechnicianProfile.objects.count() >= len(techs)
    assert len(set(TechnicianProfile.objects.values_list("calendar_key", flat=True))) == len(techs)
    assert User.objects.get(username=dispatch.tech_name(1)).check_password(seeding.STAFF_PASSWORD)

    jobs = list(WorkOrder.objects.select_related("ticket", "technician"))
    numbers = {wo.number for wo in jobs}
    assert len(numbers) == len(jobs)
    assert next_number("WO") not in numbers
    today = timezone.localdate()
    for wo in jobs:
        assert wo.status in OPEN_STATUSES and wo.unit_id == wo.ticket.unit_id
        assert (wo.technician is None) == (wo.status == "created")
        if wo.appointment_start is not None:
            assert wo.mode == "on_site" and wo.technician is not None
            assert timezone.localdate(wo.appointment_start) > today
            assert wo.appointment_end > wo.appointment_start

    waiting = WorkOrder.objects.filter(mode="carry_in", status="created").first()
    assert waiting is not None and suggestions_for(waiting)
