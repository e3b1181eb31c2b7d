"""Reading a customer/unit import file (CSV or XLSX) into rows, and a row into service arguments.

Nothing here writes to the database: `catalog.services.import_rows` does, through the same
`customer_create` and `unit_register` every other channel uses.
"""

import codecs
import csv
import io
import json
import zipfile
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from aftersales.catalog import rules
from aftersales.catalog.models import Unit
from aftersales.core.errors import DomainError, InvalidInput
from aftersales.customers.models import Customer
from aftersales.customers.services import clean_phone

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# An XLSX is a ZIP: its members, unpacked, may not exceed this in all (what openpyxl reads)…
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
# …nor any member unpack to more than this many times its packed size (a sheet of text packs
# 5–30 times; a "ZIP bomb" thousands), once it is over a megabyte.
MAX_PACKING_RATIO = 100
MAX_COLUMNS = 100


@dataclass
class Row:
    """One data row: its number as Excel shows it (the header is row 1) and its cells by column."""

    number: int
    values: dict[str, str]
    same_serial: tuple[int, ...] = ()  # every row of the file with this row's serial, if repeated

    def to_json(self) -> str:
        return json.dumps([self.number, self.values, self.same_serial], ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str | bytes) -> "Row":
        number, values, same_serial = json.loads(line)
        return cls(number, values, tuple(same_serial))


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as the file writes it
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportFile:
    labels: dict[str, str]  # canonical column → the file's header
    ignored: tuple[str, ...]  # headers that match no column
    rows: list[Row]


def file_error(message: str) -> InvalidInput:
    return InvalidInput(message, details={"file": [message]})


def read_file(
    stream: IO[bytes], *, max_bytes: int = MAX_BYTES, max_rows: int = MAX_ROWS
) -> ImportFile:
    """The rows of an uploaded CSV or XLSX file; InvalidInput naming what is wrong with the file.

    The format is told by the content, not the name: XLSX is a ZIP archive, anything else must be
    text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or GB18030 (what
    Chinese Excel writes as "CSV").
    """
    table = _open_table(stream, max_bytes)
    try:
        return _read_table(table, max_rows)
    finally:
        table.close()


