import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_import_in_batches"),
        ("dispatch", "0003_leave_days_within_bounds"),
        ("tickets", "0004_ticket_job"),
        ("workorders", "0008_prices_within_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The foreign keys' own indexes go (an index leading with the same column serves
        # them): dropped by name, where an AlterField would rebuild the table on SQLite.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="workorder",
                    name="center",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_orders",
                        to="dispatch.servicecenter",
                        verbose_name="service center",
                    ),
                ),
                migrations.AlterField(
                    model_name="workorder",
                    name="technician",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_orders",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="technician",
                    ),
                ),
                migrations.AlterField(
                    model_name="workorder",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_orders",
                        to="tickets.ticket",
                        verbose_name="service request",
                    ),
                ),
                migrations.AlterField(
                    model_name="workorder",
                    name="unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="work_orders",
                        to="catalog.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "workorders_workorder_center_id_b5703e1f"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "workorders_workorder_center_id_b5703e1f" '
                    'ON "workorders_workorder" ("center_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "workorders_workorder_technician_id_3e6ab5f6"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "workorders_workorder_technician_id_3e6ab5f6" '
                    'ON "workorders_workorder" ("technician_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "workorders_workorder_ticket_id_5763516c"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "workorders_workorder_ticket_id_5763516c" '
                    'ON "workorders_workorder" ("ticket_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "workorders_workorder_unit_id_479b0f27"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "workorders_workorder_unit_id_479b0f27" '
                    'ON "workorders_workorder" ("unit_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="workorder",
            index=models.Index(fields=["technician", "id"], name="wo_technician"),
        ),
        migrations.AddIndex(
            model_name="workorder",
            index=models.Index(fields=["center", "id"], name="wo_center"),
        ),
        migrations.AddIndex(
            model_name="workorder",
            index=models.Index(fields=["mode", "id"], name="wo_mode"),
        ),
    ]
