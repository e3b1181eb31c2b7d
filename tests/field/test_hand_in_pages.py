"""The hand-in pages without a browser: the branch manager's report (missing ones highlighted,
a day picker, the previous working day by default) and the technician's prefilled form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.dispatch import rules, selectors
from aftersales.dispatch.models import HandIn
from aftersales.workorders.models import WorkOrder
from tests.factories import CenterFactory, make_staff
from tests.field.test_hand_in import old_phone_job
from tests.words import zh_html as zh


@pytest.fixture
def tech(db, center):  # type: ignore[no-untyped-def]
    user = make_staff("tech", "technician", center)
    user.first_name = "李师傅"
    user.save(update_fields=["first_name"])
    return user


@pytest.fixture
def admin(db, center):  # type: ignore[no-untyped-def]
    return make_staff("boss", "admin", center)


@pytest.fixture
def missed_day(admin, tech):  # type: ignore[no-untyped-def]
    day = timezone.localdate() - timedelta(days=10)
    wo = old_phone_job(admin, tech, day)
    WorkOrder.objects.filter(pk=wo.pk).update(visit_incomplete="customer_absent")
    return day, wo


def test_the_manager_sees_the_missing_hand_in_highlighted(client, center, missed_day):
    day, wo = missed_day
    client.force_login(make_staff("gz-bm", "branch_manager", center))

    page = client.get("/dispatch/hand-ins/", {"day": day.isoformat()})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'class="hand-in-missing"' in html and "李师傅" in html
    assert wo.number in html and zh("Customer absent") in html
    assert f'value="{day.isoformat()}"' in html  # the day picker holds the day shown


def test_the_report_opens_on_the_previous_working_day(client, center, tech):
    client.force_login(make_staff("disp", "dispatcher", center))
    page = client.get("/dispatch/hand-ins/")
    assert page.status_code == 200
    expected = rules.previous_working_day(timezone.localdate(), selectors.calendar_of(center))
    assert page.context["report"].day == expected
    assert client.get("/dispatch/hand-ins/", {"day": "31/12"}).status_code == 422


def test_who_may_open_the_report(client, center, missed_day):
    day, _wo = missed_day
    for role in ("technician", "hotline", "front_desk"):
        client.force_login(make_staff(f"{role}-x", role, center))
        assert client.get("/dispatch/hand-ins/").status_code == 403
    CenterFactory(code="sz", regions=["440300"])
    client.force_login(make_staff("gz-bm", "branch_manager", center))
    assert client.get("/dispatch/hand-ins/", {"center": "sz"}).status_code == 404
    client.force_login(make_staff("arch", "archive", center))
    assert client.get("/dispatch/hand-ins/", {"day": day.isoformat()}).status_code == 200
    client.logout()
    assert client.get("/dispatch/hand-ins/").status_code == 302


def test_the_technician_hands_in_from_the_prefilled_form(client, tech, missed_day):
    day, wo = missed_day
    client.force_login(tech)

    form = client.get("/field/hand-in/", {"day": day.isoformat()})

    assert form.status_code == 200
    html = form.content.decode()
    assert wo.number in html and zh("Customer absent") in html
    assert form.context["form"].initial["sheets"] == 1
    done = client.post(
        "/field/hand-in/", {"day": day.isoformat(), "sheets": "1", "fees": "0.00", "note": "卡"}
    )
    assert done.status_code == 302
    hand_in = HandIn.objects.get(technician=tech, day=day)
    assert hand_in.note == "卡" and Event.objects.filter(action="hand_in").count() == 1
    # The deadline has passed: a second one is refused on the form, nothing changes.
    again = client.post("/field/hand-in/", {"day": day.isoformat(), "sheets": "5", "fees": "0"})
    assert again.status_code == 409
    assert HandIn.objects.get().sheets == 1


def test_the_form_refuses_bad_input_and_other_roles(client, center, tech):
    client.force_login(tech)
    bad = client.post("/field/hand-in/", {"day": timezone.localdate(), "sheets": "-1", "fees": "x"})
    assert bad.status_code == 422 and not HandIn.objects.exists()
    future = timezone.localdate() + timedelta(days=2)
    assert client.get("/field/hand-in/", {"day": future.isoformat()}).status_code == 422
    client.force_login(make_staff("gz-bm", "branch_manager", center))
    assert client.get("/field/hand-in/").status_code == 403


def test_the_sidebar_leads_technicians_to_their_day_and_hand_in_and_managers_to_the_report(
    client, center
):
    from tests.factories import make_staff, make_technician

    client.force_login(make_technician("li-nav", center))
    sidebar = client.get("/field/hand-in/").content.decode()
    assert 'href="/field/"' in sidebar and 'href="/field/hand-in/"' in sidebar
    client.force_login(make_staff("boss-nav", "branch_manager", center))
    assert 'href="/dispatch/hand-ins/"' in client.get("/").content.decode()


def test_an_impossible_day_in_the_address_is_refused_on_the_page_not_a_server_error(client, center):
    from tests.factories import make_staff

    client.force_login(make_staff("adm-page", "admin", center))
    assert client.get("/dispatch/hand-ins/", {"day": "0001-01-01"}).status_code == 422
