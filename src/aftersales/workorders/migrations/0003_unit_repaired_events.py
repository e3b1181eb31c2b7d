"""Every job already handed over repaired gets its `repaired` event on the unit's timeline, at
its hand-over time and by whoever handed it over: the 三包 decision now counts earlier repairs
from the unit's timeline (catalog.selectors.repairs_since) instead of reading work orders."""

from django.db import migrations


def forwards(apps, schema_editor):
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    Event = apps.get_model("core", "Event")
    ContentType = apps.get_model("contenttypes", "ContentType")
    jobs = WorkOrder.objects.filter(
        outcome="repaired", handed_over_at__isnull=False, unit__isnull=False
    )
    if not jobs.exists():
        return
    unit_type, _ = ContentType.objects.get_or_create(app_label="catalog", model="unit")
    job_type, _ = ContentType.objects.get_or_create(app_label="workorders", model="workorder")
    handed_by = dict(
        Event.objects.filter(content_type=job_type, action="hand_over").values_list(
            "object_id", "actor_id"
        )
    )
    Event.objects.bulk_create(
        Event(
            content_type=unit_type,
            object_id=job.unit_id,
            action="repaired",
            actor_id=handed_by.get(job.pk),
            note=job.number,
            data={"work_order": job.number, "fault_code": job.fault_code},
            at=job.handed_over_at,
        )
        for job in jobs.iterator()
    )


def backwards(apps, schema_editor):
    Event = apps.get_model("core", "Event")
    Event.objects.filter(content_type__app_label="catalog", action="repaired").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0002_van_stock_visit_incomplete"),
        ("catalog", "0003_unit_repair_and_goodwill_days"),
        ("core", "0002_event_action_at"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
