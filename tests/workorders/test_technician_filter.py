"""The work-order list by technician (/work-orders/?technician=<username>): a chooser of the
technicians the user may see, by name; the list of the chosen one's jobs in the user's scope,
as the API filters it; the export button carries the choice."""

import io
import re

import openpyxl
import pytest
from django.test import Client

from aftersales.core.models import ExportJob
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_order_create
from tests.factories import CenterFactory, make_staff, repair_request
from tests.visible import visible_text

pytestmark = pytest.mark.clock("2026-12-15T10:00:00+08:00")


def named(user, name: str):  # type: ignore[no-untyped-def]
    user.last_name = name
    user.save(update_fields=["last_name"])
    return user


@pytest.fixture
def crew(center):  # type: ignore[no-untyped-def]
    """At gz: 张师傅 with two jobs (one closed), 李师傅 with one, one job nobody holds, and one
    of 赵师傅's, who then moved to sz and has one job there."""
    sz = CenterFactory(code="sz", name="深圳维修中心", regions=["440300"])
    desk = make_staff("desk", "front_desk", center)
    zhang = named(make_staff("zhang", "technician", center), "张师傅")
    li = named(make_staff("li", "technician", center), "李师傅")
    zhao = named(make_staff("zhao", "technician", center), "赵师傅")
    sz_desk = make_staff("sz-desk", "front_desk", sz)

    def job(by, technician=None):  # type: ignore[no-untyped-def]
        return work_order_create(
            ticket=repair_request(by), by=by, mode="carry_in", technician=technician
        ).number

    jobs = {
        "zhang-1": job(desk, "zhang"),
        "li-1": job(desk, "li"),
        "zhao-gz": job(desk, "zhao"),
        "zhang-2": job(desk, "zhang"),
        "nobody": job(desk),
    }
    make_staff("zhao", "technician", sz)  # moved
    jobs["zhao-sz"] = job(sz_desk, "zhao")
    WorkOrder.objects.filter(number=jobs["zhang-1"]).update(status="closed")
    return {"zhang": zhang, "li": li, "zhao": zhao, "jobs": jobs}


def page_as(user, language: str | None = None) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE=language) if language else Client()
    client.force_login(user)
    return client


def listed(html: str) -> list[str]:
    """The job numbers of the list, in its order."""
    return re.findall(r'<a class="mono" href="/work-orders/[^/]+/">([^<]+)</a>', html)


def chooser(html: str) -> str:
    found = re.search(r'<select name="technician".*?</select>', html, re.S)
    assert found, "no technician chooser"
    return found[0]


def options(html: str) -> list[tuple[str, str]]:
    """(value, words) of each option of the chooser."""
    return [
        (value, visible_text(words).strip())
        for value, words in re.findall(
            r'<option value="([^"]*)"[^>]*>(.*?)</option>', chooser(html)
        )
    ]


def test_the_branch_manager_chooses_among_the_centers_technicians_by_name(crew, center):
    manager = page_as(make_staff("boss", "branch_manager", center))

    html = manager.get("/work-orders/").content.decode()

    assert options(html) == [("", "全部技师"), ("li", "李师傅"), ("zhang", "张师傅")]
    assert "<optgroup" not in chooser(html)  # one center: no groups


def test_choosing_a_technician_lists_their_jobs_newest_first_with_their_name(crew, center):
    manager = page_as(make_staff("boss", "branch_manager", center))
    jobs = crew["jobs"]

    html = manager.get("/work-orders/", {"technician": "zhang"}).content.decode()

    assert listed(html) == [jobs["zhang-2"], jobs["zhang-1"]]
    assert re.search(r'<option value="zhang" selected>张师傅</option>', chooser(html))
    heading = re.search(r"<h1>.*?</h1>", html, re.S)
    assert heading and visible_text(heading[0]).strip() == "工单 技师：张师傅"
    assert "zhang" not in visible_text(html)  # the name, never the username


def test_the_filters_combine(crew, center):
    manager = page_as(make_staff("boss", "branch_manager", center))

    html = manager.get("/work-orders/", {"technician": "zhang", "open": "on"}).content.decode()

    assert listed(html) == [crew["jobs"]["zhang-2"]]  # the closed one is not open


def test_the_page_lists_what_the_api_lists_for_the_same_technician(crew, center, api_as):
    manager = page_as(make_staff("boss", "branch_manager", center))
    api = api_as("branch_manager", "boss-api")

    for technician in ("zhang", "li", "zhao"):
        answer = api.get("/work-orders", technician=technician)
        assert answer.status_code == 200
        expected = [item["number"] for item in answer.json()["items"]]
        html = manager.get("/work-orders/", {"technician": technician}).content.decode()
        assert listed(html) == expected, technician


