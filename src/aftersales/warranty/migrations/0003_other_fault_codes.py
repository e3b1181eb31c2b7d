"""The categories the shipped policies brought (0002) get their "other" fault symptom too (the
catalog's fault codes, catalog 0008, which runs only with the catalog's own migrations)."""

import importlib

from django.db import migrations

SHIPPED_FAULT_CODES = importlib.import_module(
    "aftersales.catalog.migrations.0008_shipped_fault_codes"
)


class Migration(migrations.Migration):
    dependencies = [
        ("warranty", "0002_shipped_policies"),
        ("catalog", "0008_shipped_fault_codes"),
    ]

    operations = [migrations.RunPython(SHIPPED_FAULT_CODES.ship, migrations.RunPython.noop)]
