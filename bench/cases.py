"""The benchmarks. One function each, through the code paths users hit; add new ones here.

    @benchmark("request list, center queue (API)", rows=Ticket)
    def request_list_center_api(ctx: Context, i: int) -> object:
        return ctx.get("/tickets", center="bench-sh", status="new").json()["items"]

`i` picks the key (`ctx.phone(i)`, `ctx.serial(i)`, …); return something truthy on a hit.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from aftersales.catalog.models import Unit
from aftersales.catalog.selectors import unit_get
from aftersales.core.selectors import working_calendar
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customer_search, customers_by_phone
from aftersales.field.suggestions import suggestions_for
from aftersales.followups.models import FollowUp
from aftersales.notifications.services import timers_sweep
from aftersales.shell.selectors import global_search
from aftersales.tickets.models import Ticket
from aftersales.tickets.selectors import console, filtered, queue_counts
from aftersales.warranty import rules as warranty_rules
from aftersales.warranty.selectors import terms_for_category
from aftersales.workorders.models import WorkOrder
from bench import followups as bench_followups
from bench import seed
from bench.runner import Context, benchmark

SEARCH_LIMIT = 8  # what the search box shows (shell.selectors.global_search)


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
    found = global_search(ctx.user(QUEUE_USER), ctx.phone_prefix(i))
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


# --- service requests: the console's queues and the API list --------------------------------

PAGE = 50  # what a queue shows (the API's default limit)
# "Mine": hotline agents (who see every center) and front desks (their center only), in turn.
MY_OWNERS = [
    name
    for k, code in enumerate(seed.BRANCHES)
    for name in (seed.HOTLINE_AGENTS[k], seed.FRONT_DESKS[code][0])
]
QUEUE_USER = seed.HOTLINE_AGENTS[0]  # the selector queues: a hotline agent, every center


@benchmark("request list, my open (API)", rows=Ticket)
def request_list_mine_api(ctx: Context, i: int) -> object:
    # As the owner, in their role's scope: GET /tickets?owner=me&status=in_progress&limit=50
    owner = MY_OWNERS[i % len(MY_OWNERS)]
    page = ctx.get("/tickets", as_user=owner, owner=owner, status="in_progress", limit=PAGE)
    return page.json()["items"]


@benchmark("request list, a manager's new (API)", rows=Ticket)
def request_list_rare_owner_api(ctx: Context, i: int) -> object:
    # The hotline looks at an owner with few requests (a branch manager takes one walk-in in
    # ten): the rows wanted are rare, so a plan that does not start from the owner's index
    # walks far to find 50. GET /tickets?owner=<manager>&status=new
    manager = seed.MANAGERS[seed.BRANCHES[i % len(seed.BRANCHES)]]
    return ctx.get("/tickets", owner=manager, status="new", limit=PAGE).json()["items"]


@benchmark("request list, center queue (API)", rows=Ticket)
def request_list_center_api(ctx: Context, i: int) -> object:
    center = seed.BRANCHES[i % len(seed.BRANCHES)]
    return ctx.get("/tickets", center=center, status="new").json()["items"]


@benchmark("request list, unassigned (API)", rows=Ticket)
def request_list_unassigned_api(ctx: Context, i: int) -> object:
    return ctx.get("/tickets", unassigned="true").json()["items"]


@benchmark("request list, breaching soon (selector)", rows=Ticket)
def request_list_breaching(ctx: Context, i: int) -> object:
    return list(filtered(ctx.user(QUEUE_USER), breaching=True)[:PAGE])


@benchmark("request list, escalated (selector)", rows=Ticket)
def request_list_escalated(ctx: Context, i: int) -> object:
    return list(filtered(ctx.user(QUEUE_USER), escalated=True, open=True)[:PAGE])


@benchmark("console page, mine (selector)", rows=Ticket)
def console_mine(ctx: Context, i: int) -> object:
    # The console's first screen: my open requests, newest first, with every queue's count.
    return console(ctx.user(MY_OWNERS[i % len(MY_OWNERS)]), queue="mine").rows


@benchmark("console page, breaching soon (selector)", rows=Ticket)
def console_breaching(ctx: Context, i: int) -> object:
    return console(ctx.user(QUEUE_USER), queue="breaching").rows


_DUE_SOON_CURSOR: dict[str, str | None] = {}


@benchmark("console breaching, load more (selector)", rows=Ticket)
def console_breaching_next_page(ctx: Context, i: int) -> object:
    # "Load more" in the due-soon queue: each call follows the previous call's cursor, deeper.
    page = console(ctx.user(QUEUE_USER), queue="breaching", cursor=_DUE_SOON_CURSOR.get("next"))
    _DUE_SOON_CURSOR["next"] = page.next_cursor
    return page.rows


@benchmark("console queue counts (selector)", rows=Ticket)
def console_counts(ctx: Context, i: int) -> object:
    # What each open console polls every 60 s (and every page computes).
    return queue_counts(ctx.user(MY_OWNERS[i % len(MY_OWNERS)]))


@benchmark("request list, next page (API)", rows=Ticket)
def request_list_next_page_api(ctx: Context, i: int) -> object:
    # A center's closed requests, one stream per center: each call follows the previous call's
    # next_cursor (GET /tickets?center=…&status=closed&cursor=…), deeper and deeper.
    center = seed.BRANCHES[i % len(seed.BRANCHES)]
    page = ctx.next_page(center, "/tickets", center=center, status="closed", limit=PAGE)
    return page["items"]


@benchmark("request search, number (API)", rows=Ticket)
def request_search_number_api(ctx: Context, i: int) -> object:
    return ctx.get("/tickets", q=ctx.ticket_number(i)).json()["items"]


@benchmark("request search, phone (API)", rows=Ticket)
def request_search_phone_api(ctx: Context, i: int) -> object:
    return ctx.get("/tickets", q=ctx.ticket_phone(i)).json()["items"]


@benchmark("request search, serial (API)", rows=Ticket)
def request_search_serial_api(ctx: Context, i: int) -> object:
    return ctx.get("/tickets", q=ctx.ticket_serial(i)).json()["items"]


@benchmark("request search, name (API)", rows=Ticket)
def request_search_name_api(ctx: Context, i: int) -> object:
    return ctx.get("/tickets", q=ctx.ticket_name(i)).json()["items"]


# --- dispatch: assignment suggestions (issue #6) ----------------------------------------------
# 500 technicians and 50,000 open work orders (bench.dispatch). The jobs asked about are the
# seeded ones still waiting for a technician (status `created`), on-site (matched by region
# over every technician) and depot (matched by the center holding the unit).


def _waiting(ctx: Context, mode: str) -> list[WorkOrder]:
    """Jobs of `mode` waiting for a technician, as the board reads them (once per context)."""
    cache: dict[str, list[WorkOrder]] = ctx.__dict__.setdefault("_dispatch_waiting", {})
    if mode not in cache:
        cache[mode] = list(
            WorkOrder.objects.filter(mode=mode, status="created", unit__isnull=False)
            .select_related(
                "ticket__customer", "unit__model__category", "center", "repeat_of__technician"
            )
            .order_by("pk")[:200]
        )
    return cache[mode]


def _suggest(ctx: Context, mode: str, i: int) -> object:
    jobs = _waiting(ctx, mode)
    return jobs and suggestions_for(jobs[i % len(jobs)])


@benchmark("suggestions, on-site job (selector)", rows=WorkOrder)
def suggestions_on_site(ctx: Context, i: int) -> object:
    return _suggest(ctx, "on_site", i)


@benchmark("suggestions, depot job (selector)", rows=WorkOrder)
def suggestions_depot(ctx: Context, i: int) -> object:
    return _suggest(ctx, "carry_in", i)


@benchmark("suggestions, on-site job (API)", rows=WorkOrder)
def suggestions_on_site_api(ctx: Context, i: int) -> object:
    # GET /work-orders/{number}/suggestions as the hotline agent (every center's jobs)
    jobs = _waiting(ctx, "on_site")
    if not jobs:
        return False
    number = jobs[i % len(jobs)].number
    return ctx.get(f"/work-orders/{number}/suggestions").json()["items"]


# --- the timer sweep (issue #7) ---------------------------------------------------------------
# 100,000 open follow-ups that fell due and were never queued (bench.followups). Each call is one
# pass of the worker's minute timer: it claims the next 200 (a pickup reminder also queues its
# SMS). The first call (untimed: warm-up, and the query count) puts the backlog back to unqueued.

_SWEEP_NOW: dict[str, datetime] = {}


@benchmark("timer sweep, one pass of 200", rows=FollowUp)
def timer_sweep_pass(ctx: Context, i: int) -> object:
    if i == 0 or "now" not in _SWEEP_NOW:
        bench_followups.reset_followups()
        _SWEEP_NOW["now"] = bench_followups.backlog_now()
    result = timers_sweep(now=_SWEEP_NOW["now"], limit=bench_followups.SWEEP_LIMIT)
    return result["followups"]
