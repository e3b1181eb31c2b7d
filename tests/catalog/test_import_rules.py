"""The pure rules of the import file: headers, cells, dates, prices, kinds."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from aftersales.catalog import rules


def test_headers_match_in_english_or_chinese_whatever_the_spelling():
    match = rules.match_headers(
        ["客户名称", " Phone ", "Purchase_Date", "购买日期（年-月-日）", "IMEI", "备用"]
    )

    assert match.positions == {"name": 0, "phone": 1, "purchase_date": 2, "serial": 4}
    assert match.labels["phone"] == "Phone"
    assert match.unknown == ("备用",)
    assert match.missing == ()
    assert match.ambiguous == (("Purchase_Date", "购买日期（年-月-日）"),)


def test_missing_required_columns_are_named():
    assert rules.match_headers(["姓名", "地址"]).missing == ("phone",)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-01-05", date(2026, 1, 5)),
        ("2026/1/5", date(2026, 1, 5)),
        ("2026/01/05 0:00", date(2026, 1, 5)),
        ("2026年1月5日", date(2026, 1, 5)),
        ("", None),
    ],
)
def test_dates_are_read_as_people_write_them(text, expected):
    assert rules.parse_date(text) == expected


@pytest.mark.parametrize("text", ["05/01/2026", "yesterday", "2026-02-30"])
def test_what_is_not_a_date_is_refused(text):
    with pytest.raises(ValueError):
        rules.parse_date(text)


def test_prices_accept_currency_signs_and_thousands_separators():
    assert rules.parse_price("¥2,999.00") == Decimal("2999.00")
    assert rules.parse_price("1299 元") == Decimal("1299")
    assert rules.parse_price("") is None
    for bad in ("free", "NaN"):
        with pytest.raises(ValueError):
            rules.parse_price(bad)


def test_kinds_in_english_or_chinese_default_to_a_person():
    assert rules.parse_kind("") == "person"
    assert rules.parse_kind("个人") == "person"
    assert rules.parse_kind("单位") == "organization"
    assert rules.parse_kind("Organization") == "organization"
    with pytest.raises(ValueError):
        rules.parse_kind("vip")


def test_excel_cells_read_as_the_text_a_person_sees():
    assert rules.cell_text(13800138000.0) == "13800138000"
    assert rules.cell_text(2999.5) == "2999.5"
    assert rules.cell_text(datetime(2026, 1, 5)) == "2026-01-05"
    assert rules.cell_text(None) == ""
    assert rules.cell_text("  张三 ") == "张三"


def test_repeated_values_name_every_row_that_holds_them():
    repeated = rules.repeated_values([(2, "A"), (3, "B"), (4, "A"), (5, ""), (6, "")])
    assert repeated == {2: (2, 4), 4: (2, 4)}


def test_progress_bar():
    assert rules.progress_bar(1200, 2400, width=10) == "[#####.....] 1200/2400"
    assert rules.progress_bar(0, 0, width=4) == "[####] 0/0"
