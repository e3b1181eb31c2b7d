"""Every customer-visible moment has Chinese words, and the words take their variables."""

from aftersales.notifications import rules
from aftersales.notifications.models import Template

CODES = {
    "request_received": {"number"},
    "appointment_agreed": {"window", "number"},
    "appointment_changed": {"window", "number"},
    "technician_on_the_way": {"technician", "number"},
    "unit_received": {"number"},
    "quote_waiting": {"amount", "number"},
    "parts_delayed": {"date", "number"},
    "ready_for_pickup": {"center", "number"},
    "completed": {"number"},
    "survey_link": {"link"},
    "complaint_acknowledged": {"number", "deadline"},
}


def test_every_event_has_an_sms_and_an_email_template_with_its_variables():
    for code, names in CODES.items():
        for channel in ("sms", "email"):
            template = Template.objects.get(code=code, channel=channel)
            assert names | {"name"} <= rules.variables_of(template.text), (code, channel)


def test_a_template_renders_chinese_with_its_variables():
    text = Template.objects.get(code="parts_delayed", channel="sms").text
    rendered = rules.render(text, {"name": "张三", "date": "11月30日", "number": "WO2611230001"})
    assert rendered == (
        "张三您好，您的维修所需配件预计11月30日到货，到货后我们将尽快为您维修。工单号WO2611230001。"
    )


def test_a_missing_variable_is_left_out_not_shown_raw():
    assert rules.render("{name}您好，单号{number}", {"name": "李四"}) == "李四您好，单号"
    assert rules.missing("{name}您好，单号{number}", {"name": "李四"}) == {"number"}


def test_the_retry_ladder_waits_1_5_25_minutes_and_gives_up_after_five_tries():
    assert [rules.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 5, 25, 125]
    assert not rules.gives_up(4) and rules.gives_up(5)
