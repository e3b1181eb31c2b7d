"""Visits of on-site jobs (docs/decisions.md 43): each job's current appointment and field
times become its first visit. A job on the way again after an arrival (it left unfinished,
then set off once more) gets two: the earlier arrival with its reason, then the trip under way,
which the job now carries alone."""

from itertools import islice

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

BATCH = 2000
FIELDS = (
    "pk",
    "technician_id",
    "appointment_start",
    "appointment_end",
    "departed_at",
    "arrived_at",
    "visit_incomplete",
)


def forwards(apps, schema_editor):
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    Visit = apps.get_model("workorders", "Visit")
    jobs = (
        WorkOrder.objects.filter(
            Q(appointment_start__isnull=False)
            | Q(departed_at__isnull=False)
            | Q(arrived_at__isnull=False)
        )
        .exclude(pk__in=Visit.objects.values("work_order_id"))
        .order_by("pk")
        .values_list(*FIELDS)
    )
    rows = jobs.iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):  # a batch at a time: there may be millions
        visits, again = [], []
        for pk, tech, start, end, departed, arrived, reason in batch:
            if departed and arrived and departed > arrived:  # set off again after a visit
                visits.append(
                    Visit(
                        work_order_id=pk,
                        number=1,
                        technician_id=tech,
                        arrived_at=arrived,
                        visit_incomplete=reason or "other",
                    )
                )
                visits.append(
                    Visit(
                        work_order_id=pk,
                        number=2,
                        technician_id=tech,
                        window_start=start,
                        window_end=end,
                        departed_at=departed,
                    )
                )
                again.append(pk)
                continue
            visits.append(
                Visit(
                    work_order_id=pk,
                    number=1,
                    technician_id=tech,
                    window_start=start,
                    window_end=end,
                    departed_at=departed,
                    arrived_at=arrived,
                    visit_incomplete=reason,
                )
            )
        Visit.objects.bulk_create(visits)
        WorkOrder.objects.filter(pk__in=again).update(arrived_at=None, visit_incomplete="")


def backwards(apps, schema_editor):
    """The jobs keep their current visit's times; an earlier arrival comes back onto a job the
    migration split (the latest arrival, as before)."""
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    Visit = apps.get_model("workorders", "Visit")
    for visit in Visit.objects.filter(number=1, arrived_at__isnull=False).iterator():
        WorkOrder.objects.filter(pk=visit.work_order_id, arrived_at=None).update(
            arrived_at=visit.arrived_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0006_stock_movements_discrepancies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Visit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField(verbose_name="visit")),
                (
                    "window_start",
                    models.DateTimeField(blank=True, null=True, verbose_name="window from"),
                ),
                (
                    "window_end",
                    models.DateTimeField(blank=True, null=True, verbose_name="window to"),
                ),
                (
                    "departed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="departed"),
                ),
                ("arrived_at", models.DateTimeField(blank=True, null=True, verbose_name="arrived")),
                (
                    "visit_incomplete",
                    models.CharField(blank=True, max_length=30, verbose_name="visit not finished"),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "technician",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="technician",
                    ),
                ),
                (
                    "work_order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="visits",
                        to="workorders.workorder",
                    ),
                ),
            ],
            options={
                "verbose_name": "visit",
                "verbose_name_plural": "visits",
                "ordering": ["work_order", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("work_order", "number"), name="uniq_visit_number"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
