"""What every report page does alike — the dashboard, the technicians' scorecards, the centers
compared and the list behind a figure: a login first, and a period it cannot report on refused on
the field that is wrong, in words, with no figure shown."""

import re

import pytest

from tests.reports.conftest import NOW
from tests.visible import visible_text

pytestmark = pytest.mark.clock(NOW)

PAGES = ["/reports/", "/reports/technicians/", "/reports/centers/", "/reports/figures/csat_avg/"]


def refused(client, user, url, **params) -> str:  # type: ignore[no-untyped-def]
    client.force_login(user)
    answer = client.get(url, params)
    assert answer.status_code == 422
    return answer.content.decode()


def field_of(html: str, name: str) -> str:
    found = re.search(rf'<input type="date" name="{name}".*?</div>', html, re.S)
    assert found is not None
    return visible_text(found[0])


@pytest.mark.parametrize("url", PAGES)
def test_without_signing_in_it_is_the_login_page(client, db, url):
    answer = client.get(url)

    assert answer.status_code == 302
    assert answer["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_a_period_ending_before_it_starts_is_refused_on_to(client, december, url):
    html = refused(client, december.admin, url, **{"from": "2026-12-10", "to": "2026-12-09"})

    assert "期间的结束日期早于开始日期。" in field_of(html, "to")
    assert not re.search(r"data-(kpi|chart|technician|figure)=", html)


@pytest.mark.parametrize("url", PAGES)
def test_a_period_over_a_year_is_refused_on_to(client, december, url):
    html = refused(client, december.admin, url, **{"from": "2025-12-01", "to": "2026-12-02"})

    assert "报表最多涵盖 366 天：请选择更短的期间。" in field_of(html, "to")


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("day", ["2026-13-01", "1989-12-31"])
def test_a_date_that_is_none_or_out_of_bounds_is_refused_on_from(client, december, url, day):
    html = refused(client, december.admin, url, **{"from": day})

    assert field_of(html, "from")  # its refusal under it
    assert html.count('class="error field-error"') == 1
