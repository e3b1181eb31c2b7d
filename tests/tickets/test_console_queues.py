"""The console's queues on a busy desk: counts that stop at "99+", the due-soon queue soonest
first across "Load more", and the API's `breaching` list holding the same requests."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from aftersales.core.services import issue_token
from aftersales.tickets import rules, selectors, services
from aftersales.tickets.models import Ticket
from tests.conftest import ApiClient
from tests.factories import PASSWORD, CustomerFactory, make_staff

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/requests/"}


@pytest.fixture
def clerk(db, center):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline", center)


@pytest.fixture
def clerk_client(client, clerk):  # type: ignore[no-untyped-def]
    client.force_login(clerk)
    return client


def requests_on_file(count: int, *, owner, center, due=None, status="new"):  # type: ignore[no-untyped-def]
    """`count` requests in one INSERT, their clocks as an SLA policy would have set them: the
    respond promise at `due(k)` (default: two days out), the resolve promise a week later.
    `pending_due` as the services keep it."""
    customer = CustomerFactory()
    now = timezone.now()
    made = []
    for k in range(count):
        respond_by = due(k) if due else now + timedelta(days=2)
        ticket = Ticket(
            number=f"SR{Ticket.objects.count() + len(made) + 1:010d}",
            kind="repair",
            channel="hotline",
            status=status,
            customer=customer,
            summary="屏幕闪烁",
            center=center,
            owner=owner,
            created_by=owner,
            created_at=now,
            respond_by=respond_by,
            resolve_by=respond_by + timedelta(days=7),
        )
        ticket.pending_due = rules.pending_due(ticket)
        made.append(ticket)
    return Ticket.objects.bulk_create(made)


def promised(ticket: Ticket, *, respond_by: datetime) -> Ticket:
    """The request's respond promise set to `respond_by` (what an SLA policy would have said)."""
    ticket.respond_by = respond_by
    ticket.pending_due = rules.pending_due(ticket)
    ticket.save(update_fields=["respond_by", "pending_due"])
    return ticket


def a_request(by):  # type: ignore[no-untyped-def]
    return services.ticket_create(
        by=by,
        kind="repair",
        channel="hotline",
        summary="屏幕闪烁",
        customer_id=CustomerFactory().pk,
    )


# Counts -----------------------------------------------------------------------------------------


def test_a_queue_of_a_hundred_or_more_shows_99_plus(clerk_client, clerk, center):
    requests_on_file(120, owner=clerk, center=center)

    answer = clerk_client.get("/requests/", {"queue": "mine"})

    assert answer.context["page"].counts["mine"] == selectors.COUNT_CAP  # counted no further
    assert 'id="count-mine">99+<' in answer.text
    assert 'id="count-center">99+<' in answer.text
    assert 'id="count-unassigned">0<' in answer.text


def test_the_polled_counts_show_99_plus_too(clerk_client, clerk, center):
    requests_on_file(100, owner=clerk, center=center)

    answer = clerk_client.get("/requests/", {"part": "counts"}, **HTMX)

    assert 'id="count-mine" hx-swap-oob="true">99+<' in answer.text


def test_a_queue_of_99_shows_its_count(clerk_client, clerk, center):
    requests_on_file(99, owner=clerk, center=center)

    answer = clerk_client.get("/requests/", {"part": "counts"}, **HTMX)

    assert 'id="count-mine" hx-swap-oob="true">99<' in answer.text


def test_closed_requests_do_not_count(clerk_client, clerk, center):
    requests_on_file(150, owner=clerk, center=center, status="closed")
    requests_on_file(3, owner=clerk, center=center)

    answer = clerk_client.get("/requests/", {"queue": "mine"})

    assert answer.context["page"].counts["mine"] == 3


# Due soon ---------------------------------------------------------------------------------------


def test_due_soon_lists_the_soonest_due_first_and_load_more_continues_in_that_order(
    clerk_client, clerk, center
):
    now = timezone.now().replace(microsecond=0)
    # Made in an order unlike their due times, with two pairs due at the same moment.
    offsets = [30, -300, 90, -5, 30, 100, -300, 60]
    made = requests_on_file(
        len(offsets), owner=clerk, center=center, due=lambda k: now + timedelta(minutes=offsets[k])
    )
    requests_on_file(3, owner=clerk, center=center, due=lambda k: now + timedelta(hours=5))
    requests_on_file(2, owner=clerk, center=center, status="resolved", due=lambda k: now)
    soonest_first = [t.number for t in sorted(made, key=lambda t: (t.respond_by, t.pk))]

    first = clerk_client.get("/requests/", {"queue": "breaching"})
    shown = [row.ticket.number for row in first.context["page"].rows]
    assert shown == soonest_first  # three overdue, five due within two hours; nothing else

    pages, cursor = [], None
    while True:
        page = selectors.console(clerk, queue="breaching", limit=3, cursor=cursor)
        pages.append([row.ticket.number for row in page.rows])
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [len(p) for p in pages] == [3, 3, 2]
    assert sum(pages, []) == soonest_first

    first_page = selectors.console(clerk, queue="breaching", limit=3)
    more = clerk_client.get(
        "/requests/", {"queue": "breaching", "cursor": first_page.next_cursor}, **HTMX
    )
    assert [t.name for t in more.templates][0] == "tickets/partials/_rows.html"
    assert [row.ticket.number for row in more.context["page"].rows] == soonest_first[3:]


