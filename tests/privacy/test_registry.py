"""Every model is walked: a field that may hold a person's name, phone or address is covered by
both the export and the erase, or declared not personal with a reason — so a later app cannot
forget its own (decision 72)."""

from django.apps import apps
from django.db import models

from aftersales.privacy.registry import ERASED, LOOKS_PERSONAL, MENTIONS_ONLY, NOT_PERSONAL
from aftersales.privacy.selectors import SECTIONS

TEXT = (models.CharField, models.TextField, models.JSONField, models.FileField, models.BinaryField)
# The kernel's tables hold a person's data only as a trace of what happened to their records:
# the export shows them with those records (timelines, the admin's log, the access record) or
# as mentions, and the erase rewrites them (core.services.kernel_privacy_erase).
KERNEL_TRACES = {"core.Event", "core.AccessRecord", "admin.LogEntry"}


def personal_looking_fields() -> set[str]:
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT) and LOOKS_PERSONAL.search(field.name)
    }


def declared_not_personal(label: str) -> bool:
    model = label.rsplit(".", 1)[0]
    return label in NOT_PERSONAL or model in NOT_PERSONAL


def test_every_field_that_may_hold_a_name_phone_or_address_is_covered_or_declared():
    forgotten = sorted(
        label
        for label in personal_looking_fields()
        if label not in ERASED and not declared_not_personal(label)
    )

    assert forgotten == [], (
        "Cover these in the privacy export and erase (an app's *_privacy_erase and "
        "privacy.selectors.SECTIONS), or declare them in privacy.registry.NOT_PERSONAL with why"
    )


def test_every_erased_field_is_in_a_model_the_export_shows():
    exported = {s.model._meta.label for s in SECTIONS} | KERNEL_TRACES | set(MENTIONS_ONLY)

    assert sorted({label.rsplit(".", 1)[0] for label in ERASED} - exported) == []


def test_the_customers_own_contact_fields_are_all_erased():
    from aftersales.customers.models import Customer

    contact = {
        f"customers.Customer.{f.name}"
        for f in Customer._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and f.name not in ("kind", "region")
    }

    assert contact <= set(ERASED)


def test_the_declarations_name_real_fields_and_do_not_overlap_the_covered_ones():
    models_ = {m._meta.label: m for m in apps.get_models()}

    for label in NOT_PERSONAL:
        model, _, field = label.rpartition(".") if label.count(".") == 2 else (label, "", "")
        assert model in models_, label
        if field:
            models_[model]._meta.get_field(field)
    for label in ERASED:
        model, _, field = label.rpartition(".")
        models_[model]._meta.get_field(field)
    assert set(NOT_PERSONAL) & set(ERASED) == set()
