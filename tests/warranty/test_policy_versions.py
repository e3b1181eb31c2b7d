"""Policies are data an administrator edits; every edit is a new version, and answers name theirs."""

from datetime import date

from aftersales.core.models import Event
from aftersales.warranty import selectors
from aftersales.warranty.models import Policy, PolicyVersion
from aftersales.warranty.services import policy_publish
from tests.factories import PASSWORD, make_staff

FACTS = {"purchase_date": date(2026, 11, 2), "report_date": date(2026, 11, 7)}


def test_the_shipped_policies_start_at_version_1_with_a_snapshot(db):
    phone = Policy.objects.get(code="cn-mobile-phone-2001")

    snapshot = PolicyVersion.objects.get(policy=phone, version=1).snapshot

    assert phone.version == 1
    assert snapshot["return_days"] == 7 and snapshot["no_voucher_grace_days"] == 90
    assert {p["code"] for p in snapshot["categories"][0]["parts"]} >= {
        "host",
        "battery",
        "charger",
        "headset",
    }


def test_publishing_an_edit_makes_the_next_version_and_decisions_name_it(db):
    boss = make_staff("boss", "admin")
    phone = Policy.objects.get(code="cn-mobile-phone-2001")
    phone.return_days = 10
    phone.save()

    policy_publish(policy=phone, by=boss)
    decision = selectors.decide(
        category="mobile_phone", facts={**FACTS, "report_date": date(2026, 11, 11)}
    )

    assert (decision.policy_code, decision.policy_version) == ("cn-mobile-phone-2001", 2)
    assert decision.window == "return"  # day 9 is inside the new 10-day window
    assert PolicyVersion.objects.get(policy=phone, version=1).snapshot["return_days"] == 7
    assert PolicyVersion.objects.get(policy=phone, version=2).snapshot["return_days"] == 10
    assert Event.objects.filter(action="published", object_id=phone.pk).count() == 1


def test_saving_a_policy_in_the_admin_publishes_a_new_version(db, client):
    make_staff("boss", "admin")
    client.login(username="boss", password=PASSWORD)
    flooring = Policy.objects.get(code="company-flooring")
    page = client.get(f"/admin/warranty/policy/{flooring.pk}/change/")
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.update({"name": "地板保修政策（公司，2027 版）", "exclusions": '["liquid", "impact"]'})
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, value in management.initial.items():
            data[f"{management.prefix}-{name}"] = value
        for inline in formset.formset.forms:
            for name, value in inline.initial.items():
                data[f"{inline.prefix}-{name}"] = "" if value is None else value
            data[f"{inline.prefix}-id"] = inline.instance.pk

    answer = client.post(f"/admin/warranty/policy/{flooring.pk}/change/", data)

    errors = (
        [fs.formset.errors for fs in answer.context["inline_admin_formsets"]]
        if answer.context
        else None
    )
    assert answer.status_code == 302, errors
    flooring.refresh_from_db()
    assert flooring.version == 2
    assert (
        PolicyVersion.objects.get(policy=flooring, version=2).snapshot["name"]
        == "地板保修政策（公司，2027 版）"
    )
