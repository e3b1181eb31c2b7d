"""The message a web complaint screened as not ours sends: the explanation (DOMAIN.md §5)."""

from django.db import migrations

TEXT = "{name}您好，您反映的问题（单号{number}）经核实不属于我们的服务范围：{explanation} 如有疑问请致电我们。"


def seed(apps, schema_editor):
    Template = apps.get_model("notifications", "Template")
    Template.objects.update_or_create(
        code="complaint_not_ours", channel="sms", defaults={"text": TEXT}
    )
    Template.objects.update_or_create(
        code="complaint_not_ours",
        channel="email",
        defaults={"text": TEXT, "subject": "{company}服务通知"},
    )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "Template").objects.filter(code="complaint_not_ours").delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_seed_templates")]

    operations = [migrations.RunPython(seed, unseed)]
