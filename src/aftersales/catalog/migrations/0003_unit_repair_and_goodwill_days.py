"""Split the unit's extension into repair days (also subtracted in depreciation) and goodwill days
(complaint settlements, which only extend the period); drop an index the unique constraint gives."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_importjob")]

    operations = [
        migrations.RemoveIndex(model_name="unit", name="unit_serial_prefix"),
        migrations.RenameField(
            model_name="unit", old_name="extension_days", new_name="repair_days"
        ),
        migrations.AlterField(
            model_name="unit",
            name="repair_days",
            field=models.PositiveIntegerField(default=0, verbose_name="days in repair"),
        ),
        migrations.AddField(
            model_name="unit",
            name="goodwill_days",
            field=models.PositiveIntegerField(default=0, verbose_name="goodwill extension days"),
        ),
    ]
