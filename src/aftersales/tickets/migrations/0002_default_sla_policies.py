"""Default SLA policies (an administrator edits them; empty kind/channel/priority match any)."""

from decimal import Decimal

from django.db import migrations

BH, BD, H = "business_hours", "business_days", "hours"
# (kind, channel, priority, respond, respond unit, resolve, resolve unit)
POLICIES = [
    ("", "", "", 4, BH, 5, BD),  # everything else
    (
        "repair",
        "",
        "",
        2,
        BH,
        3,
        BD,
    ),  # the "hotline repair normal: 2 business hours / 3 business days"
    ("repair", "", "high", 2, BH, 2, BD),
    ("repair", "", "urgent", 1, BH, 1, BD),
    ("consultation", "", "", 2, BH, 1, BD),
    (
        "consultation",
        "web",
        "",
        24,
        H,
        24,
        H,
    ),  # DOMAIN §6: web consultations answered within 24 hours
    ("consultation", "email", "", 24, H, 24, H),
    (
        "complaint",
        "",
        "",
        2,
        BH,
        3,
        BD,
    ),  # a complaint's promised deadline is 3 working days by default
    ("installation", "", "", 4, BH, 5, BD),
    ("booking", "", "", 4, BH, 5, BD),
]


def create(apps, schema_editor):
    SlaPolicy = apps.get_model("tickets", "SlaPolicy")
    for kind, channel, priority, respond, respond_unit, resolve, resolve_unit in POLICIES:
        SlaPolicy.objects.get_or_create(
            kind=kind,
            channel=channel,
            priority=priority,
            defaults={
                "respond_amount": Decimal(respond),
                "respond_unit": respond_unit,
                "resolve_amount": Decimal(resolve),
                "resolve_unit": resolve_unit,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
