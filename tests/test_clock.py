"""The suite's clock: TEST_NOW moves a whole run, a bad value stops it before any test, and a test
that names its moment lives at it."""

from datetime import datetime

import pytest
from django.utils import timezone

from tests.clock import suite_moment


def test_test_now_names_the_moment_with_its_offset(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TEST_NOW", "2027-02-08T09:30:00+08:00")
    assert suite_moment() == datetime.fromisoformat("2027-02-08T09:30:00+08:00")
    monkeypatch.delenv("TEST_NOW")
    assert suite_moment() is None


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("next tuesday", "not an ISO datetime"),
        ("2027-02-08T09:30:00", "needs its offset"),
        ("2031-01-01T00:00:00+08:00", "outside 2025-01-01..2030-12-31"),
    ],
)
def test_a_moment_the_suite_cannot_live_at_stops_the_run_saying_why(monkeypatch, value, says):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TEST_NOW", value)
    with pytest.raises(pytest.UsageError, match=says):
        suite_moment()


@pytest.mark.clock("2027-02-08T09:30:00+08:00")
def test_a_test_that_names_its_moment_lives_at_it_with_the_clock_standing_still():
    assert timezone.localtime().isoformat() == "2027-02-08T09:30:00+08:00"
    assert timezone.now() == timezone.now()
