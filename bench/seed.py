"""Seed the bench database: N customers, N units and N service requests, realistic and unique.

Customer i has phone `phone_of(i)` and unit j has serial `serial_of(j)`, so the benchmarks can
pick keys that exist without reading them back. Seeding only tops up what is missing (row count),
in large batches, each in its own transaction: COPY on PostgreSQL, executemany on SQLite.
Service requests go to 4 service centers and 50 staff (`STAFF`), made first through the services.
"""

import bisect
import dataclasses
import random
import sys
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from aftersales.catalog.models import ProductModel, Unit
from aftersales.catalog.services import category_ensure
from aftersales.core.models import NumberSequence
from aftersales.customers.models import Customer
from aftersales.dispatch.models import ServiceCenter
from aftersales.tickets.models import Ticket
from aftersales.tickets.rules import OPEN_STATUSES

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


# --- service requests ------------------------------------------------------------------------

# The service network: a call center whose hotline agents take calls for every region, and four
# repair centers with front desks and a branch manager each. (code, name, kind, regions served)
# fmt: off
CENTERS = [
    ("bench-cc", "星河客服热线中心", "call_center", []),
    ("bench-sh", "上海维修中心", "repair_center", ["310000", "330000"]),
    ("bench-bj", "北京维修中心", "repair_center", ["110000", "420000"]),
    ("bench-gz", "广州维修中心", "repair_center", ["440000"]),
    ("bench-cd", "成都维修中心", "branch", ["510000"]),
]
# fmt: on
BRANCHES = [code for code, _name, _kind, regions in CENTERS if regions]
STAFF_PASSWORD = "bench-staff-password-1"
HOTLINE_AGENTS = [f"bench-hl-{n:02d}" for n in range(1, 15)]
FRONT_DESKS = {code: [f"{code}-fd-{n}" for n in range(1, 9)] for code in BRANCHES}
MANAGERS = {code: f"{code}-bm" for code in BRANCHES}
FINANCE = "bench-finance"  # reads every center's reports (issue 19's speed)
# (username, role, center): 14 + 4 × (8 + 1) + 1 = 51 staff
STAFF = (
    [(name, "hotline", CENTERS[0][0]) for name in HOTLINE_AGENTS]
    + [(name, "front_desk", code) for code in BRANCHES for name in FRONT_DESKS[code]]
    + [(MANAGERS[code], "branch_manager", code) for code in BRANCHES]
    + [(FINANCE, "finance", "")]
)

