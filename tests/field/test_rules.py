"""The customer's wished time, as the desk wrote it down, read into the window a visit is offered
in first (`field.rules.wished_window`): relative to when the customer said it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from aftersales.field.rules import wished_window

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Said on Wednesday 18 November 2026 at 10:00.
SAID = datetime(2026, 11, 18, 10, tzinfo=SHANGHAI)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("words", "start", "end"),
    [
        ("明天上午", at(19, 8), at(19, 12)),
        ("明天下午", at(19, 13), at(19, 18)),
        ("今天晚上", at(18, 18), at(18, 21)),
        ("后天", at(20, 8), at(20, 20)),
        ("大后天上午", at(21, 8), at(21, 12)),
        ("11月25日下午", at(25, 13), at(25, 18)),
        ("2026-11-26 上午", at(26, 8), at(26, 12)),
        ("11/27", at(27, 8), at(27, 20)),
        ("25号上午", at(25, 8), at(25, 12)),
        ("周六上午", at(21, 8), at(21, 12)),
        ("星期一", at(23, 8), at(23, 20)),
        ("下周三下午", at(25, 13), at(25, 18)),
        ("明天下午3点", at(19, 15), at(19, 17)),
        ("明天下午3点以后", at(19, 15), at(19, 21)),
        ("明天 10:30", at(19, 10, 30), at(19, 12, 30)),
        ("下午", at(18, 13), at(18, 18)),  # a part alone: today's, still ahead
        ("上午", at(18, 8), at(18, 12)),  # …today's morning is not over at 10:00
        ("晚上都在家", at(18, 18), at(18, 21)),
    ],
)
def test_the_common_ways_to_say_when_are_read_as_their_window(words, start, end):
    wish = wished_window(words, SAID)

    assert wish is not None, words
    assert (wish.start, wish.end) == (start, end)


def test_a_part_of_the_day_already_over_means_tomorrows():
    evening = datetime(2026, 11, 18, 19, tzinfo=SHANGHAI)

    wish = wished_window("下午", evening)

    assert wish is not None and (wish.start, wish.end) == (at(19, 13), at(19, 18))


def test_a_date_early_in_the_year_said_in_december_is_next_years():
    wish = wished_window("1月5日", datetime(2026, 12, 20, 10, tzinfo=SHANGHAI))

    assert wish is not None and wish.start == datetime(2027, 1, 5, 8, tzinfo=SHANGHAI)


@pytest.mark.parametrize("words", ["", "尽快", "随时都可以", "请先电话联系", "2月30日"])
def test_words_that_name_no_time_give_no_window(words):
    assert wished_window(words, SAID) is None


def test_a_visit_is_in_the_window_when_it_starts_inside_it():
    wish = wished_window("明天上午", SAID)

    assert wish is not None
    assert wish.holds(at(19, 9)) and wish.holds(at(19, 11, 30))
    assert not wish.holds(at(18, 14)) and not wish.holds(at(19, 12))
