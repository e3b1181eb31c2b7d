"""Keyset pages: newest first by default, or by a field (with the primary key breaking ties)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.core.errors import InvalidInput
from aftersales.core.models import Event
from aftersales.core.pagination import keyset_page


def events_at(*minutes: int) -> list[Event]:
    """One event per entry, `minutes` from a fixed moment (equal minutes: the same time)."""
    start = timezone.now().replace(microsecond=0)
    kind = ContentType.objects.get_for_model(Event)
    return [
        Event.objects.create(
            content_type=kind, object_id=1, action="note", at=start + timedelta(minutes=m)
        )
        for m in minutes
    ]


def every_page(order: str | None, limit: int) -> list[list[Event]]:
    pages, cursor = [], None
    while True:
        page = keyset_page(Event.objects.all(), limit=limit, cursor=cursor, order=order)
        pages.append(page["items"])
        if page["next_cursor"] is None:
            return pages
        cursor = page["next_cursor"]


def test_pages_run_newest_first_by_default(db):
    made = events_at(0, 1, 2, 3, 4)

    pages = every_page(None, limit=2)

    newest = made[::-1]
    assert pages == [newest[:2], newest[2:4], newest[4:]]


def test_pages_by_a_field_run_smallest_first_and_ties_keep_their_id_order(db):
    made = events_at(30, 10, 20, 10, 30, 10, 0)

    pages = every_page("at", limit=2)

    assert [len(p) for p in pages] == [2, 2, 2, 1]
    assert sum(pages, []) == sorted(made, key=lambda e: (e.at, e.pk))


def test_the_last_page_has_no_cursor(db):
    events_at(1, 2)

    page = keyset_page(Event.objects.all(), limit=2, cursor=None, order="at")

    assert len(page["items"]) == 2 and page["next_cursor"] is None


@pytest.mark.parametrize("order", [None, "at"])
def test_a_cursor_of_the_other_kind_or_made_up_is_refused(db, order):
    events_at(1, 2, 3)
    other = keyset_page(
        Event.objects.all(), limit=1, cursor=None, order="at" if not order else None
    )

    for cursor in (other["next_cursor"], "not-a-cursor", "WyJ4IiwgMV0"):  # the last: ["x", 1]
        with pytest.raises(InvalidInput) as refused:
            keyset_page(Event.objects.all(), limit=1, cursor=cursor, order=order)
        assert "cursor" in refused.value.details