def _open_table(stream: IO[bytes], max_bytes: int) -> Generator[Sequence[object]]:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise file_error(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    if not data.strip():
        raise file_error(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise file_error(
            _("Old Excel files (.xls) cannot be read; save the sheet as .xlsx or CSV.")
        )
    return _csv_rows(_decode(data))


def read_fault_codes(stream: IO[bytes], *, max_rows: int = 10_000) -> list[Row]:
    """The rows of a fault-code sheet (CSV or XLSX, read like the customer import: docs/import.md),
    each with its cells by column (catalog.rules.FAULT_COLUMNS); InvalidInput naming what is
    wrong with the file."""
    table = _open_table(stream, MAX_BYTES)
    try:
        header = next(table, None)
        positions, missing = rules.fault_columns([rules.cell_text(h) for h in header or ()])
        if missing:
            raise file_error(
                _(
                    "The first row must name the columns category (类别), code (代码) and "
                    "name (名称). Missing: %(columns)s."
                )
                % {"columns": ", ".join(missing)}
            )
        rows: list[Row] = []
        for number, cells in enumerate(table, start=2):
            values = {
                column: rules.cell_text(cells[index]) if index < len(cells) else ""
                for column, index in positions.items()
            }
            if not any(values.values()):
                continue
            if len(rows) == max_rows:
                raise file_error(
                    _("The file has more than %(max)d rows; split it into smaller files.")
                    % {"max": max_rows}
                )
            rows.append(Row(number, values))
    finally:
        table.close()
    return rows


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif b"\x00" in data:
        raise file_error(_("This is not a CSV or XLSX file."))
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error(_("The file's text encoding cannot be read; save it as CSV UTF-8 or as XLSX."))


def _csv_rows(text: str) -> Generator[Sequence[object]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise file_error(
            _("Line %(line)d of the CSV file cannot be read: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook that would unpack to more than MAX_UNPACKED_BYTES, or packs too well to
    be a spreadsheet. The sizes are the archive's own record of them, which also bounds what the
    ZIP reader will unpack (it stops at a member's recorded size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise file_error(_("This is not an XLSX workbook that can be read.")) from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES:
        raise file_error(
            _(
                "This workbook unpacks to %(size)d MB, more than the %(max)d MB that can be read; "
                "save it as CSV, or split it into smaller files."
            )
            % {"size": -(-unpacked // (1024 * 1024)), "max": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    if any(
        member.file_size > 1024 * 1024
        and member.file_size > MAX_PACKING_RATIO * max(member.compress_size, 1)
        for member in members
    ):
        raise file_error(
            _(
                "This workbook is packed more tightly than any spreadsheet (a part of it unpacks "
                "to over %(ratio)d times its size); save it again as XLSX or CSV."
            )
            % {"ratio": MAX_PACKING_RATIO}
        )


def _xlsx_rows(data: bytes) -> Generator[Sequence[object]]:
    """The first sheet's rows, streamed (openpyxl's read-only mode), at most MAX_COLUMNS wide."""
    import openpyxl

    _check_unpacked_size(data)
    try:
        # openpyxl fails in many ways on a ZIP that is not a workbook (a .docx, a damaged file).
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except Exception as exc:
        raise file_error(_("This is not an XLSX workbook that can be read.")) from exc
    try:
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise _too_many_columns(sheet.max_column)
        # Past that, the sheet's declared size is not trusted: openpyxl would pad every row to it.
        sheet.reset_dimensions()
        # One column past the limit is read, to tell a sheet that writes there.
        for cells in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            if cells and cells[-1] is not None and len(cells) > MAX_COLUMNS:
                raise _too_many_columns(MAX_COLUMNS + 1)
            yield cells[:MAX_COLUMNS]
    finally:
        book.close()


def _too_many_columns(count: int) -> InvalidInput:
    return file_error(
        _(
            "The sheet has %(count)d columns; at most %(max)d can be read. Delete the empty or "
            "unneeded columns on the right."
        )
        % {"count": count, "max": MAX_COLUMNS}
    )


def _read_table(table: Generator[Sequence[object]], max_rows: int) -> ImportFile:
    header = next(table, None)
    match = rules.match_headers([rules.cell_text(h) for h in header or ()])
    if match.ambiguous:
        raise file_error(
            _("These columns mean the same thing, keep one of them: %(columns)s.")
            % {"columns": "; ".join(" / ".join(group) for group in match.ambiguous)}
        )
    if match.missing:
        raise file_error(
            _(
                "The first row must name the columns, and name (姓名) and phone (电话) are required. "
                "Missing: %(columns)s."
            )
            % {"columns": ", ".join(match.missing)}
        )
    rows: list[Row] = []
    for number, cells in enumerate(table, start=2):
        values = {
            column: rules.cell_text(cells[index]) if index < len(cells) else ""
            for column, index in match.positions.items()
        }
        if not any(values.values()):
            continue  # blank lines, and Excel's formatted but empty rows
        if len(rows) == max_rows:
            raise file_error(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": max_rows}
            )
        rows.append(Row(number, values))
    if not rows:
        raise file_error(_("The file has a header row but no data rows."))
    repeated = rules.repeated_values((row.number, row.values.get("serial", "")) for row in rows)
    for row in rows:
        row.same_serial = repeated.get(row.number, ())
    return ImportFile(labels=match.labels, ignored=match.unknown, rows=rows)


@dataclass
class ParsedRow:
    """A row as service arguments, with what is wrong in its cells (column → message)."""

    customer: dict[str, Any]
    unit: dict[str, Any] | None
    customer_errors: dict[str, str] = field(default_factory=dict)
    unit_errors: dict[str, str] = field(default_factory=dict)


TEXT_COLUMNS = {
    Customer: ("name", "address", "region", "postcode", "contact_person", "email", "note"),
    Unit: ("serial", "invoice_no", "seller"),
}


def _check_field(model: type[models.Model], name: str, value: Any, errors: dict[str, str]) -> None:
    """The model field's own rules (required, length, format): one source of truth for them."""
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    try:
        model_field.clean(value, None)
    except ValidationError as exc:
        errors.setdefault(name, " ".join(exc.messages))


def parse_row(row: Row) -> ParsedRow:
    """Read a row's cells; the business checks are left to `customer_create` and `unit_register`."""
    values = row.values
    parsed = ParsedRow(customer={c: values.get(c, "") for c in TEXT_COLUMNS[Customer]}, unit=None)
    try:
        parsed.customer["phone"] = clean_phone(values.get("phone", ""))
    except DomainError as exc:
        parsed.customer_errors["phone"] = exc.message
    try:
        parsed.customer["kind"] = rules.parse_kind(values.get("kind", ""))
    except ValueError as exc:
        parsed.customer_errors["kind"] = str(exc)
    for name in TEXT_COLUMNS[Customer]:
        _check_field(Customer, name, parsed.customer[name], parsed.customer_errors)

    if not any(values.get(c) for c in rules.UNIT_COLUMNS):
        return parsed
    unit: dict[str, Any] = {c: values.get(c, "") for c in (*TEXT_COLUMNS[Unit], "model")}
    errors = parsed.unit_errors
    if row.same_serial:
        others = ", ".join(str(n) for n in row.same_serial if n != row.number)
        errors["serial"] = _("This serial is also in row %(rows)s of the file.") % {"rows": others}
    for name in TEXT_COLUMNS[Unit]:
        _check_field(Unit, name, unit[name], errors)
    if unit["serial"] and not unit["model"]:
        errors["model"] = _("A unit needs its model code.")
    for name in rules.DATE_COLUMNS:
        try:
            unit[name] = rules.parse_date(values.get(name, ""))
        except ValueError as exc:
            errors[name] = str(exc)
    try:
        unit["price"] = rules.parse_price(values.get("price", ""))
    except ValueError as exc:
        errors["price"] = str(exc)
    else:
        if unit["price"] is not None:
            _check_field(Unit, "price", unit["price"], errors)
    parsed.unit = unit
    return parsed


def error_column(exc: DomainError, default: str) -> str:
    """The column a service's refusal is about: the first field its details name, else `default`."""
    return next((key for key in exc.details if key in rules.COLUMNS), default)


def errors_for(number: int, errors: dict[str, str], labels: dict[str, str]) -> Iterable[RowError]:
    order = list(rules.COLUMNS)
    for column in sorted(errors, key=order.index):
        yield RowError(number, labels.get(column, column), errors[column])