TICKET_PREFIX = "SR"
TICKET_YEARS = 3
# Weights, roughly what a consumer-electronics service desk sees.
KINDS = [
    ("repair", 45),
    ("consultation", 25),
    ("booking", 12),
    ("installation", 10),
    ("complaint", 8),
]
CHANNELS = [("hotline", 45), ("walk_in", 25), ("web", 12), ("im", 10), ("email", 6), ("letter", 2)]
PRIORITIES = [("normal", 70), ("high", 15), ("low", 10), ("urgent", 5)]
OPEN = [("in_progress", 55), ("new", 30), ("reopened", 15)]
DONE = [("closed", 70), ("resolved", 22), ("cancelled", 8)]
UNIT_KINDS = frozenset({"repair", "installation", "booking"})  # ~70% name a unit; the others ~15%
# How long the clocks give, in wall-clock time (business hours and days, nights and weekends
# included): respond within hours, resolve within days.
RESPOND_HOURS = {"urgent": 2, "high": 4, "normal": 4, "low": 8}
RESOLVE_DAYS = {"urgent": 1, "high": 3, "normal": 5, "low": 10}
# (summary, problem class) by kind
SUMMARIES = {
    "repair": [
        ("屏幕碎裂，触摸失灵", "display"),
        ("无法开机", "power"),
        ("充电很慢，电池发烫", "battery"),
        ("摄像头无法对焦", "camera"),
        ("信号差，经常断网", "network"),
        ("通话时听不到声音", "audio"),
        ("进水后无法开机", "water_damage"),
        ("电源键失灵", "buttons"),
    ],
    "consultation": [
        ("咨询三包政策", ""),
        ("咨询维修进度", ""),
        ("咨询保修期限", ""),
        ("如何恢复出厂设置", ""),
        ("咨询以旧换新", ""),
    ],
    "booking": [("预约到店检测", ""), ("预约上门维修", ""), ("预约更换电池", "battery")],
    "installation": [("上门安装调试", ""), ("新机数据迁移", ""), ("配件安装", "")],
    "complaint": [
        ("维修超时投诉", ""),
        ("服务态度投诉", ""),
        ("重复维修投诉", ""),
        ("收费争议", ""),
    ],
}
RESOLUTIONS = {
    "repair": ["repaired", "repaired", "repaired", "exchanged", "refunded", "no_fault_found"],
    "consultation": ["answered", "answered", "remote_guidance"],
    "booking": ["repaired", "repaired", "no_fault_found", "other"],
    "installation": ["other", "remote_guidance"],
    "complaint": ["other", "answered", "refunded"],
}
PREFERRED = ["", "", "工作日上午", "工作日下午", "周末全天", "晚上 7 点以后"]
DETAILS = [
    "",
    "",
    "客户来电反映，已核对购买凭证。",
    "客户称已在其他网点检测过一次，问题仍在。",
    "客户希望尽快处理，白天可以联系。",
    "已指导客户重启并更新系统，问题未解决。",
]
TICKET_FIELDS = (
    "number kind channel status priority customer unit summary description problem_class "
    "preferred_time center owner created_by created_at respond_by resolve_by responded_at "
    "resolved_at closed_at pending_due escalated resolution warranty"
).split()


class Weighted:
    """`pick(rng)` → one value, with the given weights (bisect on a cumulative list: fast)."""

    def __init__(self, pairs: Sequence[tuple[str, int]]) -> None:
        self.values = [value for value, _weight in pairs]
        total, self.bounds = 0, []
        for _value, weight in pairs:
            total += weight
            self.bounds.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> str:
        return self.values[bisect.bisect_right(self.bounds, rng.random() * self.total)]


_KIND, _CHANNEL, _PRIORITY = Weighted(KINDS), Weighted(CHANNELS), Weighted(PRIORITIES)
_OPEN, _DONE = Weighted(OPEN), Weighted(DONE)


def open_share(age_days: float) -> float:
    """The chance that a request this old is still open: most of the last days', few stale ones."""
    if age_days < 10:
        return 0.85
    if age_days < 45:
        return 0.35
    return 0.09


@dataclass
class TicketPlan:
    """What the request rows are drawn from: loaded once per seeding run."""

    now: datetime
    first: datetime  # the first new request's time; they are evenly spread up to midnight
    step: float  # seconds between two requests
    have: int  # requests already there (new ones continue from this index)
    customer_ids: array  # every customer's pk
    unit_ids: array  # every unit's pk …
    unit_owners: array  # … and its customer's (0: none)
    center_of_customer: bytearray  # customer pk → index in BRANCHES (by region; 255 = none)
    centers: dict[str, int]  # code → pk
    users: dict[str, int]  # username → pk
    counters: dict[date, int]  # day → last number handed out (from core.NumberSequence)
    touched: set[date] = dataclasses.field(
        default_factory=set
    )  # days whose counter this batch moved


def _at(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)


