"""The 三包 pages without a browser: the front desk's check, a unit's page, and who may see them.

Dates are relative to today (the server's date): the pages answer for "now".
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from aftersales.warranty import selectors
from tests.clock import PLAIN_DAY
from tests.factories import CustomerFactory, UnitFactory, make_plain_user, make_staff
from tests.words import zh

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/warranty/check/"}


def days_ago(n: int) -> date:
    return timezone.localdate() - timedelta(days=n)


def check_form(**facts: str) -> dict[str, str]:
    """What the page posts: its defaults, plus the facts the clerk typed."""
    return {"voucher": "valid", "damage": "none", "same_model_available": "on", **facts}


@pytest.fixture
def clerk_client(client, db):
    client.force_login(make_staff("wangli", "front_desk"))
    return client


@pytest.fixture
def phone(db):
    """A phone bought five days ago for ¥2,999, registered to 张伟."""
    owner = CustomerFactory(name="张伟")
    bought = days_ago(5)
    return UnitFactory(
        serial="860000001234567",
        customer=owner,
        purchase_date=bought,
        invoice_date=bought,
        price=Decimal("2999.00"),
    )


# The check page ---------------------------------------------------------------------------------


def test_a_day_5_phone_may_be_refunded_exchanged_or_repaired(clerk_client):
    answer = clerk_client.post(
        "/warranty/check/",
        check_form(category="mobile_phone", purchase_date=str(days_ago(5)), price="2999"),
    )

    assert answer.status_code == 200
    decision = answer.context["decision"]
    assert decision.remedies == ("refund", "exchange", "free_repair")
    assert [r.code for r in decision.reasons] == ["within_return_window"]
    remedies = [zh("Refund"), zh("Exchange"), zh("Free repair")]
    shown = [answer.text.index(f'<span class="remedy-label">{r}</span>') for r in remedies]
    assert shown == sorted(shown), "the remedies keep the regulation's order"
    assert "¥2,999.00" in answer.text  # full price inside the 7-day window
    ends = decision.return_ends.isoformat()
    reason = zh("Performance fault reported within the return window, which ends on %(ends)s.")
    assert reason % {"ends": ends} in answer.text
    assert b"<html" in answer.content  # without JS: the whole page, with the decision


def test_liquid_damage_leaves_only_paid_repair(clerk_client):
    answer = clerk_client.post(
        "/warranty/check/",
        check_form(category="mobile_phone", purchase_date=str(days_ago(5)), damage="liquid"),
    )

    decision = answer.context["decision"]
    assert decision.covered is False
    assert decision.remedies == ("paid_repair",)
    assert zh("Not covered by 三包") in answer.text
    # The damage kind reads as words, not as the code.
    expected = zh("Human damage (%(kind)s) is not covered.") % {"kind": zh("Liquid")}
    assert expected in answer.text


@pytest.mark.clock(PLAIN_DAY)  # the 7-day window ended on a working day, not rolled past a holiday
def test_a_day_10_refund_is_less_depreciation(clerk_client):
    answer = clerk_client.post(
        "/warranty/check/",
        check_form(category="mobile_phone", purchase_date=str(days_ago(10)), price="2000"),
    )

    decision = answer.context["decision"]
    assert decision.window == "exchange"
    assert decision.refund_deduction_rate == Decimal("0.0500")  # 10 days × 0.5 %
    assert "5%" in answer.text
    assert "¥1,900.00" in answer.text


def test_a_fault_outside_the_policys_list_is_not_covered(clerk_client):
    answer = clerk_client.post(
        "/warranty/check/",
        check_form(category="mobile_phone", purchase_date=str(days_ago(30)), fault="not_listed"),
    )

    decision = answer.context["decision"]
    assert [r.code for r in decision.reasons] == ["not_a_performance_fault"]


def test_the_fault_list_is_the_policys_for_the_part(clerk_client):
    host = clerk_client.post(
        "/warranty/check/", check_form(category="mobile_phone", purchase_date=str(days_ago(5)))
    )
    battery = clerk_client.post(
        "/warranty/check/",
        check_form(category="mobile_phone", part="battery", purchase_date=str(days_ago(5))),
    )

    assert "不开机" in host.text
    assert "充电后仍不能正常工作" not in host.text
    assert "充电后仍不能正常工作" in battery.text
    assert battery.context["decision"].remedies == ("exchange",)
    parts = host.context["form"].fields["part"].widget.choices
    assert parts[0][0] == "host", "host / whole unit comes first"


def test_a_serial_fills_the_facts_from_the_registered_unit(clerk_client, phone):
    answer = clerk_client.get("/warranty/check/", {"serial": phone.serial})

    assert answer.status_code == 200
    form = answer.context["form"]
    assert form.unit == phone
    assert f'value="{phone.purchase_date.isoformat()}"' in answer.text
    assert "张伟" in answer.text and str(phone.model) in answer.text
    assert f'href="/warranty/units/{phone.serial}/"' in answer.text
    assert answer.context["decision"].remedies == ("refund", "exchange", "free_repair")
    assert "¥2,999.00" in answer.text


def test_a_scanned_serial_replaces_what_was_typed_for_another_unit(clerk_client, phone):
    # The clerk had typed a category and a date, then scanned the unit's label.
    answer = clerk_client.post(
        "/warranty/check/",
        check_form(
            serial=f" {phone.serial.lower()} ",
            category="colour_tv",
            purchase_date=str(days_ago(400)),
            rendered_for="|colour_tv|host",
        ),
        **HTMX,
    )

    decision = answer.context["decision"]
    assert decision.policy_code == "cn-mobile-phone-2001"
    assert decision.purchase_date == phone.purchase_date
    assert decision.remedies == ("refund", "exchange", "free_repair")
    # The unit's facts are drawn into the form (out of band): the clerk sees what was used.
    assert 'id="field-purchase_date" hx-swap-oob="true"' in answer.text
    assert f'value="{phone.purchase_date.isoformat()}"' in answer.text
    assert 'id="unit-card" class="unit-card" aria-live="polite" hx-swap-oob="true"' in answer.text


def test_a_corrected_date_for_the_shown_unit_is_kept(clerk_client, phone):
    # The unit is already shown; the clerk corrects the purchase date from the invoice.
    answer = clerk_client.post(
        "/warranty/check/",
        check_form(
            serial=phone.serial,
            purchase_date=str(days_ago(12)),
            invoice_date=str(days_ago(12)),
            rendered_for=f"{phone.serial}|mobile_phone|host",
        ),
        **HTMX,
    )

    assert answer.context["decision"].days_since_purchase == 12
    assert 'id="field-purchase_date"' not in answer.text, "a field being edited is not redrawn"


def test_an_unknown_serial_is_an_error_on_the_serial_field(clerk_client):
    answer = clerk_client.post("/warranty/check/", check_form(serial="NO-SUCH-SERIAL"))

    assert answer.status_code == 200
    assert answer.context["decision"] is None
    assert answer.context["form"].errors["serial"] == [
        zh("No unit is registered with this serial number.")
    ]
    assert zh("No unit is registered with this serial number.") in answer.text


def test_a_report_before_the_purchase_is_shown_at_the_report_date(clerk_client):
    answer = clerk_client.post(
        "/warranty/check/",
        check_form(
            category="mobile_phone",
            purchase_date=str(days_ago(5)),
            report_date=str(days_ago(9)),
        ),
        **HTMX,
    )

    assert answer.status_code == 200
    assert answer.context["decision"] is None
    message = zh("The fault cannot be reported before the purchase date.")
    assert answer.context["form"].errors["report_date"] == [message]
    assert (
        f'<p class="field-error" id="error-report_date" role="alert" hx-swap-oob="true">{message}</p>'
        in answer.text
    )


def test_a_unit_no_policy_covers_is_said_at_the_category(clerk_client):
    unit = UnitFactory(model__category__code="drone", model__category__name="无人机")

    answer = clerk_client.get("/warranty/check/", {"serial": unit.serial})

    assert answer.status_code == 200
    assert answer.context["decision"] is None
    assert "category" in answer.context["form"].errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("repair_days", "-1"),
        ("failed_repairs", "two"),
        ("price", "-5"),
        ("purchase_date", "not-a-date"),
    ],
)
def test_bad_input_is_named_at_its_field_never_a_500(clerk_client, field, value):
    facts = check_form(category="mobile_phone", purchase_date=str(days_ago(5)))
    facts[field] = value

    answer = clerk_client.post("/warranty/check/", facts)

    assert answer.status_code == 200
    assert answer.context["decision"] is None
    assert field in answer.context["form"].errors


def test_incomplete_facts_ask_for_more_without_an_error(clerk_client):
    answer = clerk_client.post("/warranty/check/", check_form(category="mobile_phone"), **HTMX)

    assert answer.status_code == 200
    assert answer.context["decision"] is None
    assert not answer.context["form"].errors
    assert "decision-empty" in answer.text


def test_htmx_gets_only_the_decision_and_the_fields_it_changes(clerk_client):
    facts = check_form(
        category="mobile_phone", purchase_date=str(days_ago(5)), rendered_for="|mobile_phone|host"
    )

    answer = clerk_client.post("/warranty/check/", facts, **HTMX)

    assert answer.status_code == 200
    assert [t.name for t in answer.templates][0] == "warranty/partials/_check_answer.html"
    assert b"<html" not in answer.content
    assert 'class="verdict verdict-covered"' in answer.text
    # Nothing the clerk may be typing in comes back; only the (empty) error messages.
    assert "<input" not in answer.text.replace('<input type="hidden"', "")
    assert 'id="error-purchase_date" role="alert" hx-swap-oob="true"' in answer.text


def test_changing_the_part_redraws_its_faults_and_clears_the_hosts_price(clerk_client):
    facts = check_form(
        category="mobile_phone",
        part="charger",
        purchase_date=str(days_ago(5)),
        price="2999",
        rendered_for="|mobile_phone|host",
    )

    answer = clerk_client.post("/warranty/check/", facts, **HTMX)

    assert 'id="field-fault" hx-swap-oob="true"' in answer.text
    assert "使用规定的充电器不能充电或充电异常" in answer.text
    assert 'id="field-price" hx-swap-oob="true"' in answer.text
    assert answer.context["form"].cleaned_data["price"] is None
    assert 'id="field-purchase_date"' not in answer.text


def test_the_page_opens_empty_with_todays_report_date(clerk_client):
    answer = clerk_client.get("/warranty/check/")

    assert answer.status_code == 200
    assert answer.context["decision"] is None
    assert f'value="{timezone.localdate().isoformat()}"' in answer.text
    assert "autofocus" in answer.text  # the scanner can type straight away


# The unit page --------------------------------------------------------------------------------


def test_the_unit_page_says_today_s_entitlement_in_one_sentence(clerk_client):
    owner = CustomerFactory(name="张伟")
    unit = UnitFactory(customer=owner, purchase_date=days_ago(3), invoice_date=days_ago(3))
    dates = selectors.entitlement_today(unit)
    assert dates is not None

    answer = clerk_client.get(f"/warranty/units/{unit.serial}/")

    today = timezone.localdate()

    def short(day: date) -> str:
        return f"{day:%m-%d}" if day.year == today.year else day.isoformat()

    clauses = [
        zh("return until %(date)s") % {"date": short(dates.return_ends)},
        zh("exchange until %(date)s") % {"date": short(dates.exchange_ends)},
        zh("free repair until %(date)s") % {"date": short(dates.warranty_ends)},
    ]
    with translation.override("zh-hans"):
        separator = translation.pgettext("list separator", ", ")
    sentence = zh("From today: %(clauses)s") % {"clauses": separator.join(clauses)}
    assert answer.status_code == 200
    assert sentence in answer.text
    assert f'href="/customers/{owner.id}/"' in answer.text
    assert f'href="/warranty/check/?serial={unit.serial}"' in answer.text
    assert zh("No repair records yet.") in answer.text


def test_an_expired_unit_is_paid_repair_only(clerk_client):
    unit = UnitFactory(purchase_date=days_ago(800), invoice_date=days_ago(800))
    ends = selectors.entitlement_today(unit).warranty_ends

    answer = clerk_client.get(f"/warranty/units/{unit.serial}/")

    expected = zh("The 三包 period ended on %(date)s: paid repair only.") % {"date": ends}
    assert expected in answer.text


def test_a_unit_without_a_purchase_date_says_so(clerk_client):
    unit = UnitFactory(purchase_date=None, invoice_date=None)

    answer = clerk_client.get(f"/warranty/units/{unit.serial}/")

    assert answer.status_code == 200
    assert (
        zh("No purchase date is on file, so the 三包 entitlement cannot be worked out.")
        in answer.text
    )


def test_a_unit_of_an_uncovered_category_says_no_policy_covers_it(clerk_client):
    unit = UnitFactory(model__category__code="drone", model__category__name="无人机")

    answer = clerk_client.get(f"/warranty/units/{unit.serial}/")

    assert zh("No 三包 policy covers this product category.") in answer.text


def test_an_unknown_unit_is_a_404(clerk_client):
    assert clerk_client.get("/warranty/units/NO-SUCH/").status_code == 404


def test_the_customer_page_and_the_search_lead_to_the_unit_page(clerk_client, phone):
    customer_page = clerk_client.get(f"/customers/{phone.customer.id}/")
    search = clerk_client.get("/search/", {"q": phone.serial[:10]}, **HTMX)

    assert f'href="/warranty/units/{phone.serial}/"' in customer_page.text
    assert f'href="/warranty/units/{phone.serial}/"' in search.text


# Who may see them -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/warranty/check/", "/warranty/units/860000001234567/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, phone, path):
    answer = client.get(path)

    assert answer.status_code == 302
    assert answer["Location"].startswith("/login/?next=")


def test_an_anonymous_live_check_sends_the_whole_browser_to_log_in(client, db):
    answer = client.post("/warranty/check/", check_form(category="mobile_phone"), **HTMX)

    assert answer["HX-Redirect"] == "/login/?next=/warranty/check/"


def test_a_user_without_a_role_may_not_check(client, phone):
    client.force_login(make_plain_user())

    assert client.get("/warranty/check/").status_code == 403
    assert client.get(f"/warranty/units/{phone.serial}/").status_code == 403


@pytest.mark.parametrize(
    "role", ["hotline", "front_desk", "tech_center", "branch_manager", "admin"]
)
def test_the_desks_that_answer_customers_find_the_check_in_the_navigation(client, db, role):
    client.force_login(make_staff(f"{role}-user", role))

    answer = client.get("/")

    assert 'href="/warranty/check/"' in answer.text


def test_a_technician_has_no_menu_item_but_may_check_and_read_units(client, phone):
    # On site a technician is asked "is this covered?": the page answers, though it is no
    # desk of theirs to keep in the menu.
    client.force_login(make_staff("zhaolei", "technician"))

    home = client.get("/")
    check = client.get("/warranty/check/", {"serial": phone.serial})
    unit_page = client.get(f"/warranty/units/{phone.serial}/")

    assert 'href="/warranty/check/"' not in home.text
    assert check.status_code == 200
    assert check.context["decision"].remedies == ("refund", "exchange", "free_repair")
    assert unit_page.status_code == 200
