"""Seed the message templates (Chinese copy is data, editable in the admin)."""

from django.db import migrations

SMS = {
    "request_received": "{name}您好，您的服务申请已受理，单号{number}。我们将尽快与您联系。",
    "appointment_agreed": "{name}您好，已为您预约上门服务，时间{window}，工单号{number}。如需改期请致电我们。",
    "appointment_changed": "{name}您好，您的上门服务时间已改为{window}，工单号{number}。给您带来不便敬请谅解。",
    "technician_on_the_way": "{name}您好，服务工程师{technician}已出发前往您处，请保持电话畅通。工单号{number}。",
    "unit_received": "{name}您好，您送修的产品已收到，工单号{number}，维修进度可凭单号查询。",
    "quote_waiting": "{name}您好，您的产品检测完毕，维修报价{amount}元，请回复或致电确认是否维修。工单号{number}。",
    "parts_delayed": "{name}您好，您的维修所需配件预计{date}到货，到货后我们将尽快为您维修。工单号{number}。",
    "ready_for_pickup": "{name}您好，您的产品已修好，请携带取机凭证到{center}取机。工单号{number}。",
    "completed": "{name}您好，您的服务已完成（单号{number}），感谢您对{company}的信任。",
    "survey_link": "{name}您好，请花一分钟评价本次服务：{link}",
    "complaint_acknowledged": "{name}您好，您的投诉已受理（单号{number}），我们将于{deadline}前给您答复。",
}


def seed(apps, schema_editor):
    Template = apps.get_model("notifications", "Template")
    for code, text in SMS.items():
        Template.objects.update_or_create(code=code, channel="sms", defaults={"text": text})
        Template.objects.update_or_create(
            code=code,
            channel="email",
            defaults={"text": text, "subject": "{company}服务通知"},
        )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "Template").objects.filter(code__in=list(SMS)).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