def ticket_rows(start: int, stop: int, plan: TicketPlan) -> Iterator[tuple[Any, ...]]:
    """Requests in time order (pk order = creation order, as in production), consistent with
    their status: clocks stopped when answered, resolved, closed or cancelled.

    Times are computed as POSIX seconds (datetime arithmetic would double the cost of a row).
    """
    rng = random.Random(f"tickets-{start}")
    tz = timezone.get_current_timezone()
    now, users = plan.now.timestamp(), plan.users
    first, step, have = plan.first.timestamp(), plan.step, plan.have
    day, day_ends = date.min, -1.0  # the local day of the request being made, and its end
    hour, day_seconds = 3600.0, 86400.0
    for k in range(start, stop):
        created = first + (k - have + rng.random()) * step
        kind, channel, priority = _KIND.pick(rng), _CHANNEL.pick(rng), _PRIORITY.pick(rng)
        age_days = (now - created) / day_seconds
        status = _OPEN.pick(rng) if rng.random() < open_share(age_days) else _DONE.pick(rng)

        unit = None
        customer = plan.customer_ids[rng.randrange(len(plan.customer_ids))]
        if plan.unit_ids and rng.random() < (0.7 if kind in UNIT_KINDS else 0.15):
            u = rng.randrange(len(plan.unit_ids))
            if plan.unit_owners[u]:  # the unit's owner brings it in
                unit, customer = plan.unit_ids[u], plan.unit_owners[u]
        branch_index = (
            plan.center_of_customer[customer] if customer < len(plan.center_of_customer) else 255
        )
        branch = BRANCHES[branch_index if branch_index < len(BRANCHES) else k % len(BRANCHES)]

        # First-ask owner (首问负责制): whoever took it. Web, e-mail, IM and letters arrive
        # without one and wait in the unassigned queue until someone takes them.
        if channel == "walk_in":
            desk = FRONT_DESKS[branch]
            owner = users[
                desk[rng.randrange(len(desk))] if rng.random() < 0.9 else MANAGERS[branch]
            ]
        elif channel == "hotline" or rng.random() < 0.7:
            owner = users[HOTLINE_AGENTS[rng.randrange(len(HOTLINE_AGENTS))]]
        else:
            desk = FRONT_DESKS[branch]
            owner = users[desk[rng.randrange(len(desk))]]
        created_by: int | None = owner
        if channel not in ("walk_in", "hotline") and status == "new" and rng.random() < 0.6:
            owner = created_by = None

        respond_by = created + hour * RESPOND_HOURS[priority] * (1 + 2.5 * rng.random())
        resolve_by = created + day_seconds * RESOLVE_DAYS[priority] * (1.2 + 0.4 * rng.random())
        # Most answers and resolutions come in time; about one in ten is late.
        responded = resolved = closed = None
        if status != "new":
            responded = min(created + (respond_by - created) * (0.1 + 1.0 * rng.random()), now)
        if status in ("resolved", "closed"):
            resolved = created + (resolve_by - created) * (0.05 + 1.05 * rng.random())
            resolved = max(resolved, responded + 60.0)  # type: ignore[operator]
            if resolved > now:  # a request of the last hours: done by now
                resolved = responded + (now - responded) * rng.random()  # type: ignore[operator]
        if status == "closed":
            closed = resolved + hour * (1 + 240 * rng.random())  # type: ignore[operator]
            if closed > now:
                closed = resolved + (now - resolved) * rng.random()  # type: ignore[operator]
        # tickets.rules.pending_due, in POSIX seconds: the earliest promise an open one owes.
        pending_due = None
        if status in OPEN_STATUSES:
            owed = [
                due
                for due, done in ((respond_by, responded), (resolve_by, resolved))
                if done is None
            ]
            pending_due = min(owed, default=None)
        escalated = rng.random() < (0.05 if kind in ("repair", "complaint") else 0.01)
        resolution = ""
        if resolved is not None:
            choices = RESOLUTIONS[kind]
            resolution = choices[rng.randrange(len(choices))]

        if created >= day_ends:  # (requests come in time order: a new day now and then)
            day = datetime.fromtimestamp(created, tz).date()
            day_ends = datetime.combine(day + timedelta(days=1), clock_time(0), tz).timestamp()
        plan.counters[day] = count = plan.counters.get(day, 0) + 1
        plan.touched.add(day)
        summary, problem = SUMMARIES[kind][rng.randrange(len(SUMMARIES[kind]))]
        yield (
            f"{TICKET_PREFIX}{day:%y%m%d}{count:04d}",
            kind,
            channel,
            status,
            priority,
            customer,
            unit,
            summary,
            DETAILS[rng.randrange(len(DETAILS))],
            problem,
            PREFERRED[rng.randrange(len(PREFERRED))] if kind in ("booking", "repair") else "",
            plan.centers[branch],
            owner,
            created_by,
            _at(created),
            _at(respond_by),
            _at(resolve_by),
            _at(responded),
            _at(resolved),
            _at(closed),
            _at(pending_due),
            escalated,
            resolution,
            None,  # warranty: the decision at intake, not needed by lists
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
    tickets: int = 0
    added_tickets: int = 0
    technicians: int = 0  # the dispatch load (bench.dispatch)
    work_orders: int = 0
    added_work_orders: int = 0
    followups: int = 0  # the timer sweep's backlog (bench.followups)
    added_followups: int = 0
    added_history: int = 0  # what the reports count (bench.reports): events, visits, surveys
    timings: dict[str, float] = dataclasses.field(
        default_factory=dict
    )  # table → seconds spent adding rows


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
    after_batch: Callable[[], None] | None = None,
) -> int:
    if have >= want:
        return 0
    progress = Progress(label, want - have, out)
    for start in range(have, want, batch):
        stop = min(start + batch, want)
        with transaction.atomic():
            insert_rows(model, names, make(start, stop))
            if after_batch is not None:  # in the batch's transaction: both or neither
                after_batch()
        progress.update(stop - have, final=stop == want)
    return want - have


