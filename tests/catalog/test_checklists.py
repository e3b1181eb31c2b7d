"""A category's checklists are master data: shipped for phones, air compressors and flooring,
edited by an administrator with the category, and read in the reader's language."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from aftersales.catalog.models import Category, ChecklistItem
from aftersales.catalog.selectors import checklist
from tests.factories import PASSWORD, make_staff

SEED = importlib.import_module("aftersales.catalog.migrations.0005_seed_checklists")


@pytest.fixture(autouse=True)
def shipped(db):  # type: ignore[no-untyped-def]
    SEED.seed(django_apps, None)


def names(code: str, kind: str) -> list[str]:
    return [item.name for item in checklist(Category.objects.get(code=code).pk, kind)]


def test_phones_compressors_and_flooring_ship_with_their_own_lists():
    assert "通话" in names("mobile_phone", "qc") and "摄像头" in names("mobile_phone", "qc")
    assert "保压不漏气" in names("air_compressor", "qc")
    assert "通话" not in names("air_compressor", "qc")
    assert "行走无异响" in names("flooring", "qc")
    assert "储气罐（锈蚀、凹陷）" in names("air_compressor", "intake")
    assert "起拱与变形" in names("flooring", "intake")
    assert names("flooring", "accessory") == []


def test_shipping_again_adds_nothing_and_keeps_an_administrators_edits():
    phone = Category.objects.get(code="mobile_phone")
    ChecklistItem.objects.filter(category=phone, kind="qc").exclude(name="开机").delete()

    SEED.seed(django_apps, None)

    assert names("mobile_phone", "qc") == ["开机"]


def test_an_item_reads_in_english_on_the_english_pages():
    [first] = checklist(Category.objects.get(code="air_compressor").pk, "qc")[:1]
    with translation.override("en"):
        assert first.label == "Starts when powered"
    with translation.override("zh-hans"):
        assert first.label == "通电启动"


def test_an_administrator_edits_a_categorys_checklist_in_the_admin(client):
    make_staff("root", "admin")
    client.login(username="root", password=PASSWORD)
    category = Category.objects.get(code="air_compressor")
    url = f"/admin/catalog/category/{category.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "打气至额定压力" in page.content.decode()
    formset = page.context["inline_admin_formsets"][0].formset
    data = {"code": category.code, "name": category.name}
    data |= {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (None, False):
                data[form.add_prefix(name)] = value
    [body] = [form for form in formset.forms if form.instance.name == "机身外观（磕碰、变形）"]
    new = formset.forms[-1]  # the empty row
    data[body.add_prefix("DELETE")] = "on"
    data |= {
        new.add_prefix("kind"): "qc",
        new.add_prefix("position"): "20",
        new.add_prefix("name"): "皮带张紧度",
        new.add_prefix("name_en"): "Belt tension",
        new.add_prefix("active"): "on",
    }

    answer = client.post(url, data)

    assert answer.status_code == 302, answer.context["inline_admin_formsets"][0].formset.errors
    assert names("air_compressor", "qc")[-1] == "皮带张紧度"
    assert "机身外观（磕碰、变形）" not in names("air_compressor", "intake")
