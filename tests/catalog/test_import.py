"""Importing customers and units from CSV and XLSX: the file, the rows, the two modes, the CLI."""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from aftersales.catalog import rules
from aftersales.catalog.importing import read_file
from aftersales.catalog.models import Unit
from aftersales.catalog.services import import_rows
from aftersales.core.errors import InvalidInput
from aftersales.core.models import Event
from aftersales.customers.models import Customer
from tests.factories import CustomerFactory, ProductModelFactory, UnitFactory

# The dates written into the data below are in the past on this day.
pytestmark = pytest.mark.clock("2026-11-23T10:00:00+08:00")

HEADER = ["姓名", "电话", "类型", "地址", "地区", "序列号", "型号", "购买日期", "价格"]


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the source language), whatever the Chinese catalog says."""
    with translation.override("en"):
        yield


def csv_bytes(rows, encoding="utf-8-sig"):
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(data, **options):
    """Read `data` as an uploaded file and import it (strict unless told otherwise)."""
    source = read_file(io.BytesIO(data))
    return import_rows(by=None, rows=source.rows, labels=source.labels, **options)


@pytest.fixture
def phone_model(db):
    return ProductModelFactory(code="XH-P50", name="星河 P50")


def errors_of(result):
    return [(e.row, e.column) for e in result.errors]


def test_a_utf8_csv_with_bom_and_chinese_headers_imports_customers_and_units(phone_model):
    data = csv_bytes(
        [
            HEADER,
            [
                "张三",
                "138 0013 8000",
                "个人",
                "广州市天河区天河路 1 号",
                "440106",
                "860000000000011",
                "XH-P50",
                "2026-03-01",
                "2999.00",
            ],
            ["华南精工机械有限公司", "020-87654321", "单位", "", "440100", "", "", "", ""],
        ]
    )
    assert data.startswith(b"\xef\xbb\xbf")

    result = run(data)

    assert result.committed and result.errors == []
    assert (result.customers_created, result.customers_reused, result.units_created) == (2, 0, 1)
    zhang = Customer.objects.get(phone="+8613800138000")
    assert (zhang.name, zhang.kind, zhang.region) == ("张三", "person", "440106")
    assert Customer.objects.get(phone="+862087654321").kind == "organization"
    unit = Unit.objects.get(serial="860000000000011")
    assert (unit.customer, unit.model, unit.purchase_date, unit.price) == (
        zhang,
        phone_model,
        date(2026, 3, 1),
        Decimal("2999.00"),
    )
    assert (
        Event.objects.filter(action="created").count() == 3
    )  # each customer and unit, by the services


def test_a_gb18030_csv_as_chinese_excel_saves_it(phone_model):
    data = csv_bytes(
        [
            HEADER,
            ["李四", "13900139000", "", "深圳市南山区", "", "SN-1", "xh-p50", "2026/3/1", "¥1,299"],
        ],
        "gb18030",
    )

    result = run(data)

    assert result.committed
    unit = Unit.objects.get(serial="SN-1")
    assert unit.customer.name == "李四"
    assert unit.model == phone_model  # the model code matches whatever its case
    assert unit.price == Decimal("1299")


def test_an_xlsx_with_real_date_cells_and_numbers(phone_model):
    data = xlsx_bytes(
        [
            ["Name", "Phone", "Serial", "Model", "Purchase date", "Invoice date", "Price"],
            [
                "王五",
                13700137000,
                860000000000029,
                "XH-P50",
                datetime(2026, 2, 14),
                date(2026, 2, 15),
                2999.5,
            ],
        ]
    )

    result = run(data)

    assert result.committed
    unit = Unit.objects.get(serial="860000000000029")
    assert unit.customer.phone == "+8613700137000"
    assert (unit.purchase_date, unit.invoice_date, unit.price) == (
        date(2026, 2, 14),
        date(2026, 2, 15),
        Decimal("2999.50"),
    )


def bad_file():
    return csv_bytes(
        [
            HEADER,
            ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "2026-03-01", ""],  # row 2: good
            ["李四", "12345", "", "", "", "SN-2", "XH-P50", "", ""],  # row 3: not a phone
            ["王五", "13700137000", "", "", "", "SN-3", "NO-SUCH", "", ""],  # row 4: unknown model
            [
                "赵六",
                "13600136000",
                "会员",
                "",
                "4401",
                "SN-4",
                "XH-P50",
                "2099-01-01",
                "-5",
            ],  # row 5: four errors
            ["", "13500135000", "", "", "", "", "", "", ""],  # row 6: no name
            ["孙七", "13400134000", "", "", "", "", "", "", ""],  # row 7: good, no unit
        ]
    )


def test_bad_rows_are_reported_by_row_and_column_and_strict_imports_nothing(phone_model):
    result = run(bad_file())

    assert not result.committed
    assert errors_of(result) == [
        (3, "电话"),
        (4, "型号"),
        (5, "类型"),
        (5, "地区"),
        (5, "购买日期"),
        (6, "姓名"),
    ]
    assert "12345" in result.errors[0].message
    assert "NO-SUCH" in result.errors[1].message
    assert (result.error_rows, result.rows_imported) == (4, 2)
    assert (
        not Customer.objects.exists() and not Unit.objects.exists() and not Event.objects.exists()
    )


def test_good_rows_only_imports_exactly_the_good_rows(phone_model):
    result = run(bad_file(), mode=rules.GOOD_ROWS_ONLY)

    assert result.committed and result.rows_imported == 2
    assert set(Customer.objects.values_list("name", flat=True)) == {"张三", "孙七"}
    assert list(Unit.objects.values_list("serial", flat=True)) == ["SN-1"]


def test_a_dry_run_reports_and_keeps_nothing(phone_model):
    result = run(
        csv_bytes([HEADER, ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""]]),
        dry_run=True,
    )

    assert not result.committed and result.errors == []
    assert (result.customers_created, result.units_created) == (1, 1)
    assert not Customer.objects.exists() and not Unit.objects.exists()


def test_a_serial_twice_in_the_file_is_an_error_on_both_rows(phone_model):
    data = csv_bytes(
        [
            HEADER,
            ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""],
            ["李四", "13900139000", "", "", "", "SN-9", "XH-P50", "", ""],
            ["王五", "13700137000", "", "", "", "SN-1", "XH-P50", "", ""],
        ]
    )

    result = run(data, mode=rules.GOOD_ROWS_ONLY)

    assert errors_of(result) == [(2, "序列号"), (4, "序列号")]
    assert "4" in result.errors[0].message and "2" in result.errors[1].message
    assert list(Unit.objects.values_list("serial", flat=True)) == ["SN-9"]


def test_a_serial_already_registered_is_a_row_error(phone_model):
    UnitFactory(serial="SN-1", model=phone_model)

    result = run(csv_bytes([HEADER, ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""]]))

    assert errors_of(result) == [(2, "序列号")]
    assert Unit.objects.count() == 1


def test_an_existing_phone_is_reused_not_overwritten(phone_model):
    old = CustomerFactory(name="老王", phone="+8613800138000", region="440106", address="旧地址")
    data = csv_bytes(
        [
            HEADER,
            ["王五", "+86 138-0013-8000", "", "新地址", "bad", "SN-1", "XH-P50", "", ""],
            ["", "008613800138000", "", "", "", "SN-2", "XH-P50", "", ""],
        ]
    )

    result = run(data)

    assert result.committed and result.errors == []  # the existing customer's columns are not used
    assert (result.customers_created, result.customers_reused, result.units_created) == (0, 1, 2)
    old.refresh_from_db()
    assert (old.name, old.address, old.region) == ("老王", "旧地址", "440106")
    assert set(old.units.values_list("serial", flat=True)) == {"SN-1", "SN-2"}
    assert not Event.objects.filter(action="updated").exists()


def test_the_same_phone_twice_in_the_file_is_one_customer(phone_model):
    data = csv_bytes(
        [
            HEADER,
            ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""],
            ["张三", "138-0013-8000", "", "", "", "SN-2", "XH-P50", "", ""],
        ]
    )

    result = run(data)

    assert (result.customers_created, result.customers_reused, result.units_created) == (1, 0, 2)
    assert Customer.objects.get().units.count() == 2


def test_unknown_columns_are_ignored_and_reported():
    source = read_file(
        io.BytesIO(csv_bytes([["姓名", "电话", "会员等级"], ["张三", "13800138000", "金卡"]]))
    )

    assert source.ignored == ("会员等级",)
    assert source.rows[0].values == {"name": "张三", "phone": "13800138000"}


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV or XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
        (b"", "empty"),
        (csv_bytes([["姓名", "地址"], ["张三", "广州"]]), "phone"),
        (csv_bytes([["姓名", "电话", "手机"], ["张三", "1", "2"]]), "电话 / 手机"),
        (csv_bytes([["姓名", "电话"]]), "no data rows"),
        ("姓名,电话\n张三,138\n".encode("utf-16-le"), "not a CSV or XLSX"),  # no BOM: unreadable
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_with_a_clear_message(data, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        read_file(io.BytesIO(data))
    assert refused.value.details == {"file": [refused.value.message]}


def test_a_zip_that_is_not_a_workbook_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")

    with pytest.raises(InvalidInput, match="XLSX"):
        read_file(io.BytesIO(archive.getvalue()))


def test_excel_unicode_text_with_tabs_is_read():
    data = "姓名\t电话\n张三\t13800138000\n".encode("utf-16")  # with BOM, as Excel saves it

    assert read_file(io.BytesIO(data)).rows[0].values == {"name": "张三", "phone": "13800138000"}


def test_too_large_files_are_refused():
    data = csv_bytes([["姓名", "电话"], *[["张三", f"138{i:08d}"] for i in range(5)]])

    with pytest.raises(InvalidInput, match="more than 4 rows"):
        read_file(io.BytesIO(data), max_rows=4)
    with pytest.raises(InvalidInput, match="larger than"):
        read_file(io.BytesIO(data), max_bytes=20)


def test_row_numbers_are_excel_s_even_after_blank_lines(phone_model):
    data = csv_bytes(
        [HEADER, ["张三", "13800138000"], [], ["", "", "", "", "", "", "", "", ""], ["李四", "bad"]]
    )

    result = run(data)

    assert errors_of(result) == [(5, "电话")]


# --- the command line ---------------------------------------------------------------------


def import_command(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_good_file(phone_model, tmp_path):
    path = write(
        tmp_path,
        "customers.xlsx",
        xlsx_bytes(
            [
                ["姓名", "电话", "序列号", "型号", "备注二"],
                ["张三", "13800138000", "SN-1", "XH-P50", "x"],
            ]
        ),
    )

    out, err = import_command(path)

    assert (
        "Imported 1 of 1 rows: 1 customers created, 0 existing customers used, 1 units created."
        in out
    )
    assert "备注二" in err  # the ignored column is named
    assert Unit.objects.get().customer.name == "张三"


def test_the_command_prints_the_errors_and_imports_nothing_with_exit_code_1(phone_model, tmp_path):
    path = write(tmp_path, "customers.csv", bad_file())

    with pytest.raises(
        CommandError, match="Nothing was imported: 4 of 6 rows have errors"
    ) as failed:
        import_command(path)

    assert failed.value.returncode == 1
    assert not Customer.objects.exists()


def test_the_command_error_table_names_rows_and_columns(phone_model, tmp_path):
    path = write(tmp_path, "customers.csv", bad_file())
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["Row", "Column", "Error"]
    assert lines[1].split()[:2] == ["3", "电话"]
    assert len(lines) == 7  # the header and six errors


def test_the_command_imports_only_the_good_rows_when_told(phone_model, tmp_path):
    path = write(tmp_path, "customers.csv", bad_file())

    out, _ = import_command(path, "--only-good-rows")

    assert "Imported 2 of 6 rows" in out and "Left out 4 rows with errors." in out
    assert Customer.objects.count() == 2


def test_the_command_dry_run_validates_only(phone_model, tmp_path):
    good = write(
        tmp_path,
        "good.csv",
        csv_bytes([HEADER, ["张三", "13800138000", "", "", "", "SN-1", "XH-P50", "", ""]]),
    )
    bad = write(tmp_path, "bad.csv", bad_file())

    out, _ = import_command(good, "--dry-run")
    with pytest.raises(CommandError, match="4 of 6 rows have errors"):
        import_command(bad, "--dry-run")

    assert "Dry run, nothing imported. All 1 rows are good" in out
    assert not Customer.objects.exists()


def test_the_command_shows_a_progress_bar_for_large_files(phone_model, tmp_path):
    rows = [["姓名", "电话"], *[[f"客户{i}", f"139{i:08d}"] for i in range(600)]]
    path = write(tmp_path, "many.csv", csv_bytes(rows))

    _, err = import_command(path, "--dry-run")

    assert "[###############...............] 300/600" in err
    assert err.rstrip().endswith("[##############################] 600/600")


def test_the_command_refuses_a_broken_or_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="not a CSV or XLSX"):
        import_command(write(tmp_path, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00"))
    with pytest.raises(CommandError, match="Cannot open"):
        import_command(tmp_path / "nowhere.csv")


def test_the_command_records_the_user_on_the_timeline(phone_model, tmp_path, center):
    from tests.factories import make_staff

    clerk = make_staff("clerk", "front_desk", center)
    path = write(tmp_path, "c.csv", csv_bytes([["姓名", "电话"], ["张三", "13800138000"]]))

    import_command(path, "--user", "clerk")

    assert Event.objects.get(action="created").actor == clerk


# --- workbooks that would take more than they are worth to read (decision 58) -----------------


def rewritten(data, member, change):  # type: ignore[no-untyped-def]
    """The workbook `data` with one member's bytes changed."""
    original, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            content = original.read(info.filename)
            if info.filename == member:
                changed, content = content, change(content)
                assert content != changed
            copy.writestr(info.filename, content)
    return out.getvalue()


