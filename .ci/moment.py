"""The moment CI's third run lives at (TEST_NOW): a different one every day, derived from the date.

Over a week it visits seven kinds of day — the first and the last day of a month, the day before
a public holiday, a holiday, the first working day after one, a weekend day worked (调休) and an
ordinary weekend day — and over eight days eight times of day, late evenings and just past
midnight among them; the year walks from 2025 to 2030 and the month or the holiday with it.
The same date always gives the same moment, so a failure can be replayed:

    .venv/bin/python .ci/moment.py [YYYY-MM-DD]   # prints the ISO moment for that date (default today)
"""

import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEARS = range(2025, 2031)
TIMES = [time(0, 5), time(8, 59), time(9, 30), time(12, 30), time(17, 59), time(18, 1),
         time(21, 30), time(23, 55)]  # fmt: skip
KINDS = 7


def moment_for(today: date) -> datetime:
    n = today.toordinal()
    turn = n // KINDS  # one turn of the seven kinds a week
    year = YEARS[turn % len(YEARS)]
    china = holidays.China(years=year)
    days_off = sorted(china)
    worked_weekends = sorted(d for d in china.weekend_workdays if d.year == year)
    month = turn % 12 + 1
    kind = n % KINDS
    if kind == 0:  # the first day of a month
        day = date(year, month, 1)
    elif kind == 1:  # the last day of a month
        day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    elif kind in (2, 3, 4):  # a public holiday, or the working day just before or after it
        off = days_off[turn % len(days_off)]
        step = {2: -1, 3: 0, 4: 1}[kind]
        day = off + timedelta(days=step)
        while step and (day in china or (day.weekday() >= 5 and day not in worked_weekends)):
            day += timedelta(days=step)
    elif kind == 5 and worked_weekends:  # a Saturday or Sunday worked (调休上班)
        day = worked_weekends[turn % len(worked_weekends)]
    else:  # an ordinary weekend day
        day = date(year, month, 15)
        while day.weekday() < 5 or day in china:
            day += timedelta(days=1)
    day = min(max(day, date(2025, 1, 1)), date(2030, 12, 31))
    return datetime.combine(day, TIMES[n % len(TIMES)], tzinfo=SHANGHAI)


if __name__ == "__main__":
    today = date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else date.today()
    print(moment_for(today).isoformat())
