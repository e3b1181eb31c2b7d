"""The benchmarks. One function each, through the code paths users hit; add new ones here.

    @benchmark("request list (API)", rows=ServiceRequest)
    def request_list_api(ctx: Context, i: int) -> object:
        return ctx.get("/requests", limit=50).json()["items"]

`i` picks the key (`ctx.phone(i)`, `ctx.serial(i)`, …); return something truthy on a hit.
"""

from aftersales.catalog.models import Unit
from aftersales.catalog.selectors import unit_get
from aftersales.core.selectors import global_search
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_search, customers_by_phone
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
