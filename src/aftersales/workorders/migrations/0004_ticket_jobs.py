"""Every work order already opened gets its request's record of it (tickets.models.TicketJob),
with the technician who holds it now: the request's timeline and its technician's scope read that
record instead of reading work orders (docs/decisions.md)."""

from itertools import islice

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    TicketJob = apps.get_model("tickets", "TicketJob")
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not WorkOrder.objects.exists():
        return
    job_type, _ = ContentType.objects.get_or_create(app_label="workorders", model="workorder")
    recorded = TicketJob.objects.filter(content_type=job_type).values("object_id")
    jobs = (
        WorkOrder.objects.exclude(pk__in=recorded)
        .order_by("pk")
        .values_list("pk", "ticket_id", "technician_id")
    )
    rows = jobs.iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):  # a batch at a time: there may be millions
        TicketJob.objects.bulk_create(
            TicketJob(
                ticket_id=ticket_id,
                content_type=job_type,
                object_id=pk,
                technician_id=technician_id,
            )
            for pk, ticket_id, technician_id in batch
        )


def backwards(apps, schema_editor):
    TicketJob = apps.get_model("tickets", "TicketJob")
    TicketJob.objects.filter(
        content_type__app_label="workorders", content_type__model="workorder"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0003_unit_repaired_events"),
        ("tickets", "0004_ticket_job"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
