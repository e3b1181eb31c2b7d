import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_import_in_batches"),
        ("customers", "0002_remove_customer_customer_phone_prefix"),
        ("dispatch", "0003_leave_days_within_bounds"),
        ("tickets", "0004_ticket_job"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The foreign keys' own indexes go (an index leading with the same column serves
        # them): dropped by name, where an AlterField would rebuild the table on SQLite.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticket",
                    name="center",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="dispatch.servicecenter",
                        verbose_name="service center",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="customer",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="customers.customer",
                        verbose_name="customer",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="owner",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="owned_tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="owner",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="catalog.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tickets_ticket_center_id_29407589"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "tickets_ticket_center_id_29407589" '
                    'ON "tickets_ticket" ("center_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tickets_ticket_customer_id_f2d9135a"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "tickets_ticket_customer_id_f2d9135a" '
                    'ON "tickets_ticket" ("customer_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tickets_ticket_owner_id_40236788"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "tickets_ticket_owner_id_40236788" '
                    'ON "tickets_ticket" ("owner_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "tickets_ticket_unit_id_1af5ff64"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "tickets_ticket_unit_id_1af5ff64" '
                    'ON "tickets_ticket" ("unit_id")',
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["owner", "id"], name="ticket_owner"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["center", "id"], name="ticket_center"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["kind", "id"], name="ticket_kind"),
        ),
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(fields=["channel", "id"], name="ticket_channel"),
        ),
    ]
