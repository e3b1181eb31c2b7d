"""The complaint list's export button (decision 83): the complaints of the tab shown, every one
of them, with the complaints' own columns; the same scope and roles as the list."""

import io

import openpyxl
import pytest
from django.test import Client

from aftersales.core.models import AccessRecord
from aftersales.desk import services
from tests.factories import CenterFactory, CustomerFactory, make_staff

pytestmark = pytest.mark.clock("2026-12-15T10:00:00+08:00")


@pytest.fixture
def handler(db, center):  # type: ignore[no-untyped-def]
    return make_staff("sunm", "complaints", center)


def a_complaint(by, channel: str = "hotline", **extra):  # type: ignore[no-untyped-def]
    return services.request_create(
        by=by,
        kind="complaint",
        channel=channel,
        summary=f"{channel} 投诉",
        customer_id=CustomerFactory().pk,
        **extra,
    )


def page_as(user, language: str | None = None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    client.force_login(user)
    return client


def rows_of(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(answer.streaming_content)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_button_exports_the_tab_shown_with_the_complaints_columns(handler):
    hotline, web = a_complaint(handler), a_complaint(handler, channel="web")
    handlers = page_as(handler)

    html = handlers.get("/complaints/", {"view": "to_screen"}).content.decode()
    answer = handlers.get("/complaints/", {"view": "to_screen", "format": "xlsx"})
    everything = rows_of(handlers.get("/complaints/", {"format": "xlsx"}))[1:]

    assert 'href="?view=to_screen&amp;format=xlsx"' in html
    assert answer["Content-Disposition"] == 'attachment; filename="complaints-2026-12-15.xlsx"'
    header, *rows = rows_of(answer)
    assert header[-4:] == ("类别", "阶段", "责任", "承诺答复时间")
    assert [row[0] for row in rows] == [web.number]
    assert [row[0] for row in everything] == [web.number, hotline.number]
    assert AccessRecord.objects.filter(kind="list_export", subject="complaints").count() == 2


def test_the_export_keeps_the_lists_scope_and_roles(handler, center):
    mine = a_complaint(handler)
    a_complaint(make_staff("szdesk", "hotline", CenterFactory(code="sz")), center="sz")
    manager = page_as(make_staff("zhaom", "branch_manager", center), "en")
    front_desk = page_as(make_staff("desk", "front_desk", center))

    header, *rows = rows_of(manager.get("/complaints/", {"format": "xlsx"}))

    assert header[0] == "Number" and [row[0] for row in rows] == [mine.number]
    assert front_desk.get("/complaints/", {"format": "xlsx"}).status_code == 403


def test_an_empty_tab_offers_no_export(handler):
    a_complaint(handler)

    html = page_as(handler).get("/complaints/", {"view": "escalated"}).content.decode()

    assert "format=xlsx" not in html
