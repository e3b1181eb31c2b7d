"""Phone numbers in any spelling become one E.164 form."""

import pytest

from aftersales.customers.rules import mask_phone, normalize_phone, phone_search_digits


@pytest.mark.parametrize(
    "spelling",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+86-13800138000",
        "008613800138000",
        "8613800138000",
        "(+86) 138.0013.8000",
        " 13800138000 ",
    ],
)
def test_mobile_spellings_normalise_to_e164(spelling):
    assert normalize_phone(spelling) == "+8613800138000"


def test_landlines_keep_their_area_code():
    assert normalize_phone("010-6512 3456") == "+861065123456"
    assert normalize_phone("(020) 8888-6666") == "+862088886666"


def test_foreign_numbers_with_their_prefix_are_kept():
    assert normalize_phone("+852 9123 4567") == "+85291234567"


@pytest.mark.parametrize("junk", ["", "   ", "12345", "abc", "138001380001234", "+86"])
def test_what_is_not_a_number_is_refused(junk):
    with pytest.raises(ValueError):
        normalize_phone(junk)


def test_masked_for_the_portal():
    assert mask_phone("+8613812341234") == "138****1234"


def test_search_digits_from_partial_input():
    assert phone_search_digits("138 0013") == "1380013"
    assert phone_search_digits("+86 138 0013 8000") == "13800138000"
    assert phone_search_digits("8613800138000") == "13800138000"
    assert phone_search_digits("张伟") is None
    assert phone_search_digits("138") is None
