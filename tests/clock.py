"""The suite's clock.

`TEST_NOW` (an ISO datetime with its offset) moves it for a whole run: every test that does not
say otherwise must pass at any moment from 2025 to 2030. A story that happens on a particular
day — a date written into its data, a weekend or a holiday it is about, a "tomorrow" that must be
a working day — says so with `@pytest.mark.clock("2026-11-20T16:00:00+08:00")`: for that test the
clock reads that moment and stands still (set before any fixture makes data or a token).
"""

import os
from datetime import datetime

import pytest

EARLIEST, LATEST = (
    datetime.fromisoformat("2025-01-01T00:00:00+08:00"),
    datetime.fromisoformat("2030-12-31T23:59:59+08:00"),
)


# A Wednesday morning weeks away from any public holiday or adjusted working day: for stories
# about "today" that a holiday nearby or the hour would change (the 7/15-day windows roll past
# holidays; a visit booked for tomorrow needs tomorrow to be a working day).
PLAIN_DAY = "2026-11-18T10:00:00+08:00"


def suite_moment() -> datetime | None:
    """The moment `TEST_NOW` names, or None for the real clock; a value the suite cannot live at
    stops the run before any test, saying why."""
    text = os.environ.get("TEST_NOW", "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(
            f"TEST_NOW={text!r} is not an ISO datetime (e.g. 2027-02-08T09:30:00+08:00)"
        ) from None
    if moment.tzinfo is None:
        raise pytest.UsageError(f"TEST_NOW={text!r} needs its offset (e.g. +08:00)")
    if not EARLIEST <= moment <= LATEST:
        raise pytest.UsageError(
            f"TEST_NOW={text!r} is outside {EARLIEST.date()}..{LATEST.date()}, "
            "the years the suite is kept true for"
        )
    return moment
