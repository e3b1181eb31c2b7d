"""Fault codes written as free text before the categories had their fault-code trees: a value
that is, letter for letter, the name of one node of the unit's category's tree (or one of the
names a node gives with " / ", e.g. 不开机 of "不开机 / 无法开机") becomes that node's code; every
other value stays the text it is (compared as text, counted under "other": docs/api.md)."""

import re

from django.db import migrations


def _names(apps) -> dict[int, dict[str, str]]:
    """category id → each unambiguous name (upper case, as the diagnosis stored codes) → code."""
    FaultCode = apps.get_model("catalog", "FaultCode")
    found: dict[int, dict[str, set[str]]] = {}
    for category_id, code, name in FaultCode.objects.values_list("category_id", "code", "name"):
        for key in {name, *re.split(r"\s*[/／]\s*", name)}:
            key = key.strip().upper()
            if key:
                found.setdefault(category_id, {}).setdefault(key, set()).add(code)
    return {
        category: {key: codes.pop() for key, codes in names.items() if len(codes) == 1}
        for category, names in found.items()
    }


def match_free_text(apps, schema_editor):
    WorkOrder = apps.get_model("workorders", "WorkOrder")
    names = _names(apps)
    jobs = (
        WorkOrder.objects.exclude(fault_code="")
        .filter(unit__isnull=False)
        .values_list("pk", "fault_code", "unit__model__category_id")
    )
    moves: dict[tuple[str, str, int], list[int]] = {}
    for pk, text, category_id in jobs.iterator(chunk_size=2000):
        code = names.get(category_id, {}).get(text.strip().upper())
        if code and code != text:
            moves.setdefault((text, code, category_id), []).append(pk)
    for (_text, code, _category), pks in moves.items():
        for start in range(0, len(pks), 500):
            WorkOrder.objects.filter(pk__in=pks[start : start + 500]).update(fault_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("workorders", "0010_report_period_indexes"),
        ("catalog", "0008_shipped_fault_codes"),
    ]

    operations = [migrations.RunPython(match_free_text, migrations.RunPython.noop)]
