"""Workbooks: the one writer of XLSX files (the lists' and reports' exports, a person's privacy
export). openpyxl's write-only mode writes each row to a temporary file as it is appended, and
strings inline (no shared-strings table), so a sheet of any length costs the memory of one row;
the finished workbook is zipped into a temporary file, which the answer streams (decision 80)."""

import json
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any, Literal

from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from aftersales.core.models import AccessKind
from aftersales.core.services import record_access

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT = "0.00%"
MONEY = "#,##0.00"


# `?format=`: JSON (the default) or a workbook; anything else → 422 naming `format`.
Format = Literal["json", "xlsx"] | None


def wanted(request: HttpRequest, format: str | None) -> bool:
    """Whether the caller asks for a workbook: `?format=xlsx`, or `Accept` naming the XLSX type
    (`?format=json` keeps JSON whatever `Accept` says)."""
    if format is not None:
        return format == "xlsx"
    return XLSX_TYPE in request.headers.get("Accept", "")


@dataclass(frozen=True)
class Formatted:
    """A value with the number format Excel shows it in (`PERCENT` for a rate 0..1)."""

    value: Any
    number_format: str


@dataclass(frozen=True)
class Sheet:
    """A sheet: its title (at most 31 characters), its header row and its rows, read once."""

    title: str
    header: list[str]
    rows: Iterable[Iterable[Any]]


def _plain(value: Any) -> Any:
    """What a cell can hold: local times without their zone (Excel has none), structures as
    JSON text, other values as they are (numbers stay numbers: Decimal, int, float)."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    if value is None or isinstance(value, str | int | float | Decimal | date):
        return value
    return str(value)


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    """What to append for `value`: a plain value (openpyxl writes it through one reused cell, a
    time with its date format), or a cell of its own for a number format."""
    if isinstance(value, Formatted):
        cell = WriteOnlyCell(sheet, _cell(sheet, value.value))
        if cell.value is not None:
            cell.number_format = value.number_format
        return cell
    plain = _plain(value)
    if isinstance(plain, str) and ILLEGAL_CHARACTERS_RE.search(plain):
        return json.dumps(plain, ensure_ascii=False)  # control characters Excel cannot hold
    return plain


def write(target: str | IO[bytes], sheets: Iterable[Sheet]) -> int:
    """Write a workbook of `sheets` to a path or a binary file, row by row; the number of rows
    written (headers not counted)."""
    book = Workbook(write_only=True)
    written = 0
    try:
        for spec in sheets:
            sheet = book.create_sheet(title=spec.title[:31])
            sheet.append([_cell(sheet, name) for name in spec.header])
            for row in spec.rows:
                sheet.append([_cell(sheet, value) for value in row])
                written += 1
    except BaseException:
        _discard(book)
        raise
    if not book.worksheets:  # a workbook has at least one sheet
        book.create_sheet()
    book.save(target)
    return written


def _discard(book: Workbook) -> None:
    """A workbook given up half-written (a row failed): each sheet's temporary file closed and
    deleted now — openpyxl would leave them in the temporary folder until the process ends, a
    long time for the worker."""
    for sheet in book.worksheets:
        writer = getattr(sheet, "_writer", None)  # openpyxl's, made by the first append
        if writer is None:
            continue
        with suppress(Exception):
            sheet.close()
        with suppress(Exception):
            writer.cleanup()


def response(filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """The answer carrying the workbook as an attachment named `filename`: written to a
    temporary file first (so a refusal or a failure while reading rows is still a JSON error,
    not a broken download), then streamed from it in chunks; the file goes when the answer is
    closed."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        write(out, sheets)
        out.seek(0)
    except BaseException:
        out.close()
        raise
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def list_export(request: HttpRequest, *, name: str, filters: object, sheet: Sheet) -> FileResponse:
    """A list's export: every row `sheet` reads, in `name`-YYYY-MM-DD.xlsx (today, local), and
    its access record (a list of customers' data taken away: docs/api.md "Access records")."""
    record_access(request, kind=AccessKind.LIST_EXPORT, subject=name, detail=str(filters))
    return response(f"{name}-{timezone.localdate().isoformat()}.xlsx", [sheet])


def yes_no(value: bool | None) -> str | None:
    """A flag in the reader's words (an empty cell for unknown)."""
    if value is None:
        return None
    return _("Yes") if value else _("No")


def one_sheet(title: str, header: list[str], rows: Iterable[Iterable[Any]]) -> list[Sheet]:
    return [Sheet(title=title, header=header, rows=rows)]


def records(rows: Iterable[dict[str, Any]], columns: list[str]) -> Iterator[list[Any]]:
    """Rows of dicts as rows of cells, in `columns`' order (a missing key: an empty cell)."""
    for row in rows:
        yield [row.get(column) for column in columns]