def declaring_size(data, member, size):  # type: ignore[no-untyped-def]
    """The workbook with the archive's record of `member`'s unpacked size replaced by `size`."""
    patched = bytearray(data)
    at = patched.find(b"PK\x01\x02")
    while at != -1:
        name_length = int.from_bytes(patched[at + 28 : at + 30], "little")
        if patched[at + 46 : at + 46 + name_length] == member.encode():
            patched[at + 24 : at + 28] = size.to_bytes(4, "little")
        at = patched.find(b"PK\x01\x02", at + 4)
    assert patched != data
    return bytes(patched)


SHEET = "xl/worksheets/sheet1.xml"


def test_a_workbook_that_declares_a_huge_sheet_is_refused_not_padded_in_memory():
    data = rewritten(
        xlsx_bytes([["姓名", "电话"], ["张三", "13800138000"]]),
        SHEET,
        lambda xml: xml.replace(b'<dimension ref="A1:B2"', b'<dimension ref="A1:XFD1048576"'),
    )

    with pytest.raises(InvalidInput, match="16384 columns; at most 100") as refused:
        read_file(io.BytesIO(data))
    assert refused.value.details == {"file": [refused.value.message]}


def test_a_workbook_that_unpacks_to_more_than_100_mb_is_refused_before_it_is_read():
    data = declaring_size(
        xlsx_bytes([["姓名", "电话"], ["张三", "13800138000"]]), SHEET, 200 * 1024 * 1024
    )

    with pytest.raises(InvalidInput, match="unpacks to 201 MB, more than the 100 MB") as refused:
        read_file(io.BytesIO(data))
    assert refused.value.details == {"file": [refused.value.message]}


