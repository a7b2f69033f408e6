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

Only the first held meeting on or after one date is ever needed, so a reader
answers that with one index seek (:func:`reason`) instead of loading the
body's meetings; :func:`overdue_reason` answers it from a list of meetings.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import uuid
from collections.abc import Callable, Mapping, Sequence

from projections.actions import ActionRecord, MeetingFacts

CLOSED = ("completed", "withdrawn")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")

#: ``first_held(date, strictly_after)``: the date of the body's first meeting held (it has
#: minuted items and is not cancelled) on or after ``date`` (after it, if strictly_after).
FirstHeld = Callable[[dt.date, bool], "dt.date | None"]


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
    held = sorted(m.date for m in meetings if m.held and not m.cancelled)

    def first_held(date: dt.date, strictly_after: bool) -> dt.date | None:
        at = (bisect.bisect_right if strictly_after else bisect.bisect_left)(held, date)
        return held[at] if at < len(held) else None

    by_id = {m.id: m for m in meetings}
    return reason(record, lambda: due_meeting_date(record, by_id), first_held, today)


def reason(
    record: ActionRecord,
    meeting_date: Callable[[], dt.date | None],
    first_held: FirstHeld,
    today: dt.date,
) -> str | None:
    """Why the action is overdue on ``today``; None if it is not.

    ``meeting_date()`` is :func:`due_meeting_date` of the record; ``first_held`` answers
    for the action's body.  Neither is asked unless the answer depends on it.
    """
    if record.status in CLOSED:
        return None
    due = record.due
    if due.date is not None and due.date < today:
        return f"due by {due.date.isoformat()}"
    due_at = meeting_date()
    if due_at is not None:
        return _meeting_passed(f"the meeting of {due_at.isoformat()}", due_at, first_held, today)
    text = (due.text or "").strip().casefold()
    month = _MONTH.match(text)
    if month:
        year, number = int(month.group(1)), int(month.group(2))
        first = dt.date(year, number, 1)
        last = dt.date(year, number, calendar.monthrange(year, number)[1])
        name = f"the {first.strftime('%B %Y')} meeting"
        found = _meeting_passed(name, first, first_held, today)
        if found is None and last < today:
            return f"due at {name}, and that month has passed"
        return found
    if text == "next meeting":
        after = first_held(record.origin.meeting_date, True)
        if after is not None:
            return f"due at the next meeting, held on {after.isoformat()}"
    return None


def _meeting_passed(name: str, date: dt.date, first_held: FirstHeld, today: dt.date) -> str | None:
    later = first_held(date, False)
    if later is not None:
        return f"due at {name}, held on {later.isoformat()}"
    if name.startswith("the meeting of") and date < today:
        return f"due at {name}, which has passed"
    return None
