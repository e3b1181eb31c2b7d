"""Seed the bench database: N customers and N units, realistic, unique, and deterministic.

Customer i has phone `phone_of(i)` and unit j has serial `serial_of(j)`, so the benchmarks can
pick keys that exist without reading them back. Seeding only tops up what is missing (row count),
in large batches, each in its own transaction: COPY on PostgreSQL, executemany on SQLite.
"""

import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from aftersales.catalog.models import ProductModel, Unit
from aftersales.catalog.services import category_ensure
from aftersales.customers.models import Customer

BATCH = 25_000

# Mobile prefixes the seed uses (all valid for `phonenumbers` whatever the next digits), and valid
# ones it never uses, for lookups that must miss.
PREFIXES = (
    [str(p) for p in range(130, 140)]
    + ["150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "177"]
    + [str(p) for p in range(180, 190)]
    + ["198", "199"]
)
MISS_PREFIXES = ["145", "147", "178"]
# i // len(PREFIXES) → 8 digits by multiplying with a number coprime with 10**8: a bijection,
# so numbers are unique and spread over the whole range (not 13000000001, 13000000002, …).
PHONE_STEP, PHONE_OFFSET = 1_234_567, 13_579_246

CATEGORIES = [("mobile_phone", "手机"), ("tablet", "平板电脑"), ("smartwatch", "智能手表")]
# (code, name, brand, category, price, type allocation codes = the IMEI's first 8 digits)
# fmt: off
MODELS = [
    ("XH-P50", "星河 P50", "星河", "mobile_phone", Decimal("2999.00"), ["86412305", "86412306", "86412307"]),
    ("XH-P50-PRO", "星河 P50 Pro", "星河", "mobile_phone", Decimal("4299.00"), ["86412308", "86412309"]),
    ("QM-A12", "启明 A12", "启明", "mobile_phone", Decimal("1499.00"), ["86755201", "86755202", "86755203"]),
    ("QM-A12-5G", "启明 A12 5G", "启明", "mobile_phone", Decimal("1799.00"), ["86755210"]),
    ("XH-PAD11", "星河 Pad 11", "星河", "tablet", Decimal("2299.00"), ["35890112", "35890113"]),
    ("QM-W3", "启明 Watch 3", "启明", "smartwatch", Decimal("999.00"), ["35290561"]),
]
# fmt: on
TACS = [(tac, code) for code, *_rest, tacs in MODELS for tac in tacs]
MISS_TACS = ["86999901", "35999902"]
SERIAL_STEP, SERIAL_OFFSET = 777_777, 424_242  # coprime with 10**6: a bijection on 6 digits

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉海燕晓东俊峰雪梅文博子涵浩然欣怡宇轩"
COMPANIES = [
    "精工机械有限公司",
    "纺织有限公司",
    "食品厂",
    "电子科技有限公司",
    "建材有限公司",
    "物流有限公司",
]
DISTRICTS = [
    ("310115", "上海市浦东新区", ["世纪大道", "张杨路", "陆家嘴环路", "川沙路"]),
    ("310104", "上海市徐汇区", ["漕溪北路", "天钥桥路", "衡山路"]),
    ("110105", "北京市朝阳区", ["建国路", "朝阳北路", "望京街"]),
    ("440106", "广州市天河区", ["天河路", "中山大道西", "黄埔大道"]),
    ("440305", "深圳市南山区", ["科技园南路", "南海大道", "后海大道"]),
    ("330106", "杭州市西湖区", ["文三路", "天目山路", "古墩路"]),
    ("510107", "成都市武侯区", ["人民南路", "科华北路", "武侯祠大街"]),
    ("420106", "武汉市武昌区", ["中南路", "中北路", "徐东大街"]),
]
SELLERS = [
    "星河官方旗舰店",
    "启明京东自营店",
    "苏宁易购天河店",
    "国美电器浦东店",
    "中国移动营业厅",
    "天猫电器城",
]


def phone_of(i: int) -> str:
    """Customer i's phone, E.164 (`+8613812345678`); unique for i < 32 × 10**8."""
    prefix = PREFIXES[i % len(PREFIXES)]
    rest = (i // len(PREFIXES) * PHONE_STEP + PHONE_OFFSET) % 10**8
    return f"+86{prefix}{rest:08d}"


def missing_phone(k: int) -> str:
    """A valid mobile number that no seeded customer has."""
    return f"+86{MISS_PREFIXES[k % len(MISS_PREFIXES)]}{(k * 7_654_321 + 1) % 10**8:08d}"


_DOUBLED = [(2 * d) - 9 if d > 4 else 2 * d for d in range(10)]


def luhn_digit(body: str) -> str:
    """The check digit that makes `body` + digit pass the Luhn test (as an IMEI's 15th digit)."""
    digits = [int(ch) for ch in reversed(body)]
    total = sum(_DOUBLED[d] for d in digits[0::2]) + sum(digits[1::2])
    return str((10 - total % 10) % 10)


def serial_of(j: int) -> str:
    """Unit j's 15-digit IMEI: type allocation code + 6-digit serial + Luhn digit; unique."""
    tac = TACS[j % len(TACS)][0]
    body = f"{tac}{(j // len(TACS) * SERIAL_STEP + SERIAL_OFFSET) % 10**6:06d}"
    return body + luhn_digit(body)


def missing_serial(k: int) -> str:
    body = f"{MISS_TACS[k % len(MISS_TACS)]}{(k * 91_919 + 7) % 10**6:06d}"
    return body + luhn_digit(body)


def random_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


# --- rows ----------------------------------------------------------------------------------

# The columns the row generators below yield, in order.
CUSTOMER_FIELDS = (
    "kind name phone contact_person email address postcode region note created_at".split()
)
UNIT_FIELDS = (
    "serial model customer purchase_date invoice_date invoice_no seller price activation_date "
    "manufacture_date status repair_days failed_repairs created_at"
).split()


def customer_rows(start: int, stop: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(f"customers-{start}")
    for i in range(start, stop):
        region, city, streets = DISTRICTS[rng.randrange(len(DISTRICTS))]
        if i % 25 == 0:
            kind, name, contact = "organization", city[:2] + rng.choice(COMPANIES), random_name(rng)
        else:
            kind, name, contact = "person", random_name(rng), ""
        address = f"{city}{rng.choice(streets)}{rng.randrange(1, 999)}号"
        created = now - timedelta(seconds=rng.randrange(3 * 365 * 86400))
        yield (kind, name, phone_of(i), contact, "", address, "", region, "", created)


def unit_rows(
    start: int,
    stop: int,
    now: datetime,
    model_ids: dict[str, tuple[int, Decimal]],
    customer_ids: Sequence[int],
) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(f"units-{start}")
    today = now.date()
    for j in range(start, stop):
        model_id, price = model_ids[TACS[j % len(TACS)][1]]
        bought = today - timedelta(days=rng.randrange(1100))
        owner = customer_ids[rng.randrange(len(customer_ids))] if customer_ids else None
        created = now - timedelta(days=(today - bought).days, seconds=rng.randrange(86400))
        yield (
            serial_of(j),
            model_id,
            owner,
            bought,
            bought,
            f"{rng.randrange(10**7, 10**8)}",
            SELLERS[rng.randrange(len(SELLERS))],
            price,
            bought,
            bought - timedelta(days=rng.randrange(20, 120)),
            Unit.Status.IN_USE.value,
            0,
            0,
            created,
        )


# --- fast inserts ----------------------------------------------------------------------------


def _utc_text(v: datetime | None) -> str | None:
    return None if v is None else str(v.astimezone(UTC).replace(tzinfo=None))


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _sqlite_converters(fields: list[Any]) -> list[tuple[int, Callable[[Any], Any]]]:
    """(column, converter) for the values sqlite3 cannot take as they are. Django's own
    `get_db_prep_save` does the same but costs ~30 µs a value: too slow for millions."""
    out: list[tuple[int, Callable[[Any], Any]]] = []
    for index, field in enumerate(fields):
        if isinstance(field, models.DateTimeField):  # naive UTC text, as Django stores it
            out.append((index, _utc_text if settings.USE_TZ else _text))
        elif isinstance(field, models.DateField | models.DecimalField):  # ISO date, "12.50"
            out.append((index, _text))
    return out


def insert_rows(
    model: type[models.Model], names: list[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """Insert plain rows (values in the order of `names`) in one statement stream; returns the count.

    Bypasses model instances (bulk_create would build 1,000,000 of them); call it in a transaction.
    Concrete fields not in `names` (say, a column added later) get their field's default.
    """
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in names]
    # Prepared once per batch by Django itself (a JSON default, a date, …); the named columns are
    # converted below, faster.
    tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    convert = _sqlite_converters(fields)
    fields += rest
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + tail)
                    count += 1
        else:
            prepared = []
            for row in rows:
                values = [*row, *tail]
                for index, conv in convert:
                    values[index] = conv(values[index])
                prepared.append(values)
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)
            count = len(prepared)
    return count


class Progress:
    """One self-overwriting progress line on stderr."""

    def __init__(self, label: str, total: int, out: TextIO) -> None:
        self.label, self.total, self.out = label, total, out
        self.start = time.perf_counter()
        self.last = 0.0

    def update(self, done: int, final: bool = False) -> None:
        now = time.perf_counter()
        if not final and now - self.last < 0.5:
            return
        self.last = now
        elapsed = now - self.start
        rate = done / elapsed if elapsed else 0.0
        pct = 100.0 * done / self.total if self.total else 100.0
        end = "\n" if final else ""
        self.out.write(
            f"\rseeding {self.label}: {done:>9,}/{self.total:,} ({pct:5.1f}%) {rate:>8,.0f} rows/s {elapsed:6.1f}s{end}"
        )
        self.out.flush()


@dataclass
class SeedReport:
    customers: int  # rows now in the table
    units: int
    added_customers: int
    added_units: int
    seconds: float


def ensure_catalog() -> dict[str, tuple[int, Decimal]]:
    """The bench's categories and models (idempotent); model code → (id, price)."""
    categories = {code: category_ensure(code=code, name=name) for code, name in CATEGORIES}
    found = {}
    for code, name, brand, category, price, _tacs in MODELS:
        model, _created = ProductModel.objects.get_or_create(
            code=code, defaults={"name": name, "brand": brand, "category": categories[category]}
        )
        found[code] = (model.pk, price)
    return found


def _top_up(
    label: str,
    have: int,
    want: int,
    make: Callable[[int, int], Iterable[tuple[Any, ...]]],
    model: type[models.Model],
    names: list[str],
    out: TextIO,
    batch: int,
) -> int:
    if have >= want:
        return 0
    progress = Progress(label, want - have, out)
    for start in range(have, want, batch):
        stop = min(start + batch, want)
        with transaction.atomic():
            insert_rows(model, names, make(start, stop))
        progress.update(stop - have, final=stop == want)
    return want - have


def seed(rows: int, out: TextIO = sys.stderr, batch: int = BATCH) -> SeedReport:
    """Make sure there are at least `rows` customers and `rows` units; insert only what is missing."""
    started = time.perf_counter()
    with _big_cache():
        report = _seed(rows, out, batch)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _big_cache(kib: int = 512 * 1024) -> Iterator[None]:
    """SQLite: a 512 MB page cache while seeding (random inserts into 1M-row indexes), then back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _seed(rows: int, out: TextIO, batch: int) -> SeedReport:
    now = timezone.now()
    model_ids = ensure_catalog()

    have = Customer.objects.count()
    added_customers = _top_up(
        "customers",
        have,
        rows,
        lambda a, b: customer_rows(a, b, now),
        Customer,
        CUSTOMER_FIELDS,
        out,
        batch,
    )

    have_units = Unit.objects.count()
    added_units = 0
    if have_units < rows:
        customer_ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
        added_units = _top_up(
            "units",
            have_units,
            rows,
            lambda a, b: unit_rows(a, b, now, model_ids, customer_ids),
            Unit,
            UNIT_FIELDS,
            out,
            batch,
        )
    if added_customers or added_units:
        analyze()
    return SeedReport(
        customers=Customer.objects.count(),
        units=Unit.objects.count(),
        added_customers=added_customers,
        added_units=added_units,
        seconds=0.0,
    )


def analyze() -> None:
    """Fresh planner statistics after a big load (and, on PostgreSQL, the visibility map)."""
    tables = [Customer._meta.db_table, Unit._meta.db_table]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:  # VACUUM cannot run in a transaction (e.g. under pytest)
                cursor.execute(f"ANALYZE {', '.join(tables)}")
            else:
                cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