def test_a_cursor_from_another_queue_is_refused(clerk_client, clerk, center):
    requests_on_file(3, owner=clerk, center=center)
    mine = selectors.console(clerk, queue="mine", limit=1)

    answer = clerk_client.get("/requests/", {"queue": "breaching", "cursor": mine.next_cursor})

    assert answer.status_code == 400


def test_a_request_leaves_due_soon_when_resolved_and_comes_back_when_reopened(clerk):
    ticket = promised(a_request(clerk), respond_by=timezone.now() - timedelta(minutes=5))
    assert [r.ticket for r in selectors.console(clerk, queue="breaching").rows] == [ticket]

    services.ticket_act(ticket=ticket, by=clerk, action="start")  # answered: the resolve clock
    ticket.refresh_from_db()
    assert ticket.pending_due == ticket.resolve_by
    assert selectors.console(clerk, queue="breaching").rows == []

    services.ticket_act(ticket=ticket, by=clerk, action="resolve", resolution="repaired")
    ticket.refresh_from_db()
    assert ticket.pending_due is None

    Ticket.objects.filter(pk=ticket.pk).update(resolve_by=timezone.now() - timedelta(hours=1))
    services.ticket_act(ticket=ticket, by=clerk, action="reopen", note="又坏了")
    ticket.refresh_from_db()
    assert ticket.pending_due == ticket.resolve_by  # owed again, and already late
    assert [r.ticket for r in selectors.console(clerk, queue="breaching").rows] == [ticket]


def test_a_new_request_is_due_at_its_respond_promise(clerk):
    ticket = a_request(clerk)

    assert ticket.pending_due == ticket.respond_by is not None
    ticket.refresh_from_db()
    assert ticket.pending_due == ticket.respond_by


def test_the_apis_breaching_list_holds_the_console_queue(clerk, center):
    now = timezone.now()
    late, soon, later = requests_on_file(
        3,
        owner=clerk,
        center=center,
        due=lambda k: now + [timedelta(minutes=-5), timedelta(minutes=90), timedelta(hours=5)][k],
    )
    token, _ = issue_token(username=clerk.username, password=PASSWORD)

    listed = ApiClient(token).get("/tickets", breaching="true").json()["items"]

    queue = [row.ticket.number for row in selectors.console(clerk, queue="breaching").rows]
    assert queue == [late.number, soon.number]
    assert [t["number"] for t in listed] == [soon.number, late.number]  # lists: newest first


def test_requests_taken_before_the_upgrade_get_their_due_time(clerk, center):
    from importlib import import_module

    from django.apps import apps

    upgrade = import_module("aftersales.tickets.migrations.0003_ticket_pending_due")
    now = timezone.now()
    new, answered, resolved, cancelled = requests_on_file(
        4, owner=clerk, center=center, due=lambda k: now + timedelta(hours=k)
    )
    Ticket.objects.filter(pk=answered.pk).update(status="in_progress", responded_at=now)
    Ticket.objects.filter(pk=resolved.pk).update(status="resolved", resolved_at=now)
    Ticket.objects.filter(pk=cancelled.pk).update(status="cancelled")
    odd = requests_on_file(1, owner=clerk, center=center, due=lambda k: now)[0]
    Ticket.objects.filter(pk=odd.pk).update(resolve_by=now - timedelta(hours=1))  # resolve first
    Ticket.objects.update(pending_due=None)  # as the rows were before the column existed

    upgrade.fill_pending_due(apps, None)

    for ticket in Ticket.objects.all():
        assert ticket.pending_due == rules.pending_due(ticket), ticket.status
    assert Ticket.objects.get(pk=answered.pk).pending_due == answered.resolve_by
    assert Ticket.objects.get(pk=odd.pk).pending_due == now - timedelta(hours=1)
    assert Ticket.objects.filter(pending_due=None).count() == 2  # resolved and cancelled
