# The sweep's partial index: only the open follow-ups not claimed yet (followups_claim_due).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0005_followup_queued_at"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("queued_at__isnull", True), ("status", "open")),
                fields=["due_at"],
                name="followup_sweep_due",
            ),
        ),
    ]
