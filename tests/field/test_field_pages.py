"""The technician's phone pages without a browser: the day's jobs in order, the job with the
steps the table allows, on my way / arrived / finished with their times, parts from the van,
photos, the customer's signature, rating and payment, the reasons a visit could not finish —
and who may open these pages at all."""

import base64
import re
from datetime import datetime, time, timedelta
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.core.errors import InvalidInput
from aftersales.core.models import Event
from aftersales.workorders import services
from aftersales.workorders.models import Part, PartStock, Photo, WorkOrder
from tests.factories import (
    CenterFactory,
    make_staff,
    on_site_job,
)
from tests.words import zh_html as zh

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
SIGNATURE = "data:image/png;base64," + base64.b64encode(PNG).decode()
ADDRESS = "广州市天河区天河路 385 号 3 栋 1201"


def today_at(hour: int, days: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def events_of(wo: WorkOrder, action: str):  # type: ignore[no-untyped-def]
    kind = ContentType.objects.get_for_model(WorkOrder)
    return Event.objects.filter(content_type=kind, object_id=wo.pk, action=action)


def order_of(page: str) -> list[str]:
    return re.findall(r'data-job="(WO\w+)"', page)


@pytest.fixture
def hotline(center):  # type: ignore[no-untyped-def]
    return make_staff("hotline", "hotline", center)


@pytest.fixture
def dispatcher(db):  # type: ignore[no-untyped-def]
    return make_staff("diaodu", "dispatcher")


@pytest.fixture
def li(center):  # type: ignore[no-untyped-def]
    user = make_staff("li", "technician", center)
    user.first_name = "李师傅"
    user.save(update_fields=["first_name"])
    return user


@pytest.fixture
def li_phone(client, li):  # type: ignore[no-untyped-def]
    client.force_login(li)
    return client


@pytest.fixture
def job(hotline, dispatcher, li):  # type: ignore[no-untyped-def]
    """`job(at=…)` → an on-site job of 李师傅, booked at `at` (None: no time agreed yet), on a
    phone bought `days_ago` (40: a free repair; 400: out of warranty, paid)."""

    def make(
        at: datetime | None = None, *, customer: str = "张伟", days_ago: int = 40, tech=li, **who
    ):  # type: ignore[no-untyped-def]
        return on_site_job(
            hotline,
            technician=tech,
            booked_at=at,
            booked_by=dispatcher,
            customer=customer,
            address=ADDRESS,
            days_ago=days_ago,
            model_name="星河 洗衣机 W7",
            summary="不脱水",
            **who,
        )

    return make


def step(client, wo, action, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/field/{wo.number}/act/", {"action": action, **data})


def walk(client, wo, *actions):  # type: ignore[no-untyped-def]
    for action in actions:
        answer = step(client, wo, action)
        assert answer.status_code == 302, (action, answer.content.decode()[:2000])


def to_repairing(client, wo):  # type: ignore[no-untyped-def]
    walk(client, wo, "depart", "arrive", "start_diagnosis")
    answer = step(client, wo, "diagnose", findings="排水泵堵塞", fault_code="OTHER")
    assert answer.status_code == 302
    walk(client, wo, "start_repair")


def finish(client, wo, **data):  # type: ignore[no-untyped-def]
    body = {"actions_taken": "清理排水泵", "result": "ok", "checks": ["开机"], **data}
    return client.post(f"/field/{wo.number}/finish/", body)


# The day ---------------------------------------------------------------------------------------


def test_my_day_lists_overdue_jobs_first_then_today_in_appointment_order_then_unbooked(
    li_phone, job, hotline, center
):
    afternoon = job(today_at(14), customer="下午")
    morning = job(today_at(9), customer="上午")
    overdue = job(today_at(10, days=-1), customer="昨天")
    unbooked = job(None, customer="未约")
    tomorrow = job(today_at(10, days=1), customer="明天")
    someone_elses = job(
        today_at(11), customer="别人", tech=make_staff("wang", "technician", center)
    )

    page = li_phone.get("/field/").content.decode()

    assert order_of(page) == [overdue.number, morning.number, afternoon.number, unbooked.number]
    assert tomorrow.number not in page and someone_elses.number not in page


def test_a_card_shows_the_window_customer_map_link_call_button_status_and_model(li_phone, job):
    wo = job(today_at(9), phone="+8613800138000")

    page = li_phone.get("/field/").content.decode()

    assert "09:00–11:00" in page
    assert "张伟" in page and "星河 洗衣机 W7" in page
    assert f'href="https://uri.amap.com/search?keyword={quote(ADDRESS, safe="")}"' in page
    assert 'href="tel:+8613800138000"' in page
    assert f'data-status="scheduled">{zh("Scheduled")}' in page
    assert f'href="/field/{wo.number}/"' in page


def test_a_finished_job_leaves_the_day(li_phone, job):
    wo = job(today_at(9))
    WorkOrder.objects.filter(pk=wo.pk).update(status="completed")

    assert wo.number not in li_phone.get("/field/").content.decode()


def test_a_day_of_eight_jobs_is_a_small_page(li_phone, job):
    for hour in range(8, 16):
        job(today_at(hour), customer=f"客户{hour}")

    answer = li_phone.get("/field/")

    assert len(order_of(answer.content.decode())) == 8
    assert len(answer.content) < 40_000
    assert b"<script" not in answer.content


def test_a_technician_signing_in_lands_on_their_day_which_links_the_hand_in(li_phone):
    landing = li_phone.get("/")
    assert (landing.status_code, landing["Location"]) == (302, "/field/")
    assert 'href="/field/hand-in/"' in li_phone.get("/field/").content.decode()


# Who may open the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["hotline", "front_desk", "dispatcher", "finance"])
def test_other_staff_get_the_403_page(client, job, center, role):
    wo = job(today_at(9))
    client.force_login(make_staff(f"{role}-x", role, center))

    for url in ("/field/", f"/field/{wo.number}/"):
        answer = client.get(url)
        assert answer.status_code == 403
        assert zh("Not allowed") in answer.content.decode()
    assert step(client, wo, "depart").status_code == 403
    assert WorkOrder.objects.get(pk=wo.pk).departed_at is None


def test_a_signed_out_visitor_is_sent_to_log_in(client, db):
    answer = client.get("/field/")

    assert answer.status_code == 302 and answer["Location"].startswith("/login/")


def test_a_technician_opening_someone_elses_job_gets_404_and_changes_nothing(client, job, center):
    wo = job(today_at(9))
    client.force_login(make_staff("wang", "technician", center))

    assert client.get(f"/field/{wo.number}/").status_code == 404
    assert step(client, wo, "depart").status_code == 404
    assert not events_of(wo, "depart").exists()


def test_a_branch_manager_sees_the_centers_day_and_may_act_on_its_jobs(client, job, center):
    wo = job(today_at(9))
    client.force_login(make_staff("manager", "branch_manager", center))

    assert wo.number in client.get("/field/").content.decode()
    assert step(client, wo, "depart").status_code == 302
    assert WorkOrder.objects.get(pk=wo.pk).departed_at is not None


def test_a_branch_manager_of_another_center_gets_404(client, job):
    wo = job(today_at(9))
    elsewhere = CenterFactory(code="sz", regions=["440300"])
    client.force_login(make_staff("sz-manager", "branch_manager", elsewhere))

    assert wo.number not in client.get("/field/").content.decode()
    assert client.get(f"/field/{wo.number}/").status_code == 404


# The job: steps and times ------------------------------------------------------------------------


def test_before_the_visit_the_page_gives_the_call_ahead_words_with_the_agreed_time(li_phone, job):
    wo = job(today_at(9))

    page = li_phone.get(f"/field/{wo.number}/").content.decode()

    script = re.search(r"data-call-ahead>.*?<p>(.*?)</p>", page, re.S)
    assert script is not None
    assert wo.ticket.customer.name in script.group(1) and wo.ticket.number in script.group(1)
    assert "09:00" in script.group(1)


def test_a_scheduled_job_offers_only_the_next_step_of_the_visit(li_phone, job):
    wo = job(today_at(9))

    page = li_phone.get(f"/field/{wo.number}/").content.decode()

    # Before setting off: only "on my way" (and, below, what to do when the visit cannot be kept)
    steps = re.findall(r'data-step="(\w+)"', page)
    assert steps[0] == "depart"
    for later in ("arrive", "start_diagnosis", "finish", "hand_over", "diagnose", "assign"):
        assert later not in steps
    assert steps[-4:] == ["schedule", "visit_incomplete", "change_mode", "incident"]
    assert "signature.js" not in page  # nothing to sign yet

    # On the way: only "arrived"
    walk(li_phone, wo, "depart")
    steps = re.findall(r'data-step="(\w+)"', li_phone.get(f"/field/{wo.number}/").content.decode())
    assert steps[0] == "arrive" and "depart" not in steps and "start_diagnosis" not in steps

    # On site: the work begins
    walk(li_phone, wo, "arrive")
    steps = re.findall(r'data-step="(\w+)"', li_phone.get(f"/field/{wo.number}/").content.decode())
    assert steps[0] == "start_diagnosis" and "arrive" not in steps and "depart" not in steps


def test_arrived_before_on_my_way_is_refused_and_not_recorded(li_phone, job):
    wo = job(today_at(9))

    answer = step(li_phone, wo, "arrive")

    assert answer.status_code == 409
    page = answer.content.decode()
    assert zh("Record “On my way” first: the arrival follows it.") in page
    wo.refresh_from_db()
    assert wo.arrived_at is None and not events_of(wo, "arrive").exists()


def test_diagnosis_waits_for_the_customers_choice_and_the_phone_says_so(li_phone, job):
    wo = job(today_at(9))
    WorkOrder.objects.filter(pk=wo.pk).update(
        decision={**(wo.decision or {}), "remedies": ["exchange", "free_repair"]}
    )
    walk(li_phone, wo, "depart", "arrive")

    page = li_phone.get(f"/field/{wo.number}/").content.decode()

    blocked = re.search(r'data-step="start_diagnosis" data-blocked>(.*?)</div>', page, re.S)
    assert blocked is not None and "disabled" in blocked.group(1)
    assert zh("Waiting for the customer's choice of remedy") in blocked.group(1)
    assert 'data-step="choose_remedy"' in page


def test_on_my_way_and_arrived_record_their_times_on_the_page(li_phone, job, li):
    wo = job(today_at(9))

    walk(li_phone, wo, "depart", "arrive")

    wo.refresh_from_db()
    assert wo.departed_at is not None and wo.arrived_at is not None
    assert events_of(wo, "depart").get().actor == li
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    shown = timezone.localtime(wo.arrived_at).strftime("%H:%M")
    assert re.search(rf'data-time="arrive" class="done">.*?{shown}', page, re.S)


def test_the_diagnosis_form_records_the_findings(li_phone, job):
    wo = job(today_at(9))
    walk(li_phone, wo, "depart", "arrive", "start_diagnosis")

    answer = step(li_phone, wo, "diagnose", findings="排水泵堵塞", fault_code="OTHER")

    assert answer.status_code == 302
    wo.refresh_from_db()
    assert (wo.status, wo.findings, wo.fault_code) == ("diagnosing", "排水泵堵塞", "OTHER")
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    assert 'data-step="start_repair"' in page and "排水泵堵塞" in page


def test_a_step_the_table_refuses_is_answered_409_with_a_message(li_phone, job):
    wo = job(today_at(9))

    answer = step(li_phone, wo, "start_repair")

    assert answer.status_code == 409
    assert 'class="alert error"' in answer.content.decode()
    assert WorkOrder.objects.get(pk=wo.pk).status == "scheduled"


def test_a_step_the_role_may_not_take_is_answered_403_on_top_of_the_page(li_phone, job, li):
    wo = job(today_at(9))

    answer = step(li_phone, wo, "waive", reason="老客户")

    assert answer.status_code == 403
    assert re.search(
        r'<p class="alert error" role="alert">[^<]+</p>\s*<div class="steps">',
        answer.content.decode(),
    )
    assert not events_of(wo, "waive").exists()


# Finished: repair and QC together, parts from the van -------------------------------------------------


def test_finished_completes_the_repair_and_passes_qc_with_parts_from_the_van(li_phone, job, li):
    wo = job(today_at(9))
    pump = Part.objects.create(model=wo.unit.model, code="PUMP-01", name="排水泵", price="80.00")
    van = PartStock.objects.create(center=wo.center, part=pump, holder=li, on_hand=3)
    to_repairing(li_phone, wo)
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    assert 'name="van_PUMP-01"' in page and "排水泵" in page

    answer = finish(li_phone, wo, **{"van_PUMP-01": "1"})

    assert answer.status_code == 302
    wo.refresh_from_db()
    assert wo.status == "ready" and wo.qc_passed_at is not None
    used = events_of(wo, "complete_repair").get().data["parts_used"]
    assert used == [
        {"code": "PUMP-01", "qty": 1, "reserved": 0, "van": 1, "center": 0, "missing": 0}
    ]
    assert events_of(wo, "qc_pass").exists()
    van.refresh_from_db()
    assert van.on_hand == 2


def test_finished_without_checks_is_refused_writes_nothing_and_keeps_what_was_typed(
    li_phone, job, li
):
    wo = job(today_at(9))
    pump = Part.objects.create(model=wo.unit.model, code="PUMP-01", name="排水泵", price="80.00")
    van = PartStock.objects.create(center=wo.center, part=pump, holder=li, on_hand=3)
    to_repairing(li_phone, wo)

    answer = finish(li_phone, wo, checks=[], **{"van_PUMP-01": "1"})

    assert answer.status_code == 422
    page = answer.content.decode()
    assert zh("List the functions checked (all of them, not only the fault).") in page
    assert "清理排水泵" in page
    wo.refresh_from_db()
    assert wo.status == "repairing"
    assert not events_of(wo, "complete_repair").exists()
    van.refresh_from_db()
    assert van.on_hand == 3


def test_the_finish_service_writes_both_events_or_none(job, li):
    wo = job(today_at(9))
    for action in ("depart", "arrive", "start_diagnosis", "start_repair"):
        services.work_order_act(work_order=wo, by=li, action=action)

    with pytest.raises(InvalidInput):
        services.work_order_finish_on_site(
            work_order=wo, by=li, actions_taken="清理", parts_used=[], result="ok", checks=[]
        )
    assert WorkOrder.objects.get(pk=wo.pk).status == "repairing"
    assert not events_of(wo, "complete_repair").exists()

    done = services.work_order_finish_on_site(
        work_order=wo, by=li, actions_taken="清理", parts_used=[], result="ok", checks=["开机"]
    )
    assert done.status == "ready"
    assert events_of(wo, "complete_repair").count() == events_of(wo, "qc_pass").count() == 1


# Hand-over: signature, rating, payment ------------------------------------------------------------


def test_the_customer_signs_and_rates_on_the_phone_and_the_job_is_completed(li_phone, job):
    wo = job(today_at(9))
    to_repairing(li_phone, wo)
    finish(li_phone, wo)
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    assert "data-signature-pad" in page and "signature.js" in page
    assert 'name="payment_amount"' not in page  # a free repair: nothing to collect

    answer = step(li_phone, wo, "hand_over", rating="5", signature=SIGNATURE)

    assert answer.status_code == 302
    wo.refresh_from_db()
    assert (wo.status, wo.rating) == ("completed", 5)
    assert wo.handover_signature.read().startswith(b"\x89PNG")
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    assert re.search(r'data-time="hand_over" class="done"', page)


def test_a_hand_over_without_the_signature_is_refused_and_keeps_the_rating(li_phone, job):
    wo = job(today_at(9))
    to_repairing(li_phone, wo)
    finish(li_phone, wo)

    answer = step(li_phone, wo, "hand_over", rating="4", comment="很准时")

    assert answer.status_code == 409
    page = answer.content.decode()
    assert 'value="4" id="hand_over-rating_3" checked' in page or re.search(
        r'value="4"[^>]*checked', page
    )
    assert "很准时" in page
    assert zh("Take the customer's signature, or write why they did not sign.") in page
    assert WorkOrder.objects.get(pk=wo.pk).status == "ready"


def test_a_customer_may_decline_to_rate_and_sign_with_the_reason_written_down(li_phone, job):
    wo = job(today_at(9))
    to_repairing(li_phone, wo)
    finish(li_phone, wo)
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    assert zh("Customer prefers not to rate") in page and 'name="no_signature_reason"' in page
    assert 'name="quality_score"' in page and 'name="attitude_score"' in page

    answer = step(
        li_phone,
        wo,
        "hand_over",
        rating="declined",
        attitude_score="5",
        no_signature_reason="客户双手沾油，口头确认",
    )

    assert answer.status_code == 302
    wo.refresh_from_db()
    assert (wo.status, wo.rating, wo.attitude_score) == ("completed", None, 5)
    assert wo.no_signature_reason == "客户双手沾油，口头确认" and not wo.handover_signature


def test_a_paid_job_collects_the_payment_with_its_receipt_number(li_phone, job):
    wo = job(today_at(9), days_ago=400)  # out of warranty: paid
    walk(li_phone, wo, "depart", "arrive", "start_diagnosis")
    step(li_phone, wo, "diagnose", findings="排水泵堵塞")
    quoted = step(
        li_phone,
        wo,
        "quote",
        line_item_0="labor:",
        line_description_0="清理排水泵",
        line_qty_0="1",
        line_price_0="120.00",
    )
    assert quoted.status_code == 302  # no fee standard here: the technician prices the work
    walk(li_phone, wo, "approve_quote")
    finish(li_phone, wo)
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    assert 'name="payment_amount"' in page and "¥120.00" in page

    unpaid = step(li_phone, wo, "hand_over", rating="5", signature=SIGNATURE, payment_amount="")
    assert unpaid.status_code == 409
    assert zh("The amount due must be paid or waived before the hand-over.") in (
        unpaid.content.decode()
    )

    paid = step(
        li_phone,
        wo,
        "hand_over",
        rating="5",
        signature=SIGNATURE,
        payment_amount="120.00",
        payment_method="wechat",
        receipt_no="R-0042",
    )
    assert paid.status_code == 302
    wo.refresh_from_db()
    assert (wo.status, wo.paid, wo.receipt_no, wo.payment_method) == (
        "completed",
        Decimal("120.00"),
        "R-0042",
        "wechat",
    )


# When the job cannot be finished ---------------------------------------------------------------


def test_customer_absent_is_recorded_as_the_reason_and_shown(li_phone, job):
    wo = job(today_at(9))
    walk(li_phone, wo, "depart", "arrive")

    answer = step(
        li_phone, wo, "visit_incomplete", incomplete_reason="customer_absent", note="门上留卡"
    )

    assert answer.status_code == 302
    wo.refresh_from_db()
    assert (wo.status, wo.visit_incomplete) == ("scheduled", "customer_absent")
    assert events_of(wo, "visit_incomplete").get().data["reason"] == "customer_absent"
    page = li_phone.get(f"/field/{wo.number}/").content.decode()
    assert 'data-incomplete="customer_absent"' in page


def test_cannot_finish_without_a_reason_is_refused(li_phone, job):
    wo = job(today_at(9))

    answer = step(li_phone, wo, "visit_incomplete", note="")

    assert answer.status_code == 422
    assert 'class="field field-choices field-incomplete_reason has-error"' in (
        answer.content.decode()
    )
    assert not events_of(wo, "visit_incomplete").exists()


def test_parts_missing_takes_the_unit_to_the_depot_and_it_leaves_my_day(li_phone, job):
    wo = job(today_at(9))
    walk(li_phone, wo, "depart", "arrive", "start_diagnosis")
    step(li_phone, wo, "visit_incomplete", incomplete_reason="parts_missing")

    answer = step(li_phone, wo, "change_mode", reason="缺排水泵，拉回维修")

    assert answer.status_code == 302 and answer["Location"] == "/field/"
    wo.refresh_from_db()
    assert (wo.mode, wo.status, wo.technician) == ("pull_back", "created", None)
    assert wo.number not in li_phone.get("/field/").content.decode()


# Photos -------------------------------------------------------------------------------------------


def test_a_photo_taken_on_site_is_kept_on_the_job(li_phone, job, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wo = job(today_at(9))
    upload = _png_upload()

    answer = li_phone.post(f"/field/{wo.number}/photos/", {"photos": upload, "caption": "铭牌"})

    assert answer.status_code == 302
    assert Photo.objects.get(work_order=wo).caption == "铭牌"
    assert "铭牌" in li_phone.get(f"/field/{wo.number}/").content.decode()


def test_a_file_that_is_not_a_photo_is_refused_on_the_form(li_phone, job, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wo = job(today_at(9))
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = SimpleUploadedFile("note.txt", b"hello", content_type="text/plain")
    answer = li_phone.post(f"/field/{wo.number}/photos/", {"photos": text})

    assert answer.status_code == 422
    assert zh("Upload a JPEG, PNG or WebP photo.") in answer.content.decode()
    assert not Photo.objects.filter(work_order=wo).exists()


def _png_upload():  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("plate.png", PNG, content_type="image/png")


def test_a_second_tap_on_on_my_way_writes_no_second_departure(li_phone, job):
    wo = job(today_at(9))

    first = step(li_phone, wo, "depart")
    again = step(li_phone, wo, "depart")

    assert first.status_code == again.status_code == 302
    assert events_of(wo, "depart").count() == 1
