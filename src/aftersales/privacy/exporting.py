"""A person's export as a workbook (`core.xlsx` writes it): one sheet per section (a header row
of field names, one row per record), the timelines of every record on one `events` sheet."""

from typing import Any

from aftersales.core.xlsx import Sheet, records

EVENT_COLUMNS = ["record", "at", "actor", "action", "note", "customer_visible", "data"]


def _rows(section: Any) -> list[dict[str, Any]]:
    if isinstance(section, dict):
        return [section]
    if isinstance(section, list):
        return section
    return [{"value": section}]


def sheets(export: dict[str, Any]) -> list[Sheet]:
    found: list[Sheet] = []
    events: list[dict[str, Any]] = []
    for name, section in export.items():
        rows = _rows(section)
        columns: list[str] = []
        for row in rows:
            columns += [k for k in row if k != "events" and k not in columns]
            events += [{"record": f"{name}:{row.get('id')}", **e} for e in row.get("events", [])]
        found.append(Sheet(title=name, header=columns, rows=records(rows, columns)))
    found.append(Sheet(title="events", header=EVENT_COLUMNS, rows=records(events, EVENT_COLUMNS)))
    return found
