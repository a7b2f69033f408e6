"""Read model: each body's meetings — dates, venues, minutes status, items, attendance.

Rows::

    body / alias                 as in every view (with renames, for the history)
    meeting  key=meeting id      MeetingRecord; grp=body id, sort=meeting date
    tally    key=body id         BodyTally: the body's meetings held, first and last date
    held     key=body id         HeldDates: the dates of its meetings held, in order (for
                                 the tally when a meeting is cancelled or moved)

Standing items and the attendance register are derived from these rows when
read (:mod:`projections.history_read`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import uuid
from typing import Any

import msgspec

from domain.meeting import Meeting
from domain.values import Attendance, MinuteItem, MinutesStatus
from projections.base import DocumentProjection, handles
from projections.bodies import FollowsBodies
from projections.changes import Changes, id_str, iso_date
from projections.view import PostgresDocumentView, SQLiteDocumentView

_STANDING = re.compile(
    r"\bremains?\s+on\s+(?:the|all\s+future|future)\s+agendas?\b|\bstanding\s+(?:agenda\s+)?item\b",
    re.IGNORECASE,
)


class ItemBrief(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    title: str
    exempt: bool = False
    #: Resolved (or noted) to stay on the agenda of future meetings.
    standing: bool = False


class MeetingRecord(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    body_id: uuid.UUID
    date: dt.date
    time: str | None = None
    venue: str | None = None
    remote: bool = False
    status: MinutesStatus = "draft"
    cancelled: bool = False
    former_dates: list[dt.date] = []
    confirmed_at: dt.date | None = None
    confirmed_minute: str | None = None
    items: list[ItemBrief] = []
    attendance: Attendance = Attendance()


class BodyTally(msgspec.Struct, kw_only=True):
    """What the bodies list says of a body's meetings (those not cancelled): one row a
    body, so the list reads one document per body, whatever the number of meetings."""

    meetings: int = 0
    first_meeting: dt.date | None = None
    last_meeting: dt.date | None = None


class HeldDates(msgspec.Struct, kw_only=True):
    dates: list[dt.date] = []


def standing_text(text: str) -> bool:
    """Resolved (or noted) to stay on future agendas."""
    if text.isascii():  # both phrases start with words the text must then hold
        lowered = text.lower()
        if "remain" not in lowered and "standing" not in lowered:
            return False
    return _STANDING.search(text) is not None


def brief(item: MinuteItem) -> ItemBrief:
    standing = standing_text("\n".join((*item.resolutions, *item.paragraphs)))
    return ItemBrief(number=item.number, title=item.title, exempt=item.exempt, standing=standing)


class MeetingHistoryProjection(FollowsBodies, DocumentProjection):
    name = "meetings"
    #: 2: the per-body ``tally`` and ``held`` rows (the bodies list reads them).
    schema_version = 2

    @handles(Meeting.Scheduled)
    def _scheduled(self, e: Any, changes: Changes) -> None:
        record = MeetingRecord(
            id=e.originator_id,
            body_id=e.body_id,
            date=e.date,
            time=e.time,
            venue=e.venue,
            remote=e.remote,
        )
        self._put(changes, record)
        _tally(changes, record.body_id, None, record.date)

    @handles(Meeting.ItemMinuted, Meeting.ItemRevised)
    def _item_changed(self, e: Any, changes: Changes) -> None:
        """The commonest event by far: a handler of its own (nothing held changes)."""
        key = id_str(e.originator_id)
        record = changes.get("meeting", key, MeetingRecord)
        if record is not None:
            self._item(record, e.item)
            changes.rewrite("meeting", key)  # its body and date are as they were

    @handles(
        Meeting.Rescheduled,
        Meeting.Cancelled,
        Meeting.AttendanceRecorded,
        Meeting.MinutesCirculated,
        Meeting.MinutesConfirmed,
        Meeting.MinutesSigned,
    )
    def _changed(self, e: Any, changes: Changes) -> None:
        key = id_str(e.originator_id)
        record = changes.get("meeting", key, MeetingRecord)
        if record is None:
            return
        held, date = not record.cancelled, record.date
        # Handlers take events of exactly their classes (``handles``); isinstance on the
        # library's event classes (their metaclass is not ``type``) is CPython's slow path.
        kind = type(e)
        if kind is Meeting.Rescheduled:
            record.former_dates.append(e.old_date)
            record.date, record.time = e.date, e.time
            record.venue = e.venue if e.venue is not None else record.venue
        elif kind is Meeting.Cancelled:
            record.cancelled = True
        elif kind is Meeting.AttendanceRecorded:
            record.attendance = e.attendance
        elif kind is Meeting.MinutesCirculated:
            record.status = "circulated"
        elif kind is Meeting.MinutesConfirmed:
            record.status = "confirmed"
            record.confirmed_at = e.confirmation.meeting_date
            record.confirmed_minute = e.confirmation.minute
            record.attendance = e.attendance
            for item in e.amended_items:
                self._item(record, item)
        else:
            record.status = "signed"
        if record.date is date:  # not moved: its row's columns are as they were
            changes.rewrite("meeting", key)
        else:
            self._put(changes, record, key)
        if held != (not record.cancelled) or (held and date != record.date):
            _tally(
                changes,
                record.body_id,
                date if held else None,
                None if record.cancelled else record.date,
            )

    @staticmethod
    def _item(record: MeetingRecord, item: MinuteItem) -> None:
        new = brief(item)
        for i, old in enumerate(record.items):
            if old.number == item.number:
                record.items[i] = new
                return
        record.items.append(new)

    @staticmethod
    def _put(changes: Changes, record: MeetingRecord, key: str | None = None) -> None:
        changes.put(
            "meeting",
            key or id_str(record.id),
            record,
            grp=id_str(record.body_id),
            sort=iso_date(record.date),
        )


def _tally(
    changes: Changes, body_id: uuid.UUID, removed: dt.date | None, added: dt.date | None
) -> None:
    """A meeting held on ``removed`` is no more (cancelled, or moved to ``added``)."""
    key = id_str(body_id)
    held = changes.get("held", key, HeldDates) or HeldDates()
    dates = held.dates
    if removed is not None:
        i = bisect.bisect_left(dates, removed)
        if i < len(dates) and dates[i] == removed:
            del dates[i]
    if added is not None:
        bisect.insort(dates, added)
    changes.put("held", key, held, grp=key)
    tally = BodyTally(
        meetings=len(dates),
        first_meeting=dates[0] if dates else None,
        last_meeting=dates[-1] if dates else None,
    )
    changes.put("tally", key, tally, grp=key, keep=False)


class SQLiteMeetingsView(SQLiteDocumentView):
    view_name = "meetings"


class PostgresMeetingsView(PostgresDocumentView):
    view_name = "meetings"
