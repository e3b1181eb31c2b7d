"""Pure rules of field service: the customer's wished time for a visit, as the desk wrote it down
("明天上午", "11月20日下午", "周六", "后天下午3点"), read into a window to offer slots in first."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

# Parts of the day as a Chinese service desk means them (start, end).
DAY_PARTS: dict[str, tuple[time, time]] = {
    "morning": (time(8), time(12)),
    "noon": (time(11), time(14)),
    "afternoon": (time(13), time(18)),
    "evening": (time(18), time(21)),
    "day": (time(8), time(20)),
}
_PART_WORDS = (
    ("morning", ("上午", "早上", "早晨", "清早", "上半天")),
    ("noon", ("中午",)),
    ("afternoon", ("下午", "下半天", "午后")),
    ("evening", ("晚上", "傍晚", "晚间", "夜里")),
    ("day", ("全天", "一整天", "白天")),
)
_RELATIVE_DAYS = (("大后天", 3), ("后天", 2), ("明天", 1), ("明日", 1), ("今天", 0), ("今日", 0))
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_WEEKDAY = re.compile(r"(下下|下个?|这个?|本)?(?:周|星期|礼拜)([一二三四五六日天末])")
_ISO_DATE = re.compile(r"(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})[日号]?")
_DAY_OF_MONTH = re.compile(r"(\d{1,2})[日号]")
_HOUR = re.compile(r"(\d{1,2})(?:[:：](\d{2})|点半?|时)")
_AFTER = ("以后", "之后", "后")


@dataclass(frozen=True)
class Wish:
    """The customer's wished time: a window, and the words it was read from."""

    start: datetime
    end: datetime
    text: str

    def holds(self, moment: datetime) -> bool:
        """Whether a visit starting at `moment` is in the wished window."""
        return self.start <= moment < self.end


def _day_of(text: str, said_on: date) -> date | None:
    for word, offset in _RELATIVE_DAYS:
        if word in text:
            return said_on + timedelta(days=offset)
    found = _ISO_DATE.search(text)
    if found:
        year, month, day = found.groups()
        try:
            wished = date(int(year) if year else said_on.year, int(month), int(day))
        except ValueError:
            return None
        if not year and wished < said_on - timedelta(days=31):  # 1月5日 said in December
            wished = date(wished.year + 1, wished.month, wished.day)
        return wished
    weekday = _WEEKDAY.search(text)
    if weekday:
        which, name = weekday.groups()
        this_monday = said_on - timedelta(days=said_on.weekday())
        weeks = 2 if which == "下下" else 1 if which and which.startswith("下") else 0
        wished = this_monday + timedelta(weeks=weeks, days=_WEEKDAYS[name])
        if not which and wished < said_on:  # "周一" said on a Wednesday: the coming Monday
            wished += timedelta(weeks=1)
        return wished
    found = _DAY_OF_MONTH.search(text)
    if found:
        try:
            wished = said_on.replace(day=int(found.group(1)))
        except ValueError:
            return None
        if wished < said_on:  # "20号" said on the 25th: next month's
            month = wished.month % 12 + 1
            wished = wished.replace(year=wished.year + (month == 1), month=month)
        return wished
    return None


def _part_of(text: str) -> str:
    for part, words in _PART_WORDS:
        if any(w in text for w in words):
            return part
    return ""


def _hours_of(text: str, part: str) -> tuple[time, time] | None:
    """ "3点" / "15:00" / "下午3点以后": a two-hour window from then, or to the evening's end."""
    found = _HOUR.search(_ISO_DATE.sub("", text))
    if not found:
        return None
    hour = int(found.group(1))
    minute = int(found.group(2) or (30 if "点半" in found.group(0) else 0))
    if part in ("afternoon", "evening") and hour < 12:
        hour += 12
    if not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    start = time(hour, minute)
    tail = text[found.end() : found.end() + 2]
    if any(tail.startswith(w) for w in _AFTER):
        return start, DAY_PARTS["evening"][1]
    end_hour = min(hour + 2, 23)
    return start, time(end_hour, minute if end_hour == hour + 2 else 59)


def wished_window(text: str, said_at: datetime) -> Wish | None:
    """The window a wish written at `said_at` means, in `said_at`'s time zone: a day (今天 / 明天
    / 后天 / 大后天, a date such as 11月20日 or 2026-11-20, 20号, a weekday such as 周六 or 下周三)
    and a part of it (上午, 中午, 下午, 晚上, 全天) or an hour (3点, 15:00, 下午3点以后). A day alone
    is its working day (8:00–20:00); a part or an hour alone is today's, or tomorrow's when
    today's has passed. None when the words name no time ("尽快", "随时都可以")."""
    text = "".join((text or "").split())
    if not text:
        return None
    tz = said_at.tzinfo
    said_on = said_at.date()
    day = _day_of(text, said_on)
    part = _part_of(text)
    hours = _hours_of(text, part)
    if day is None and not part and hours is None:
        return None
    begins, ends = hours or DAY_PARTS[part or "day"]
    if day is None:
        day = said_on
        if datetime.combine(day, ends, tzinfo=tz) <= said_at:
            day += timedelta(days=1)
    start = datetime.combine(day, begins, tzinfo=tz)
    end = datetime.combine(day, ends, tzinfo=tz)
    return Wish(start=start, end=end, text=text) if end > start else None
