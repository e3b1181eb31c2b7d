"""The callback console's export button (decision 83): every call the console lists — open and
due within its two hours, not only the first 100 —, in the API's columns; the same roles."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from aftersales.core.models import AccessRecord
from aftersales.followups.models import FollowUp
from aftersales.followups.services import followup_schedule
from tests.factories import make_staff, repair_request

pytestmark = pytest.mark.clock("2026-12-15T10:00:00+08:00")


@pytest.fixture
def agent(center):  # type: ignore[no-untyped-def]
    return make_staff("xiaoyan", "hotline", center)


def call(agent, kind: str, due_in: timedelta) -> FollowUp:  # type: ignore[no-untyped-def]
    return followup_schedule(
        ticket=repair_request(agent), kind=kind, due_at=timezone.now() + due_in, owner=agent
    )


def page_as(user, language: str | None = None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    client.force_login(user)
    return client


def rows_of(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_button_exports_every_call_the_console_lists(agent):
    overdue = call(agent, "repair_callback", timedelta(hours=-3))
    soon = call(agent, "consultation_callback", timedelta(minutes=30))
    tomorrow = call(agent, "consultation_callback", timedelta(days=1))
    done = call(agent, "repair_callback", timedelta(hours=-1))
    FollowUp.objects.filter(pk=done.pk).update(status="done")
    console = page_as(agent)

    html = console.get("/callbacks/").content.decode()
    header, *rows = rows_of(console.get("/callbacks/", {"format": "xlsx"}))

    assert 'href="?format=xlsx"' in html
    assert header[:5] == ("类型", "请求", "工单", "到期时间", "状态")
    assert [row[1] for row in rows] == [soon.ticket.number, overdue.ticket.number]
    assert tomorrow.ticket.number not in {row[1] for row in rows}
    assert AccessRecord.objects.get(kind="list_export").subject == "follow-ups"


def test_no_calls_no_button(agent):
    assert "format=xlsx" not in page_as(agent).get("/callbacks/").content.decode()


def test_a_role_without_the_console_gets_no_export(agent, center):
    call(agent, "repair_callback", timedelta(hours=-1))
    technician = page_as(make_staff("tech", "technician", center))

    assert technician.get("/callbacks/", {"format": "xlsx"}).status_code == 403
    assert not AccessRecord.objects.exists()


def test_the_export_holds_more_than_the_hundred_calls_the_page_shows(agent):
    ticket = repair_request(agent)
    FollowUp.objects.bulk_create(
        FollowUp(kind="repair_callback", ticket=ticket, due_at=timezone.now(), owner=agent)
        for _ in range(105)
    )
    console = page_as(agent)

    html = console.get("/callbacks/").content.decode()
    rows = rows_of(console.get("/callbacks/", {"format": "xlsx"}))[1:]

    assert html.count("data-followup=") == 100
    assert len(rows) == 105
