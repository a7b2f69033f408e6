"""Read model: each body's meetings — dates, venues, minutes status, items, attendance.

Rows::

    body / alias                 as in every view (with renames, for the history)
    meeting  key=meeting id      MeetingRecord; grp=body id, sort=meeting date

Standing items and the attendance register are derived from these rows when
read (:mod:`projections.history_read`).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import msgspec

from domain.meeting import Meeting
from domain.values import Attendance, MinuteItem, MinutesStatus
from projections.base import DocumentProjection, handles
from projections.bodies import FollowsBodies
from projections.changes import Changes, id_str
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

    @handles(
        Meeting.Rescheduled,
        Meeting.Cancelled,
        Meeting.AttendanceRecorded,
        Meeting.ItemMinuted,
        Meeting.ItemRevised,
        Meeting.MinutesCirculated,
        Meeting.MinutesConfirmed,
        Meeting.MinutesSigned,
    )
    def _changed(self, e: Any, changes: Changes) -> None:
        record = changes.get("meeting", id_str(e.originator_id), MeetingRecord)
        if record is None:
            return
        if isinstance(e, Meeting.Rescheduled):
            record.former_dates.append(e.old_date)
            record.date, record.time = e.date, e.time
            record.venue = e.venue if e.venue is not None else record.venue
        elif isinstance(e, Meeting.Cancelled):
            record.cancelled = True
        elif isinstance(e, Meeting.AttendanceRecorded):
            record.attendance = e.attendance
        elif isinstance(e, Meeting.ItemMinuted | Meeting.ItemRevised):
            self._item(record, e.item)
        elif isinstance(e, Meeting.MinutesCirculated):
            record.status = "circulated"
        elif isinstance(e, Meeting.MinutesConfirmed):
            record.status = "confirmed"
            record.confirmed_at = e.confirmation.meeting_date
            record.confirmed_minute = e.confirmation.minute
            record.attendance = e.attendance
            for item in e.amended_items:
                self._item(record, item)
        else:
            record.status = "signed"
        self._put(changes, record)

    @staticmethod
    def _item(record: MeetingRecord, item: MinuteItem) -> None:
        new = brief(item)
        for i, old in enumerate(record.items):
            if old.number == item.number:
                record.items[i] = new
                return
        record.items.append(new)

    @staticmethod
    def _put(changes: Changes, record: MeetingRecord) -> None:
        changes.put(
            "meeting",
            id_str(record.id),
            record,
            grp=id_str(record.body_id),
            sort=record.date.isoformat(),
        )


class SQLiteMeetingsView(SQLiteDocumentView):
    view_name = "meetings"


class PostgresMeetingsView(PostgresDocumentView):
    view_name = "meetings"
