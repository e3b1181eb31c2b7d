"""Pure rules for importing customers and units from a spreadsheet: columns, cells, progress.

A file has one header row; every following row is a customer, optionally with one unit. The
header may be written in English or Chinese, in any case, with spaces, underscores or a note in
brackets ("购买日期（年-月-日）"). Cells arrive as text (CSV) or as typed values (XLSX: numbers,
dates); `cell_text` turns both into the same text, and the `parse_*` functions read that text.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Canonical column → the headers that mean it (compared after `header_key`).
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "customer name", "姓名", "客户名称", "客户姓名"),
    "phone": (
        "phone",
        "mobile",
        "telephone",
        "tel",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "电话号码",
        "联系电话",
    ),
    "kind": ("kind", "type", "customer type", "类型", "客户类型"),
    "address": ("address", "地址", "联系地址"),
    "region": ("region", "region code", "地区", "行政区划代码", "区划代码"),
    "postcode": ("postcode", "zip", "邮编", "邮政编码"),
    "contact_person": ("contact person", "contact", "联系人"),
    "email": ("email", "e-mail", "邮箱", "电子邮箱", "电子邮件"),
    "note": ("note", "备注"),
    "serial": (
        "serial",
        "serial no",
        "serial number",
        "sn",
        "imei",
        "序列号",
        "串号",
        "机身序列号",
    ),
    "model": ("model", "model code", "型号", "产品型号"),
    "purchase_date": ("purchase date", "购买日期", "购机日期"),
    "invoice_date": ("invoice date", "发票日期", "开票日期"),
    "invoice_no": ("invoice no", "invoice number", "发票号", "发票号码"),
    "seller": ("seller", "dealer", "销售商", "经销商"),
    "price": ("price", "价格", "售价"),
    "activation_date": ("activation date", "激活日期"),
    "manufacture_date": ("manufacture date", "生产日期", "出厂日期"),
}
REQUIRED_COLUMNS = ("name", "phone")
CUSTOMER_COLUMNS = (
    "name",
    "phone",
    "kind",
    "address",
    "region",
    "postcode",
    "contact_person",
    "email",
    "note",
)
UNIT_COLUMNS = (
    "serial",
    "model",
    "purchase_date",
    "invoice_date",
    "invoice_no",
    "seller",
    "price",
    "activation_date",
    "manufacture_date",
)
DATE_COLUMNS = ("purchase_date", "invoice_date", "activation_date", "manufacture_date")

KINDS = {
    "person": ("person", "individual", "个人", "私人"),
    "organization": ("organization", "organisation", "company", "单位", "企业", "公司", "机构"),
}

STRICT = "strict"
GOOD_ROWS_ONLY = "good_rows_only"
MODES = (STRICT, GOOD_ROWS_ONLY)


def header_key(text: str) -> str:
    """`" Purchase_Date (YYYY-MM-DD) "` → `"purchasedate"`: what a header means, not how it is spelt."""
    text = re.sub(r"[(（\[【].*?[)）\]】]", "", text or "")
    return re.sub(r"[\s_\-*＊:：]+", "", text).casefold()


_ALIASES = {
    header_key(alias): column for column, aliases in COLUMNS.items() for alias in (column, *aliases)
}


@dataclass(frozen=True)
class HeaderMatch:
    """Which position holds which column, and what could not be used."""

    positions: dict[str, int]  # canonical column → index in the header row
    labels: dict[str, str]  # canonical column → the header as the file writes it
    unknown: tuple[str, ...]  # headers that match no column (ignored)
    missing: tuple[str, ...]  # required columns that are absent
    ambiguous: tuple[tuple[str, ...], ...]  # several headers that mean the same column


def match_headers(headers: Sequence[str]) -> HeaderMatch:
    positions: dict[str, int] = {}
    labels: dict[str, str] = {}
    seen: dict[str, list[str]] = {}
    unknown: list[str] = []
    for index, header in enumerate(headers):
        header = (header or "").strip()
        if not header:
            continue
        column = _ALIASES.get(header_key(header))
        if column is None:
            unknown.append(header)
            continue
        seen.setdefault(column, []).append(header)
        positions.setdefault(column, index)
        labels.setdefault(column, header)
    return HeaderMatch(
        positions=positions,
        labels=labels,
        unknown=tuple(unknown),
        missing=tuple(c for c in REQUIRED_COLUMNS if c not in positions),
        ambiguous=tuple(tuple(h) for h in seen.values() if len(h) > 1),
    )


def cell_text(value: object) -> str:
    """A cell as the text a person sees: Excel's 13800138000.0 is "13800138000", a date is ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_RE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD, YYYY/M/D or 2026年1月5日 (a time after it is ignored); "" → None."""
    if not text:
        return None
    match = _DATE_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(_("Write dates as YYYY-MM-DD, e.g. 2026-01-05."))
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(_("There is no such date.")) from None


