"""The bounds of every input, at their edges: each type of core.payloads takes its range and
refuses what is beyond with its own words; the same check serves a service (`read_value`) and a
form (`Within`); a text is Unicode and fits its column."""

import base64
import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from aftersales.core.api import JsonParser, NotUnicode
from aftersales.core.columns import check_text_fits
from aftersales.core.errors import InvalidInput
from aftersales.core.models import Event
from aftersales.core.pagination import keyset_page
from aftersales.core.payloads import (
    Count,
    Day,
    Days,
    Moment,
    Money,
    Tally,
    Within,
    read_value,
)
from aftersales.customers.models import Customer
from aftersales.dispatch.models import Leave
from aftersales.workorders.models import Part
from tests.factories import ProductModelFactory, make_staff

EDGES = [
    (Money, ["0", "0.00", "99999999.99", 120, Decimal("1.5")], ["100000000", "-0.01", "1e30", 1e30, "NaN", "Infinity", "1.001", "", True]),
    (Count, [1, 9999], [0, 10000, 10**18, -1, True, "5", 2.0]),
    (Tally, [0, 9999], [-1, 10000, 10**18, True]),
    (Days, [0, 36500], [-1, 36501, 10**18, True, "30"]),
    (Day, ["1990-01-01", "2099-12-31", date(2026, 11, 30)], ["1989-12-31", "2100-01-01", "0001-01-01", "9999-12-31", "2026-13-01", "tomorrow"]),
    (Moment, ["1990-01-01T00:00:00+14:00", "2099-12-31T23:59:59-12:00", "2026-11-24T09:00"], ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59", "1989-12-31T23:59:59Z", "11/24/2026 9:00"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "taken", "refused"), EDGES, ids=["money", "count", "tally", "days", "day", "moment"]
)
def test_each_type_takes_its_range_and_refuses_beyond_it(kind, taken, refused):
    reader = TypeAdapter(kind)

    for value in taken:
        reader.validate_python(value)
    for value in refused:
        with pytest.raises(PydanticError):
            reader.validate_python(value)


def test_a_service_and_a_form_refuse_with_the_same_words(settings):
    settings.LANGUAGE_CODE = "en"

    with pytest.raises(InvalidInput) as by_service:
        read_value(Money, "fees", "1e30")
    with pytest.raises(ValidationError) as by_form:
        Within("Money")(Decimal("1e30"))

    words = by_service.value.details["fees"]
    assert words == ["Give an amount from 0.00 to 99,999,999.99."] == by_form.value.messages
    assert read_value(Money, "fees", "12.5") == Decimal("12.50")
    Within("Days")(None)  # an empty optional field is the form's business


def test_a_moment_near_the_ends_of_time_never_reaches_zone_arithmetic():
    # Year 1 at +08:00 is year 0 in UTC; year 9999 in the server's zone overflows when stored.
    for written in ("0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59"):
        with pytest.raises(InvalidInput) as refused:
            read_value(Moment, "due_before", written)
        assert "due_before" in refused.value.details
    assert read_value(Moment, "at", datetime(2099, 12, 31, 23, 59)).tzinfo is not None


def test_a_json_body_with_a_lone_surrogate_is_refused_naming_where_it_is():
    parser = JsonParser()

    def where(raw: bytes) -> str:
        request = RequestFactory().post("/", raw, content_type="application/json")
        with pytest.raises(NotUnicode) as refused:
            parser.parse_body(request)
        return refused.value.field

    assert where(b'{"name": "\\ud800"}') == "name"
    assert (
        where(b'{"lines": [{"code": "A"}, {"description": "x\\udfff"}]}') == "lines.1.description"
    )
    assert where(b'{"customer": {"\\ud800": 1}}') == "customer"  # a key: where it sits
    assert where(b'"\\ud800"') == "body"
    assert parser.parse_body(
        RequestFactory().post("/", '{"name": "张伟 😀"}'.encode(), content_type="application/json")
    ) == {"name": "张伟 😀"}


def test_a_text_longer_than_its_column_is_refused_before_it_is_saved(db):
    with pytest.raises(InvalidInput) as refused:
        Customer.objects.create(name="张" * 101, phone="+8613800138000")
    assert list(refused.value.details) == ["name"]
    assert not Customer.objects.exists()

    unsaved = Customer(name="x", phone="+8613800138000", address="路" * 201)
    with pytest.raises(InvalidInput) as named:
        check_text_fits(unsaved, prefix="customer.")
    assert list(named.value.details) == ["customer.address"]
    check_text_fits(unsaved, ["name"])  # only the fields saved are checked


def test_a_cursor_holding_a_lone_surrogate_is_not_a_cursor(db):
    cursor = base64.urlsafe_b64encode(json.dumps(["\ud800", 1]).encode()).decode().rstrip("=")

    with pytest.raises(InvalidInput) as refused:
        keyset_page(Event.objects.all(), limit=1, cursor=cursor, order="action")

    assert "cursor" in refused.value.details


def test_master_data_typed_in_the_admin_is_held_to_the_same_bounds(db):
    # The admin's forms run the models' validators: a part's or a fee's price, a leave's days.
    part = Part(model=ProductModelFactory(), code="LCD-1", name="屏幕", price=Decimal("-1.00"))
    leave = Leave(technician=make_staff("li", "technician"), first_day=date(1, 1, 1))
    leave.last_day = date(9999, 12, 31)

    with pytest.raises(ValidationError) as bad_price:
        part.full_clean()
    with pytest.raises(ValidationError) as bad_days:
        leave.full_clean()

    assert list(bad_price.value.message_dict) == ["price"]
    assert set(bad_days.value.message_dict) == {"first_day", "last_day"}
