"""When an action is due: a date ("by 31 March 2023") or a meeting ("the next meeting").

* ``due_date``: "by / before / no later than DATE" → that date; "by the end of
  March 2023" → the month's last day.  A date without a year is the next one
  after the meeting.
* ``due_meeting``: "the September 2022 meeting" → "2022-09" (a month without
  a year is the next one after the meeting); "the meeting on 8 December 2022" or
  "the 8 December 2022 meeting" → "2022-12-08"; else "next meeting" or
  "future meetings" when the clause says so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from service.importing.dates import MONTH, MONTH_YEAR, iter_dates, month_number, month_of


def due_date(clause: str, after: dt.date | None) -> dt.date | None:
    for by in re.finditer(r"\b(?:by|before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?", clause):
        rest = clause[by.end() :]
        found = next(iter_dates(rest, after), None)
        if found and found[0].start() == 0:
            return found[1]
        m = MONTH_YEAR.match(rest)
        if m:
            year, month = int(m.group("y")), month_number(m.group("m")) or 12
            return dt.date(year, month, calendar.monthrange(year, month)[1])
    return None


def due_meeting(clause: str, after: dt.date | None) -> str | None:
    m = re.search(rf"\bthe\s+({MONTH}(?:,?\s+\d{{4}})?)\s+meeting", clause, re.IGNORECASE)
    if m:
        return month_of(m.group(1), after)
    for m in re.finditer(r"\bmeeting\s+(?:to\s+be\s+)?(?:held\s+)?on\s+|\bthe\s+", clause):
        found = next(iter_dates(clause[m.end() :], after), None)
        if found and found[0].start() == 0:
            tail = clause[m.end() + found[0].end() :]
            if "meeting" in clause[m.start() : m.end()] or tail.lstrip().startswith("meeting"):
                return found[1].isoformat()
    if re.search(r"\bnext\s+meeting\b", clause, re.IGNORECASE):
        return "next meeting"
    if re.search(r"\b(?:future|subsequent|later)\s+meetings?\b", clause, re.IGNORECASE):
        return "future meetings"
    return None