def test_a_technician_of_another_center_shows_only_their_jobs_in_the_users_scope(crew, center):
    manager = page_as(make_staff("boss", "branch_manager", center))
    jobs = crew["jobs"]

    html = manager.get("/work-orders/", {"technician": "zhao"}).content.decode()

    assert listed(html) == [jobs["zhao-gz"]]  # not Shenzhen's job
    assert jobs["zhao-sz"] not in html
    assert ("zhao", "赵师傅") in options(html)  # the one asked for, named
    assert "field-error" not in html


def test_every_centers_roles_choose_among_every_technician_grouped_by_center(crew):
    dispatcher = page_as(make_staff("disp", "dispatcher"))

    html = dispatcher.get("/work-orders/", {"technician": "zhao"}).content.decode()

    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', chooser(html), re.S)
    assert [(label, re.findall(r'value="(\w+)"', body)) for label, body in groups] == [
        ("广州维修中心", ["li", "zhang"]),
        ("深圳维修中心", ["zhao"]),
    ]
    jobs = crew["jobs"]
    assert listed(html) == [jobs["zhao-sz"], jobs["zhao-gz"]]


def test_a_technician_who_left_is_still_offered_when_asked_for(crew, center):
    crew["zhang"].is_active = False
    crew["zhang"].save(update_fields=["is_active"])
    manager = page_as(make_staff("boss", "branch_manager", center))

    assert ("zhang", "张师傅") not in options(manager.get("/work-orders/").content.decode())
    html = manager.get("/work-orders/", {"technician": "zhang"}).content.decode()
    assert ("zhang", "张师傅") in options(html)
    assert len(listed(html)) == 2


def test_a_username_of_no_technician_lists_nothing_and_says_so(crew, center):
    manager = page_as(make_staff("boss", "branch_manager", center))

    html = manager.get("/work-orders/", {"technician": "desk"}).content.decode()

    assert listed(html) == []
    assert "您可选择的技师中没有这个用户名。" in visible_text(html)
    assert "format=xlsx" not in html  # nothing to export


def test_a_technician_has_no_chooser_and_sees_only_their_own_jobs(crew):
    zhang = page_as(crew["zhang"])
    jobs = crew["jobs"]

    html = zhang.get("/work-orders/").content.decode()
    asked_for_li = zhang.get("/work-orders/", {"technician": "li"}).content.decode()

    assert 'name="technician"' not in html
    assert listed(html) == [jobs["zhang-2"], jobs["zhang-1"]]
    assert listed(asked_for_li) == []


def rows_of(answer) -> list[tuple]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200
    content = b"".join(answer.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_export_button_carries_the_technician_and_the_workbook_holds_their_jobs(crew, center):
    manager = page_as(make_staff("boss", "branch_manager", center))

    html = manager.get("/work-orders/", {"technician": "zhang"}).content.decode()
    link = re.search(r'href="(\?[^"]*format=xlsx)"', html)
    assert link is not None
    url = link[1].replace("&amp;", "&")
    header, *rows = rows_of(manager.get(f"/work-orders/{url}"))

    assert url == "?technician=zhang&format=xlsx"
    assert header[0] == "单号"
    assert [row[0] for row in rows] == [crew["jobs"]["zhang-2"], crew["jobs"]["zhang-1"]]


def test_the_export_keeps_the_scope_of_the_page(crew, center):
    manager = page_as(make_staff("boss", "branch_manager", center))

    _header, *rows = rows_of(manager.get("/work-orders/", {"technician": "zhao", "format": "xlsx"}))

    assert [row[0] for row in rows] == [crew["jobs"]["zhao-gz"]]


def test_a_background_export_keeps_the_technician(
    crew, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    settings.EXPORT_DIR = tmp_path
    user = make_staff("root", "admin")
    admin = page_as(user, "en")

    with django_capture_on_commit_callbacks(execute=True):
        answer = admin.get("/work-orders/", {"technician": "zhao", "format": "xlsx"})

    job = ExportJob.objects.get()
    assert answer.status_code == 302
    assert job.params == {"status": "", "open": False, "technician": "zhao"}
    from aftersales.core.exports import export_job_run

    export_job_run(job_id=job.pk)
    _header, *rows = rows_of(admin.get(f"/exports/{job.pk}/file"))
    jobs = crew["jobs"]
    assert [row[0] for row in rows] == [jobs["zhao-sz"], jobs["zhao-gz"]]


def test_the_list_costs_the_same_statements_with_a_technician_as_without(crew, center):
    from tests.queries import statements

    manager = page_as(make_staff("boss", "branch_manager", center))

    plain, _ = statements(manager.get, "/work-orders/")
    chosen, _ = statements(manager.get, "/work-orders/", {"technician": "zhang"})

    assert chosen == plain