def seed(rows: int, out: TextIO = sys.stderr, batch: int = BATCH) -> SeedReport:
    """Make sure there are at least `rows` customers, units and service requests, the
    dispatch load (`bench.dispatch`: technicians, open and closed work orders) and what the
    reports count of them (`bench.reports`); insert only what is missing."""
    from bench.dispatch import seed_dispatch
    from bench.followups import seed_followups
    from bench.reports import seed_report_history

    started = time.perf_counter()
    with _big_cache():
        report = _seed(rows, out, batch)
        dispatch = seed_dispatch(rows, out, batch)
        history = seed_report_history(out, batch)
        followups = seed_followups(rows, out, batch)
    report.technicians, report.work_orders = dispatch.technicians, dispatch.work_orders
    report.added_work_orders = dispatch.added_work_orders
    if dispatch.added_technicians or dispatch.added_work_orders:
        report.timings["dispatch"] = dispatch.seconds
    report.added_history = history.added
    if history.added:
        report.timings["report history"] = history.seconds
    report.followups, report.added_followups = followups.followups, followups.added
    if followups.added:
        report.timings["follow-ups"] = followups.seconds
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
    timings: dict[str, float] = {}

    started = time.perf_counter()
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
    timings["customers"] = time.perf_counter() - started

    started = time.perf_counter()
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
    timings["units"] = time.perf_counter() - started

    started = time.perf_counter()
    added_tickets = _seed_tickets(rows, now, out, batch)
    timings["tickets"] = time.perf_counter() - started

    changed = [
        model
        for model, added in (
            (Customer, added_customers),
            (Unit, added_units),
            (Ticket, added_tickets),
        )
        if added
    ]
    if changed:
        started = time.perf_counter()
        analyze(changed)
        timings["analyze"] = time.perf_counter() - started
    return SeedReport(
        customers=Customer.objects.count(),
        units=Unit.objects.count(),
        added_customers=added_customers,
        added_units=added_units,
        seconds=0.0,
        tickets=Ticket.objects.count(),
        added_tickets=added_tickets,
        timings={name: s for name, s in timings.items() if s >= 0.05},
    )


