"""The request console's export button (decision 83): it carries the queue and the filters, also
after htmx changed them; a short list downloads at once, one row per request of the queue."""

import io
import re

import openpyxl
import pytest
from django.test import Client

from aftersales.core.models import AccessRecord, ExportJob
from aftersales.desk.services import request_create
from aftersales.tickets.models import Ticket
from tests.factories import CustomerFactory, make_staff

pytestmark = pytest.mark.clock("2026-12-15T10:00:00+08:00")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "ticket-list"}


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    """A hotline agent with three repairs and two consultations of their own, and one request a
    colleague owns."""
    agent = make_staff("agent", "hotline", center)
    colleague = make_staff("colleague", "hotline", center)
    named = CustomerFactory(name="欧阳娜娜")
    request_create(
        by=agent, kind="repair", channel="hotline", customer_id=named.pk, summary="不开机"
    )
    for by, kind, summary in [
        (agent, "repair", "屏幕碎了"),
        (agent, "repair", "不充电"),
        (agent, "consultation", "怎么备份"),
        (agent, "consultation", "保修多久"),
        (colleague, "repair", "别人的"),
    ]:
        request_create(
            by=by, kind=kind, channel="hotline", customer_id=CustomerFactory().pk, summary=summary
        )
    Ticket.objects.filter(created_by=agent).update(owner=agent)
    Ticket.objects.filter(created_by=colleague).update(owner=colleague)
    return agent


def page_as(user, language: str | None = None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    client.force_login(user)
    return client


def export_href(html: str) -> str:
    found = re.search(r'<a id="console-export"[^>]* href="([^"]*)"', html)
    assert found, "no export button"
    return found.group(1).replace("&amp;", "&")


def rows_of(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_button_exports_the_queue_with_its_filters(agent):
    console = page_as(agent, "en")

    html = console.get("/requests/", {"queue": "mine", "kind": "repair"}).content.decode()
    href = export_href(html)
    header, *rows = rows_of(console.get(href))

    assert href == "/requests/?queue=mine&kind=repair&format=xlsx"
    assert header[:5] == ("Number", "Kind", "Channel", "Status", "Priority")
    assert [row[8] for row in rows] == ["不充电", "屏幕碎了", "不开机"]  # theirs, newest first
    record = AccessRecord.objects.get(kind="list_export")
    assert record.subject == "requests" and record.detail == "queue=mine kind=repair"


def test_changing_a_filter_changes_the_button(agent):
    console = page_as(agent)

    fragment = console.get("/requests/", {"queue": "all", "q": "欧阳娜娜"}, **HTMX).content.decode()

    assert 'hx-swap-oob="true"' in fragment
    href = export_href(fragment)
    assert href == "/requests/?queue=all&q=%E6%AC%A7%E9%98%B3%E5%A8%9C%E5%A8%9C&format=xlsx"
    header, *rows = rows_of(console.get(href))
    assert header[0] == "单号"
    assert [row[8] for row in rows] == ["不开机"]


def test_a_queue_with_nothing_offers_no_export(agent):
    console = page_as(agent)

    html = console.get("/requests/", {"queue": "escalated"}).content.decode()

    assert re.search(r'<a id="console-export"[^>]* hidden>', html)


def test_a_long_queue_goes_to_the_background(agent, settings, tmp_path):
    settings.EXPORT_INLINE_MAX_ROWS = 4
    settings.EXPORT_DIR = tmp_path

    answer = page_as(agent).get("/requests/", {"queue": "all", "format": "xlsx"})

    job = ExportJob.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/exports/{job.pk}/"
    assert job.export == "requests"
    assert job.params == {"queue": "all", "q": "", "status": "", "kind": "", "channel": ""}