def test_a_workbook_packed_too_well_to_be_a_sheet_is_refused():
    padding = b"<!--" + b" " * (2 * 1024 * 1024) + b"-->"  # 2 MB that pack to a few KB
    data = rewritten(
        xlsx_bytes([["姓名", "电话"], ["张三", "13800138000"]]),
        SHEET,
        lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>"),
    )

    assert len(data) < 50_000
    with pytest.raises(InvalidInput, match="packed more tightly than any spreadsheet"):
        read_file(io.BytesIO(data))


def test_a_sheet_that_writes_past_column_100_is_refused_whatever_it_declares():
    row = ["张三", "13800138000", *[""] * 98, "第 101 列"]
    data = rewritten(
        xlsx_bytes([["姓名", "电话"], row]),
        SHEET,
        lambda xml: xml.replace(b'<dimension ref="A1:CW2"', b'<dimension ref="A1:B2"'),
    )

    with pytest.raises(InvalidInput, match="at most 100"):
        read_file(io.BytesIO(data))


def test_a_sheet_of_100_columns_is_read():
    header = ["姓名", "电话", *[f"其他{i}" for i in range(98)]]

    source = read_file(io.BytesIO(xlsx_bytes([header, ["张三", "13800138000", *["x"] * 98]])))

    assert source.rows[0].values == {"name": "张三", "phone": "13800138000"}