def ensure_network() -> tuple[dict[str, int], dict[str, int]]:
    """The bench's service centers and staff (`CENTERS`, `STAFF`), made through the services
    when missing, with one password hash shared by all (Argon2 for each of the 50 would take
    half a minute); (center code → pk, username → pk)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from aftersales.dispatch.services import staff_upsert

    centers = {}
    for code, name, kind, regions in CENTERS:
        center, _created = ServiceCenter.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "regions": regions}
        )
        centers[code] = center.pk
    users = get_user_model().objects
    have = set(users.filter(username__in=[s[0] for s in STAFF]).values_list("username", flat=True))
    made = [username for username, _role, _center in STAFF if username not in have]
    for username, role, center_code in STAFF:
        if username in made:
            staff_upsert(username=username, role=role, center_code=center_code)
    if made:
        users.filter(username__in=made).update(password=make_password(STAFF_PASSWORD))
    ids = dict(users.filter(username__in=[s[0] for s in STAFF]).values_list("username", "pk"))
    return centers, ids


def _branch_by_region() -> dict[str, int]:
    """Province prefix of a region code ("31") → index in BRANCHES of the center serving it."""
    found = {}
    for code, _name, _kind, regions in CENTERS:
        for region in regions:
            found[region[:2]] = BRANCHES.index(code)
    return found


def _ticket_plan(have: int, want: int, now: datetime) -> TicketPlan:
    centers, users = ensure_network()
    customer_ids, unit_ids, unit_owners = array("q"), array("q"), array("q")
    by_region = _branch_by_region()
    center_of_customer = bytearray()
    for pk, region in Customer.objects.order_by("pk").values_list("pk", "region").iterator(50_000):
        customer_ids.append(pk)
        if pk >= len(center_of_customer):
            center_of_customer.extend(b"\xff" * (pk + 1 - len(center_of_customer)))
        center_of_customer[pk] = by_region.get((region or "")[:2], 255)
    for pk, owner in Unit.objects.order_by("pk").values_list("pk", "customer_id").iterator(50_000):
        unit_ids.append(pk)
        unit_owners.append(owner or 0)
    # New requests are spread evenly over the last TICKET_YEARS years, up to last midnight: the
    # numbers `core.services.next_number` hands out today never meet the seeded ones (and the
    # NumberSequence rows written with each batch make it continue after them anyway).
    tz = timezone.get_current_timezone()
    end = datetime.combine(timezone.localdate(now), clock_time(0), tzinfo=tz)
    first = end - timedelta(days=365 * TICKET_YEARS)
    counters = dict(NumberSequence.objects.filter(prefix=TICKET_PREFIX).values_list("day", "last"))
    return TicketPlan(
        now=now,
        first=first,
        step=(end - first).total_seconds() / (want - have),
        have=have,
        customer_ids=customer_ids,
        unit_ids=unit_ids,
        unit_owners=unit_owners,
        center_of_customer=center_of_customer,
        centers=centers,
        users=users,
        counters=counters,
    )


def _save_counters(plan: TicketPlan) -> None:
    """The per-day counters the batch moved, so that `next_number` continues after them."""
    for day in sorted(plan.touched):
        NumberSequence.objects.update_or_create(
            prefix=TICKET_PREFIX, day=day, defaults={"last": plan.counters[day]}
        )
    plan.touched.clear()


def _seed_tickets(rows: int, now: datetime, out: TextIO, batch: int) -> int:
    have = Ticket.objects.count()
    if have >= rows or not Customer.objects.exists():
        return 0
    plan = _ticket_plan(have, rows, now)
    return _top_up(
        "service requests",
        have,
        rows,
        lambda a, b: ticket_rows(a, b, plan),
        Ticket,
        TICKET_FIELDS,
        out,
        batch,
        after_batch=lambda: _save_counters(plan),
    )


def analyze(models_: Iterable[type[models.Model]] = (Customer, Unit, Ticket)) -> None:
    """Fresh planner statistics after a big load (and, on PostgreSQL, the visibility map)."""
    tables = [m._meta.db_table for m in models_]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if connection.in_atomic_block:  # VACUUM cannot run in a transaction (e.g. under pytest)
                cursor.execute(f"ANALYZE {', '.join(tables)}")
            else:
                cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
