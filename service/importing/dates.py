"""Dates and times as minutes write them.

Dates: "Thursday 5th December, 2019", "12 September, 2019", "the 8th of
December 2022", "15thMay 2019", "18May" (the space lost), "December 5,
2019", "14/07/2020" (day first), "2020-07-14".
A date without a year ("Thursday 12 March") is read only when a reference date
is given: it is the first such day on or after that date.  Times: "10.00 am",
"10am", "2.30 pm", "14:00", "noon"/"midday".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
} | {"sept": 9}
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?"
)
WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?(?![a-z])\.?"
_ORD = r"(?!\d)(?:st|nd|rd|th)?"
DATE = re.compile(
    rf"(?:\b{WEEKDAY},?\s+)?(?:the\s+)?"
    rf"(?:\b(?P<d>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?\s*(?:(?<=\s)of\s+)?(?P<m>{MONTH})"
    rf"(?:,?\s+(?P<y>\d{{4}})\b)?"
    rf"|\b(?P<m2>{MONTH})\s+(?P<d2>\d{{1,2}}){_ORD}(?:,?\s+(?P<y2>\d{{4}})\b)?"
    r"|\b(?P<d3>\d{1,2})(?P<sep>[/.])(?P<m3>\d{1,2})(?P=sep)(?P<y3>\d{4}\b|(?<=/)\d{2}\b)"
    r"|\b(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})\b)",
    re.IGNORECASE,
)
MONTH_YEAR = re.compile(rf"\b(?P<m>{MONTH}),?\s+(?P<y>\d{{4}})\b", re.IGNORECASE)
TIME = re.compile(
    r"\b(?P<h>\d{1,2})(?:[.:](?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?\s*m\b\.?"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b"
    r"|\b(?P<h3>[01]?\d|2[0-3])[.:]?(?P<m3>[0-5]\d)\s*(?:hours|hrs)\b"
    r"|\b(?P<noon>noon|midday)\b",
    re.IGNORECASE,
)


#: "5.3.24" (day, month, two-digit year, with dots): read only on a meeting line or
#: a "Date:" label, where it cannot be a paragraph number.
SHORT_DOTTED = re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{2})(?![\d.]|\.\d)")


def short_dotted(text: str) -> tuple[re.Match[str], dt.date] | None:
    """The first "5.3.24" date in ``text`` (years 2000–2099)."""
    for m in SHORT_DOTTED.finditer(text):
        found = _build(2000 + int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if found is not None:
            return m, found
    return None


def month_number(name: str) -> int | None:
    return _MONTHS.get(name.lower().rstrip("."))


def _build(year: int, month: int | None, day: int) -> dt.date | None:
    if month is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date(m: re.Match[str], after: dt.date | None) -> dt.date | None:
    g = m.groupdict()
    if g["y4"]:
        return _build(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    if g["d3"]:
        century = 2000 if len(g["y3"]) == 2 else 0
        return _build(int(g["y3"]) + century, int(g["m3"]), int(g["d3"]))
    day, month, year = (g["d"], g["m"], g["y"]) if g["d"] else (g["d2"], g["m2"], g["y2"])
    number = month_number(month)
    if year:
        return _build(int(year), number, int(day))
    if after is None or not month[0].isupper():
        return None
    found = _build(after.year, number, int(day))
    if found is not None and found < after:
        found = _build(after.year + 1, number, int(day))
    return found


def iter_dates(text: str, after: dt.date | None = None) -> Iterator[tuple[re.Match[str], dt.date]]:
    """Every date in ``text`` with its match; year-less ones only when ``after`` is given."""
    for m in DATE.finditer(text):
        found = _date(m, after)
        if found is not None:
            yield m, found


def first_date(text: str, after: dt.date | None = None) -> dt.date | None:
    return next((d for _, d in iter_dates(text, after)), None)


def time_of(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g["noon"]:
        return "12:00"
    if g["h24"]:
        hour, minute = int(g["h24"]), int(g["m24"])
    elif g["h3"]:
        hour, minute = int(g["h3"]), int(g["m3"])
    else:
        hour, minute = int(g["h"]), int(g["mi"] or 0)
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if g["ap"].lower() == "p" else 0)
    return f"{hour:02d}:{minute:02d}"


def first_time(text: str) -> str | None:
    for m in TIME.finditer(text):
        found = time_of(m)
        if found is not None:
            return found
    return None


def month_of(text: str, after: dt.date | None = None) -> str | None:
    """ISO month ("2022-09") of "September 2022", or of "September" after ``after``."""
    m = MONTH_YEAR.search(text)
    if m:
        return f"{int(m.group('y')):04d}-{month_number(m.group('m')):02d}"
    bare = re.search(rf"\b({MONTH})", text, re.IGNORECASE)
    if bare and after is not None:
        month = month_number(bare.group(1)) or 1
        year = after.year + (1 if month <= after.month else 0)
        return f"{year:04d}-{month:02d}"
    return None