def parse_price(text: str) -> Decimal | None:
    """`¥2,999.00`, `2999 元` → Decimal("2999.00"); "" → None."""
    cleaned = re.sub(r"[\s,，¥￥元]|RMB|CNY", "", text or "", flags=re.IGNORECASE)
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("A price is a number, e.g. 2999.00.")) from None
    if not amount.is_finite():
        raise ValueError(_("A price is a number, e.g. 2999.00."))
    return amount


_KIND_ALIASES = {alias.casefold(): kind for kind, aliases in KINDS.items() for alias in aliases}


def parse_kind(text: str) -> str:
    """person/个人 or organization/单位/企业; empty means a person."""
    if not text:
        return "person"
    kind = _KIND_ALIASES.get(text.strip().casefold())
    if kind is None:
        raise ValueError(_("Kind must be person (个人) or organization (单位)."))
    return kind


def repeated_values(values: Iterable[tuple[int, str]]) -> dict[int, tuple[int, ...]]:
    """For (row, value) pairs: each row whose value appears more than once → all rows holding it."""
    rows_by_value: dict[str, list[int]] = {}
    for row, value in values:
        if value:
            rows_by_value.setdefault(value, []).append(row)
    return {row: tuple(rows) for rows in rows_by_value.values() if len(rows) > 1 for row in rows}


def progress_bar(done: int, total: int, width: int = 30) -> str:
    """`[#####.........................] 1200/7200`"""
    filled = width if total <= 0 else min(width, done * width // total)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total}"


def normalize_serial(raw: str) -> str:
    """Serials and IMEIs are compared as written on the label: no surrounding spaces, upper case."""
    return (raw or "").strip().upper()


# --- fault codes ---------------------------------------------------------------------------------
# A category's fault-code tree: symptoms at the top, their causes below (catalog.FaultCode).

OTHER_FAULT = "OTHER"  # every category's symptom for what the tree does not name
FAULT_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9_.\-]*$"

# The fault-code sheet's columns (docs/import.md) → the headers that mean them.
FAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "category": ("category", "category code", "类别", "品类", "产品类别", "类别代码"),
    "code": ("code", "fault code", "代码", "编码", "故障代码", "故障编码"),
    "name": ("name", "名称", "故障名称", "现象/原因"),
    "parent": ("parent", "symptom", "上级", "上级代码", "所属现象", "故障现象"),
    "active": ("active", "in use", "启用", "使用中"),
    "position": ("position", "order", "顺序", "排序", "序号"),
}
FAULT_REQUIRED_COLUMNS = ("category", "code", "name")
_FAULT_ALIASES = {
    header_key(alias): column
    for column, aliases in FAULT_COLUMNS.items()
    for alias in (column, *aliases)
}
_YES = {"", "1", "yes", "y", "true", "是", "启用", "使用"}
_NO = {"0", "no", "n", "false", "否", "停用", "不使用"}


def normalize_fault_code(raw: str) -> str:
    """Fault codes are compared as the diagnosis stores them: trimmed, upper case."""
    return (raw or "").strip().upper()


def fault_columns(headers: Sequence[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    """The fault-code sheet's header row: which position holds which column, and the required
    columns missing."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        column = _FAULT_ALIASES.get(header_key(header or ""))
        if column is not None:
            positions.setdefault(column, index)
    return positions, tuple(c for c in FAULT_REQUIRED_COLUMNS if c not in positions)


def parse_active(text: str) -> bool:
    """Empty, yes/是/1 → in use; no/否/0 → not."""
    key = (text or "").strip().casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(_("Write yes (是) or no (否)."))


def fault_symptoms(tree: Iterable[tuple[str, str | None]]) -> dict[str, str]:
    """Each code of a tree, given as (code, parent code or None) pairs → its symptom: the code
    itself at the top, else the top of its chain (a cycle or a dangling parent stops the climb
    where it is)."""
    parents = {normalize_fault_code(code): normalize_fault_code(p or "") for code, p in tree}
    symptoms: dict[str, str] = {}
    for code in parents:
        seen, node = {code}, code
        while parents.get(node) and parents[node] in parents and parents[node] not in seen:
            node = parents[node]
            seen.add(node)
        symptoms[code] = node
    return symptoms


def fault_key(code: str, symptoms: Mapping[str, str]) -> str:
    """What "the same fault" compares (CONTRACT.md "Work orders"): a tree code's symptom, or the
    text itself for anything else."""
    code = normalize_fault_code(code)
    return symptoms.get(code, code)
