"""The one workbook writer (core.xlsx): what a cell holds as people read it in a spreadsheet."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import openpyxl

from aftersales.core import xlsx


def read_back(header: list[str], rows: list[list[object]]) -> list[tuple]:
    out = io.BytesIO()
    written = xlsx.write(out, [xlsx.Sheet(title="t", header=header, rows=iter(rows))])
    assert written == len(rows)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    return list(book.active.iter_rows(values_only=True))


def test_times_are_local_money_a_number_and_control_characters_escaped():
    moment = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai

    [header, row] = read_back(
        ["at", "paid", "rate", "note", "none"],
        [[moment, xlsx.Formatted(Decimal("280.00"), xlsx.MONEY), 0.5, "a\x01b", None]],
    )

    assert header == ("at", "paid", "rate", "note", "none")
    assert row == (datetime(2026, 12, 15, 10, 0), 280, 0.5, '"a\\u0001b"', None)


def test_a_number_format_is_kept_for_the_spreadsheet():
    out = io.BytesIO()
    rows = [[xlsx.Formatted(0.8333, xlsx.PERCENT), xlsx.Formatted(None, xlsx.PERCENT)]]
    xlsx.write(out, [xlsx.Sheet(title="t", header=["rate", "none"], rows=rows)])

    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet["A2"].number_format == xlsx.PERCENT and sheet["A2"].value == 0.8333
    assert sheet["B2"].value is None
