"""The benchmarks. One function each, through the code paths users hit; add new ones here.

    @benchmark("request list (API)", rows=ServiceRequest)
    def request_list_api(ctx: Context, i: int) -> object:
        return ctx.get("/requests", limit=50).json()["items"]

`i` picks the key (`ctx.phone(i)`, `ctx.serial(i)`, …); return something truthy on a hit.
"""

from datetime import date, timedelta
from decimal import Decimal

from aftersales.catalog.models import Unit
from aftersales.catalog.selectors import unit_get
from aftersales.core.selectors import global_search, working_calendar
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_search, customers_by_phone
from aftersales.warranty import rules as warranty_rules
from aftersales.warranty.selectors import terms_for_category
from bench.runner import Context, benchmark

SEARCH_LIMIT = 8  # what the search box shows (core.selectors.global_search)


@benchmark("customer by phone (selector)", rows=Customer)
def customer_by_phone(ctx: Context, i: int) -> object:
    return list(customers_by_phone(ctx.phone(i)))


@benchmark("customer by phone (API)", rows=Customer)
def customer_by_phone_api(ctx: Context, i: int) -> object:
    return ctx.get("/customers", phone=ctx.phone(i)).json()["items"]


@benchmark("unit by serial (selector)", rows=Unit)
def unit_by_serial(ctx: Context, i: int) -> object:
    return unit_get(ctx.serial(i))


@benchmark("unit by serial (API)", rows=Unit)
def unit_by_serial_api(ctx: Context, i: int) -> object:
    return ctx.get(f"/units/{ctx.serial(i)}", ok=(200, 404)).status_code == 200


@benchmark("customer search, phone prefix (selector)", rows=Customer)
def customer_search_phone(ctx: Context, i: int) -> object:
    # As the search box runs it: customer_search("1380013").order_by("name")[:8]
    return list(customer_search(ctx.phone_prefix(i)).order_by("name")[:SEARCH_LIMIT])


@benchmark("customer search, name prefix (selector)", rows=Customer)
def customer_search_name(ctx: Context, i: int) -> object:
    return list(customer_search(ctx.name_prefix(i)).order_by("name")[:SEARCH_LIMIT])


@benchmark("global search, phone prefix (selector)", rows=Customer)
def global_search_phone(ctx: Context, i: int) -> object:
    found = global_search(ctx.phone_prefix(i))
    return found["customers"] or found["units"]


_ENGINE: dict[str, object] = {}


def _phone_terms_and_calendar() -> tuple[warranty_rules.Terms, object]:
    """Built once: the engine's inputs that do not change between decisions."""
    if not _ENGINE:
        _ENGINE["terms"] = terms_for_category("mobile_phone")
        _ENGINE["calendar"] = working_calendar(None)
    return _ENGINE["terms"], _ENGINE["calendar"]  # type: ignore[return-value]


@benchmark("三包 decision (pure engine, in process)", rows=Unit)
def warranty_decision_engine(ctx: Context, i: int) -> object:
    terms, calendar = _phone_terms_and_calendar()
    bought = date(2026, 1, 1) + timedelta(days=i % 365)
    facts = warranty_rules.Facts(
        purchase_date=bought,
        report_date=bought + timedelta(days=i % 500),
        failed_repairs=i % 3,
        repair_days=i % 20,
        price=Decimal("2999.00"),
    )
    return warranty_rules.decide(terms, facts, calendar)  # type: ignore[arg-type]


@benchmark("三包 check for a registered unit (API)", rows=Unit)
def warranty_check_api(ctx: Context, i: int) -> object:
    answer = ctx.post("/warranty/check", {"serial": ctx.serial(i)}, ok=(200, 422))
    return answer.status_code == 200
