"""A database made before visits were kept moves forward: each on-site job's appointment and field
times become its first visit, and a job already on the way again after an arrival gets two (the
visit that took place, and the trip under way, which the job then carries alone)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from aftersales.workorders.models import Visit, WorkOrder
from tests.factories import make_staff, on_site_job

BEFORE_VISITS = "0006_stock_movements_discrepancies"


@pytest.mark.django_db(transaction=True)
def test_each_jobs_appointment_and_times_become_its_visits_after_migrating(center):  # type: ignore[no-untyped-def]
    hotline, li = make_staff("hotline", "hotline", center), make_staff("li", "technician", center)
    tomorrow, dispatcher = timezone.now() + timedelta(days=1), make_staff("diaodu", "dispatcher")
    booked = on_site_job(hotline, technician=li, booked_at=tomorrow, booked_by=dispatcher)
    again = on_site_job(hotline, technician=li, booked_at=tomorrow, booked_by=dispatcher)
    unbooked = on_site_job(hotline, technician=li)
    call_command("migrate", "workorders", BEFORE_VISITS, verbosity=0)  # as the database was
    now = timezone.now()
    WorkOrder.objects.filter(pk=booked.pk).update(
        departed_at=now - timedelta(hours=2), arrived_at=now - timedelta(hours=1)
    )
    WorkOrder.objects.filter(pk=again.pk).update(
        arrived_at=now - timedelta(hours=3),
        visit_incomplete="customer_absent",
        departed_at=now - timedelta(minutes=10),
    )

    call_command("migrate", "workorders", verbosity=0)

    [first] = Visit.objects.filter(work_order=booked)
    assert (first.number, first.technician) == (1, li)
    assert first.window_start == WorkOrder.objects.get(pk=booked.pk).appointment_start
    assert first.arrived_at == now - timedelta(hours=1)
    taken_place, under_way = Visit.objects.filter(work_order=again).order_by("number")
    assert (taken_place.arrived_at, taken_place.visit_incomplete) == (
        now - timedelta(hours=3),
        "customer_absent",
    )
    assert under_way.departed_at == now - timedelta(minutes=10) and under_way.arrived_at is None
    job = WorkOrder.objects.get(pk=again.pk)
    assert (job.arrived_at, job.visit_incomplete) == (None, "")
    assert job.as_job().on_the_way  # "arrived" is the next step of that trip
    assert not Visit.objects.filter(work_order=unbooked).exists()
