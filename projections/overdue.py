"""When an open action is overdue, and why — worked out on the day it is read.

An action that is neither completed nor withdrawn is overdue when

* its due date is before today; or
* it is due at a meeting, and that meeting has been held — a meeting of the
  body on or after the due meeting's date has minuted items — or the due
  meeting's date is before today.  The due meeting is the one named (at its
  current date, if moved), a date or a month as written ("2022-09-08",
  "2022-09": the first meeting in or after that month), or "next meeting"
  (the first meeting held after the one that raised it).

"future meetings" and other wording never make an action overdue.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence

from projections.actions import ActionRecord, MeetingFacts

CLOSED = ("completed", "withdrawn")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def due_meeting_date(
    record: ActionRecord, meetings: Mapping[uuid.UUID, MeetingFacts]
) -> dt.date | None:
    """The due meeting's date now (it may have been moved), if the action is due at one."""
    due = record.due
    if due.meeting_id is not None and due.meeting_id in meetings:
        return meetings[due.meeting_id].date
    if due.meeting_date is not None:
        return due.meeting_date
    text = (due.text or "").strip()
    return dt.date.fromisoformat(text) if _DATE.match(text) else None


def overdue_reason(
    record: ActionRecord, meetings: Sequence[MeetingFacts], today: dt.date
) -> str | None:
    """Why the action is overdue on ``today``; None if it is not. ``meetings``: its body's."""
    if record.status in CLOSED:
        return None
    due = record.due
    if due.date is not None and due.date < today:
        return f"due by {due.date.isoformat()}"
    held = sorted((m for m in meetings if m.held and not m.cancelled), key=lambda m: m.date)
    meeting_date = due_meeting_date(record, {m.id: m for m in meetings})
    if meeting_date is not None:
        return _meeting_passed(
            f"the meeting of {meeting_date.isoformat()}", meeting_date, held, today
        )
    text = (due.text or "").strip().casefold()
    month = _MONTH.match(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        first = dt.date(year, number, 1)
        last = dt.date(year, number, calendar.monthrange(year, number)[1])
        name = f"the {first.strftime('%B %Y')} meeting"
        reason = _meeting_passed(name, first, held, today)
        if reason is None and last < today:
            return f"due at {name}, and that month has passed"
        return reason
    if text == "next meeting":
        after = [m for m in held if m.date > record.origin.meeting_date]
        if after:
            return f"due at the next meeting, held on {after[0].date.isoformat()}"
    return None


def _meeting_passed(
    name: str, date: dt.date, held: Sequence[MeetingFacts], today: dt.date
) -> str | None:
    later = [m for m in held if m.date >= date]
    if later:
        return f"due at {name}, held on {later[0].date.isoformat()}"
    if name.startswith("the meeting of") and date < today:
        return f"due at {name}, which has passed"
    return None
