"""A person's export as a workbook: one sheet per section (a header row of field names, one row
per record), the timelines of every record on one `events` sheet."""

import io
import json
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _rows(section: Any) -> list[dict[str, Any]]:
    if isinstance(section, dict):
        return [section]
    if isinstance(section, list):
        return section
    return [{"value": section}]


def workbook(export: dict[str, Any]) -> bytes:
    book = Workbook(write_only=True)
    events: list[dict[str, Any]] = []
    for name, section in export.items():
        rows = _rows(section)
        columns: list[str] = []
        for row in rows:
            columns += [k for k in row if k != "events" and k not in columns]
            events += [{"record": f"{name}:{row.get('id')}", **e} for e in row.get("events", [])]
        _sheet(book, name, columns, rows)
    _sheet(
        book,
        "events",
        ["record", "at", "actor", "action", "note", "customer_visible", "data"],
        events,
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(book: Workbook, title: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    sheet = book.create_sheet(title=title[:31])
    sheet.append(columns)
    for row in rows:
        cells = []
        for column in columns:
            cell = WriteOnlyCell(sheet)
            try:
                cell.value = _cell(row.get(column))
            except IllegalCharacterError:  # control characters Excel cannot hold
                cell.value = json.dumps(row.get(column), ensure_ascii=False)
            cells.append(cell)
        sheet.append(cells)
